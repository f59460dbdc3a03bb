import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that share real services (Redis, Kafka, ptys) isolate themselves with random prefixes and ports.
    pool: 'forks',
  },
});
