import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // each test file starts its own server with real worker threads; two cores → keep files serial-ish
    fileParallelism: false,
    pool: 'forks',
  },
});
