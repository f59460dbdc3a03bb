import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One real Kafka broker for the run (jars fetched on first use), provided to tests as inject('kafkaBrokers').
    globalSetup: ['test/support/kafka-global-setup.ts'],
    // Suites that share real services (Redis, Kafka, ptys) isolate themselves with random prefixes and ports.
    pool: 'forks',
  },
});
