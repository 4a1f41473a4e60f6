import { afterEach } from 'vitest';

/**
 * Backends a contract case opens, closed after each case whether it passed or not: `fresh`
 * opens one with `open`, `keep` hands over one the case opened itself (a reopened one, say).
 */
export function closedAfterEach<T extends { close(): Promise<void> }>(open: () => Promise<T>): { fresh(): Promise<T>; keep(backend: T): T } {
  const opened: T[] = [];
  afterEach(async () => {
    for (const backend of opened.splice(0)) await backend.close().catch(() => undefined);
  });
  const keep = (backend: T) => {
    opened.push(backend);
    return backend;
  };
  return { fresh: async () => keep(await open()), keep };
}
