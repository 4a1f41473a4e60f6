import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/**
 * Teardown that a test registers as it goes (servers, clients, folders), run newest first after
 * each test of the file that calls this, whether the test passed or not.
 */
export function teardownEachTest(tempPrefix: string): {
  cleanups: Array<() => Promise<unknown> | void>;
  /** A fresh temporary folder, removed after the test. */
  tempDir(): Promise<string>;
} {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    cleanups,
    async tempDir() {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), tempPrefix));
      cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
