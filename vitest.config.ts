import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * One project per infrastructure a test needs, named by the test file's suffix (see STYLE.md): a run that selects
 * only codec or router files starts no Kafka broker, because only the `kafka` project has the broker's global setup
 * (global setups run only for projects with queued files). `vitest run` with no filter runs every project.
 */
const shared = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Suites that share real services (Redis, Kafka, ptys) isolate themselves with random prefixes and ports.
  pool: 'forks',
} as const;

/** Infrastructure suffixes; a file with none of them lands in `unit`. */
const INFRA = ['redis', 'kafka', 'pty', 'smpp', 'e2e', 'cluster', 'browser'] as const;

function infraProject(name: (typeof INFRA)[number], extra: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration {
  return { test: { ...shared, name, include: [`test/**/*.${name}.test.ts`], ...extra } };
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...INFRA.map((suffix) => `test/**/*.${suffix}.test.ts`)],
        },
      },
      infraProject('redis'),
      // One real Kafka broker for the project (jars fetched on first use), provided to its tests as inject('kafkaBrokers').
      infraProject('kafka', { globalSetup: ['test/support/kafka-global-setup.ts'] }),
      infraProject('pty'),
      infraProject('smpp'),
      infraProject('e2e'),
      // One local Redis Cluster of three masters for the project, provided as inject('redisCluster').
      infraProject('cluster', { globalSetup: ['test/support/redis-cluster-global-setup.ts'] }),
      // Real headless Chromium (test/support/browser.ts) against a real gateway: heavy on a small machine, so one
      // file at a time (vitest runs a project with maxWorkers 1 after the other projects, alone), with room for a
      // browser launch and page loads in each test.
      infraProject('browser', { maxWorkers: 1, testTimeout: 90_000, hookTimeout: 120_000 }),
    ],
  },
});
