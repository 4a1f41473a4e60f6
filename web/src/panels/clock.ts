import { useSyncExternalStore } from 'preact/compat';

/**
 * One clock for every "3 minutes ago" on screen: it ticks every half minute while anything
 * shows a relative time, and not at all otherwise, so each view stays current without a timer
 * of its own.
 */
const TICK_MS = 30_000;

let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of [...listeners]) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The time now, to half a minute, re-rendering the component as it moves on. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
