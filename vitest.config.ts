import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own simulator on port 0; files run in parallel on both cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The CLI tests run dist/: rebuild first when src/ or the catalogue changed since the last build.
    globalSetup: ['./test/support/build-if-stale.ts'],
  },
});
