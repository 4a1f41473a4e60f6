// Values vite.config.ts `define`s at build time.

/** Where our server serves Pyodide's files (a versioned path under /pyodide/), ending in "/". */
declare const __PYODIDE_INDEX_URL__: string;
