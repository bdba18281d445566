// Placeholder: the playground webview's UI (being built).
export {};
