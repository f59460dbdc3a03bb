/**
 * vitest.config.ts puts a test file in a project by its infrastructure suffix, and only the `kafka` project starts
 * the shared broker (the `cluster` project, the shared Redis Cluster). A file that reads `inject('kafkaBrokers')` or
 * starts its own broker under another name would run without one, and a file that drives Chromium under another
 * name would run beside the other files with a unit test's timeout, so the names are checked here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const TEST_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') && path !== SELF ? [path] : [];
  });
}

describe('vitest projects', () => {
  test('every test file that drives Chromium is named *.browser.test.ts (one file at a time, longer timeouts)', () => {
    const needsBrowser = testFiles(TEST_ROOT).filter((file) => /(?:\.\/|support\/)browser\.ts['"]|playwright-core/.test(readFileSync(file, 'utf8')));
    expect(needsBrowser.length).toBeGreaterThan(0);
    const misnamed = needsBrowser.filter((file) => !file.endsWith('.browser.test.ts')).map((file) => relative(TEST_ROOT, file));
    expect(misnamed).toEqual([]);
  });

  test('every test file that needs a Kafka broker is named *.kafka.test.ts', () => {
    const needsKafka = testFiles(TEST_ROOT).filter((file) => /inject\('kafkaBrokers'\)|KafkaBroker\b/.test(readFileSync(file, 'utf8')));
    expect(needsKafka.length).toBeGreaterThan(0);
    const misnamed = needsKafka.filter((file) => !file.endsWith('.kafka.test.ts')).map((file) => relative(TEST_ROOT, file));
    expect(misnamed).toEqual([]);
  });

  test('every test file that needs the Redis Cluster is named *.cluster.test.ts', () => {
    const needsCluster = testFiles(TEST_ROOT).filter((file) => /redisCluster|clusterTestKeys|RedisCluster\.start/.test(readFileSync(file, 'utf8')));
    expect(needsCluster.length).toBeGreaterThan(0);
    const misnamed = needsCluster.filter((file) => !file.endsWith('.cluster.test.ts')).map((file) => relative(TEST_ROOT, file));
    expect(misnamed).toEqual([]);
  });
});
