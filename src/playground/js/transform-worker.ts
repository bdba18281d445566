// Placeholder: the TypeScript instrumenter's worker thread (being built).
export {};
