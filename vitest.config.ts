import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // CI has 2 cores and runs the whole suite in parallel forks: a test that starts the CLI a few
    // times (a Node start-up with tsx each, seconds apiece there) came close to 60 s.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
