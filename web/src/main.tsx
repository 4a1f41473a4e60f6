import { render } from 'preact';
import { config as zodConfig } from 'zod/v4/core';
import { App } from './app';
import './style.css';

// Zod probes `new Function` to see whether it may compile fast parsers; under the app's
// Content-Security-Policy (no 'unsafe-eval') that probe is reported as a violation. Jitless
// mode skips the probe; it must be set before the first schema parses (the skill format).
zodConfig({ jitless: true });

render(<App />, document.getElementById('app') as HTMLElement);
