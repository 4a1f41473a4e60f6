import { config as zodConfig } from 'zod/v4/core';

// Zod probes `new Function` to see whether it may compile fast parsers; under the app's
// Content-Security-Policy (no 'unsafe-eval') that probe is reported as a violation. Jitless
// mode skips the probe. It must be set before any module that builds or parses a schema is
// evaluated, so main.tsx imports this module first (imports are evaluated in order).
zodConfig({ jitless: true });
