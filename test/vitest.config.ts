import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    // DuckDB is a native addon: separate processes keep each test file's database and memory apart
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 600_000,
    reporters: ['default', './test/summary-reporter.ts'],
    // fmin's ES sources import without file extensions, which Node's resolver refuses; let Vite resolve them
    server: { deps: { inline: ['fmin'] } },
  },
});
