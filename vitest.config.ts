import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,sync-server,web}/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers and child processes; two cores are all we have.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
