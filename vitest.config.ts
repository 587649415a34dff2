import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own simulator on port 0. Vitest's default is one worker less than the cores, which
    // is a single worker on a 2-core machine; most files spend their time waiting on sockets, child processes and
    // timers, so three workers keep both cores busy (suite 220 s -> 114 s on the 2-core machine, same results).
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The CLI tests run dist/: rebuild first when src/ or the catalogue changed since the last build.
    globalSetup: ['./test/support/build-if-stale.ts'],
  },
});
