/**
 * A summary of a Chromium performance trace (`browser.startTracing`/`stopTracing`): where the
 * page's main thread spent its time before a moment, by kind of work and by script, and the
 * network waterfall (what was fetched, in what order, and when it finished).
 */
import type { Browser, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

const CATEGORIES = ['devtools.timeline', 'blink.user_timing', 'loading', 'v8.execute', 'toplevel', 'disabled-by-default-devtools.timeline'];

/** Starts a trace of `page`'s renderer; `stop` ends it and returns the parsed events. */
export async function startTrace(browser: Browser, page: Page, file?: string): Promise<{ stop: () => Promise<TraceEvent[]> }> {
  await browser.startTracing(page, { categories: CATEGORIES, path: file });
  return {
    stop: async () => (JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents,
  };
}

/** The kinds of main-thread work worth naming, as the trace calls them. */
const KINDS: Record<string, string> = {
  'v8.compileModule': 'compile (module)',
  'v8.compile': 'compile',
  'v8.evaluateModule': 'evaluate (module)',
  EvaluateScript: 'evaluate (script)',
  FunctionCall: 'JS callbacks',
  TimerFire: 'timers',
  FireAnimationFrame: 'animation frames',
  RunMicrotasks: 'microtasks',
  EventDispatch: 'DOM events',
  ParseHTML: 'parse HTML',
  ParseAuthorStyleSheet: 'parse CSS',
  UpdateLayoutTree: 'style recalc',
  Layout: 'layout',
  PrePaint: 'pre-paint',
  Paint: 'paint',
  Layerize: 'layerize',
  'ResizeObserver::Deliver': 'ResizeObserver callbacks',
  GCEvent: 'GC (main)',
  MinorGC: 'GC (minor)',
  MajorGC: 'GC (major)',
};

const shortUrl = (url: unknown): string => (typeof url === 'string' ? url.replace(/^https?:\/\/[^/]+/, '') || url : '?');

/**
 * Lines summarising `events` from the navigation (or the first event) to `untilMs` after it:
 * main-thread time by kind (inclusive: a layout forced inside a callback counts in both), the
 * top scripts by evaluation and compile time, and each fetched URL with its start and end.
 */
export function summariseTrace(events: TraceEvent[], label: string, fromMarker?: string): string[] {
  // The page's renderer: the one that ran the most script (the browser's own WebUI pages, and
  // the about:blank the page starts as, run in other renderers). The clock starts at the
  // navigation (a service worker's answer has no URL in the trace) or at the marker.
  const evaluations = new Map<string, number>();
  for (const e of events) if (e.name === 'v8.evaluateModule' || e.name === 'FunctionCall') evaluations.set(`${e.pid}:${e.tid}`, (evaluations.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const mainKey = [...evaluations].sort((a, b) => b[1] - a[1])[0]?.[0];
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === mainKey);
  const start = fromMarker
    ? onMain.find((e) => e.name === fromMarker)
    : events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL !== 'about:blank' && e.args?.data?.isOutermostMainFrame === true);
  const nav = start?.ts ?? Math.min(...onMain.filter((e) => e.ts > 0).map((e) => e.ts));
  const ms = (us: number) => us / 1000;
  const lines = [`trace: ${label} (times in ms from ${fromMarker ?? 'navigation start'})`];
  const tasks = onMain.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.ts >= nav);
  const end = Math.max(...onMain.filter((e) => e.ph === 'X').map((e) => e.ts + (e.dur ?? 0)));
  lines.push(`  main thread busy ${ms(tasks.reduce((n, e) => n + (e.dur ?? 0), 0)).toFixed(0)} of ${ms(end - nav).toFixed(0)} ms traced; longest tasks: ${tasks.map((t) => t.dur ?? 0).sort((a, b) => b - a).slice(0, 5).map((d) => ms(d).toFixed(0)).join(', ')}`);
  const byKind = new Map<string, { ms: number; n: number }>();
  const byScript = new Map<string, number>();
  for (const e of onMain) {
    if (e.ph !== 'X' || e.ts < nav) continue;
    const kind = KINDS[e.name];
    if (!kind) continue;
    const k = byKind.get(kind) ?? { ms: 0, n: 0 };
    byKind.set(kind, { ms: k.ms + ms(e.dur ?? 0), n: k.n + 1 });
    const url = e.args?.data?.url ?? (e.args as { fileName?: string } | undefined)?.fileName;
    if (e.name.startsWith('v8.') || e.name === 'EvaluateScript') {
      if (url) byScript.set(shortUrl(url), (byScript.get(shortUrl(url)) ?? 0) + ms(e.dur ?? 0));
    }
  }
  lines.push('  main thread by kind (inclusive ms, count):');
  for (const [kind, v] of [...byKind].sort((a, b) => b[1].ms - a[1].ms)) lines.push(`    ${kind.padEnd(26)} ${v.ms.toFixed(1).padStart(7)}  ×${v.n}`);
  lines.push('  scripts by compile + evaluate (ms):');
  for (const [url, v] of [...byScript].sort((a, b) => b[1] - a[1]).slice(0, 8)) lines.push(`    ${v.toFixed(1).padStart(7)}  ${url}`);
  // The waterfall: every request the page (or its service worker) made, by start.
  const sends = events.filter((e) => e.name === 'ResourceSendRequest' && e.ts >= nav && /^https?:/.test(String(e.args?.data?.url)));
  const finishes = new Map(events.filter((e) => e.name === 'ResourceFinish').map((e) => [e.args?.data?.requestId, e.ts]));
  lines.push(`  network (${sends.length} requests: start → end ms, priority):`);
  for (const s of sends) {
    const d = s.args?.data ?? {};
    const done = finishes.get(d.requestId);
    lines.push(`    ${ms(s.ts - nav).toFixed(0).padStart(5)} → ${done ? ms(done - nav).toFixed(0).padStart(5) : '    ?'}  ${String(d.priority ?? '').padEnd(8)} ${shortUrl(d.url)}`);
  }
  // Navigation timing and the app's own marks (performance.mark: rooms opened and loaded, …).
  const shown = new Set(['firstContentfulPaint', 'domContentLoadedEventEnd', 'loadEventEnd']);
  const marks = onMain.filter((e) => e.ts >= nav && (shown.has(e.name) || (e.cat === 'blink.user_timing' && (e.ph === 'I' || e.ph === 'R') && !/^(navigationStart|fetchStart|responseEnd|dom|unload|load|commit)/.test(e.name))));
  lines.push('  marks:');
  for (const m of marks) lines.push(`    ${ms(m.ts - nav).toFixed(0).padStart(5)}  ${m.name}`);
  return lines;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Starts V8's sampling profiler on `page` (CDP `Profiler`); `stop` returns the top functions by self time. */
export async function startProfile(page: Page): Promise<{ stop: (top?: number) => Promise<string[]> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    stop: async (top = 15) => {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; startTime: number; endTime: number } };
      const perSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
      const counts = new Map<number, number>();
      for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
      const parent = new Map<number, ProfileNode>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
      const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}${n.callFrame.url ? ` ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`;
      // Self time by function, with its commonest chain of four nearest callers (who asked for it).
      const byFn = new Map<string, { ms: number; callers: Map<string, number> }>();
      for (const n of profile.nodes) {
        const c = counts.get(n.id) ?? 0;
        if (c === 0) continue;
        const entry = byFn.get(name(n)) ?? { ms: 0, callers: new Map<string, number>() };
        entry.ms += c * perSample;
        const callers: string[] = [];
        for (let p = parent.get(n.id); p && callers.length < 4; p = parent.get(p.id)) callers.push(name(p));
        const chain = callers.join(' ← ');
        entry.callers.set(chain, (entry.callers.get(chain) ?? 0) + c * perSample);
        byFn.set(name(n), entry);
      }
      await cdp.detach();
      return [...byFn]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, top)
        .map(([k, v]) => `    ${v.ms.toFixed(1).padStart(7)}  ${k}  ← ${[...v.callers].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ''}`);
    },
  };
}
