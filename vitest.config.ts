import { configDefaults, defineConfig } from 'vitest/config';

const E2E = 'web/test/**/*.e2e.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers and child processes; two cores are all we have.
    maxWorkers: 2,
    fileParallelism: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{shared,sync-server,web}/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, E2E],
        },
      },
      {
        // The built app in Chromium against the real server (web/test/harness). Built once per run;
        // one file at a time, after the unit tests: a browser takes both cores on its own.
        extends: true,
        test: {
          name: 'e2e',
          include: [E2E],
          globalSetup: ['web/test/harness/build.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
