/**
 * `smsgw serve --workers N`: refused without Redis; with Redis, N workers share the listening port and the
 * connector's binds, a killed worker is started again, and SIGTERM to the primary stops every worker cleanly (their
 * bind leases freed at once).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { hashApiKey, redisKeys } from '../../gateway/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { redisTestKeys } from '../support/redis-test-keys.ts';
import { REDIS_URL } from '../support/test-backends.ts';
import { waitFor } from '../support/wait-for.ts';

const BIN = fileURLToPath(new URL('../../bin/smsgw.js', import.meta.url));
const testKeys = redisTestKeys();
const dir = mkdtempSync(join(tmpdir(), 'smsgw-workers-'));
let simulator: SmscSimulatorHandle | undefined;
const kills: (() => void)[] = [];

afterAll(async () => {
  for (const kill of kills) kill();
  await simulator?.close();
  rmSync(dir, { recursive: true, force: true });
  await testKeys.cleanup();
});

function withoutRedis(): NodeJS.ProcessEnv {
  const { REDIS_URL: _url, REDIS_PREFIX: _prefix, KAFKA_BROKERS: _brokers, ...env } = process.env;
  return env;
}

test.each([
  [['--workers', '2'], 'CLI_WORKERS_NEED_REDIS'],
  [['--workers', '0'], 'CLI_INVALID_OPTION'],
  [['--workers', 'two'], 'CLI_INVALID_OPTION'],
  [['--heap-growth', 'lots'], 'CLI_INVALID_OPTION'],
])('serve %j in memory mode is refused with %s', (args, code) => {
  const result = spawnSync(process.execPath, [BIN, 'serve', ...args], { encoding: 'utf8', env: withoutRedis(), timeout: 20_000 });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`smsgw: ${code}:`);
});

test('a bad configuration file is refused by the primary, before any worker starts', () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'connectors: 5\n');
  const result = spawnSync(process.execPath, [BIN, 'serve', '--config', bad, '--workers', '2'], { encoding: 'utf8', env: { ...process.env, REDIS_URL }, timeout: 20_000 });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('smsgw: GW_INVALID_CONFIG:');
  expect(result.stdout).not.toContain('workers');
});

test('two workers share the port and the binds; a killed worker comes back; SIGTERM stops them all cleanly', async () => {
  simulator = await startSmscSimulator({ accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }] });
  const prefix = testKeys.prefix();
  const configPath = join(dir, 'gateway.yaml');
  writeFileSync(
    configPath,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      accounts: [{ id: 'w', apiKeyHashes: [hashApiKey('workers-key')], defaultCountry: 'JP' }],
      connectors: [{ id: 'smsc', type: 'smpp', host: '127.0.0.1', port: simulator.smppPort, systemId: 'gw', password: 'pw', binds: 2 }],
      dispatch: { leaseMs: 1_500 },
      carriers: { builtinRanges: false },
      routes: { only: { strategy: 'failover', connectors: [{ id: 'smsc' }] } },
      rules: [{ name: 'default', route: 'only' }],
    }),
  );
  const primary = spawn(process.execPath, [BIN, 'serve', '--config', configPath, '--workers', '2', '--log-level', 'error'], {
    env: { ...process.env, REDIS_URL, REDIS_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  kills.push(() => primary.kill('SIGKILL'));
  let output = '';
  primary.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  primary.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => primary.on('exit', (code) => resolve(code)));
  const banners = (): string[] => [...output.matchAll(/listening on (http:\/\/\S+)/g)].map((match) => match[1] ?? '');
  await waitFor(() => banners().length >= 2, `two worker banners: ${output}`, 45_000);
  const [url] = banners();
  expect(new Set(banners()).size).toBe(1);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);

  // Each worker holds one of the two slots (a lease names its holder: host and pid).
  const { redis } = testKeys;
  const keys = redisKeys(prefix);
  const holders = async (): Promise<(string | null)[]> => Promise.all([0, 1].map((slot) => redis.get(keys.bindLease('smsc', slot))));
  const split = await waitFor(async () => {
    const now = await holders();
    return now[0] !== null && now[1] !== null && now[0] !== now[1] ? now : undefined;
  }, 'one slot per worker', 15_000);
  const pid = Number(split[0]?.slice(hostname().length + 1));
  expect(Number.isInteger(pid) && pid > 0).toBe(true);
  process.kill(pid, 'SIGKILL');
  await waitFor(() => /exited \(SIGKILL\); starting it again/.test(output), 'the primary noticing', 10_000);
  await waitFor(() => banners().length >= 3, 'the restarted worker', 45_000);

  primary.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(await holders()).toEqual([null, null]);
  expect(simulator.binds()).toEqual([]);
}, 120_000);
