// Placeholder: the Pyodide runner's worker thread (being built).
export {};
