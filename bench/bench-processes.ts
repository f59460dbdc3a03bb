/** The gateway benchmarks' common parts: `smsgw` child processes, the gateway's configuration file, Redis cleanup. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { hashApiKey } from '../gateway/index.ts';
import { BENCH_KEY } from './single-posts.ts';

const BIN = fileURLToPath(new URL('../bin/smsgw.js', import.meta.url));

/**
 * Starts `smsgw <args>` and resolves once `matches` lines of its standard output have matched `pattern` (the
 * workers of `serve --workers N` share the primary's standard output and each prints its own banner), with the
 * first of them.
 */
export function spawnReady(...rest: ScriptArgs): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return spawnScriptReady(BIN, ...rest);
}

/** spawnScriptReady's parameters after the script. */
type ScriptArgs = Parameters<typeof spawnScriptReady> extends [string, ...infer Rest] ? Rest : never;

/** As spawnReady, for any script Node can run (`nodeArgs` such as `--import tsx` for TypeScript). */
export function spawnScriptReady(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  pattern: RegExp,
  nodeArgs: readonly string[] = [],
  matches = 1,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    let first: RegExpExecArray | undefined;
    let seen = 0;
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (match === null) return;
      first ??= match;
      if (++seen === matches) resolve({ child, match: first });
    });
    child.once('exit', (code) => reject(new Error(`${[script, ...args].join(' ')} exited with ${String(code)}`)));
  });
}

/** SIGTERM, then resolves once the process has exited. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export { BENCH_KEY };
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchGatewayConfig {
  readonly smppPort: number;
  readonly binds: number;
  readonly windowSize: number;
  /** More top-level sections (kafka, dispatch...). */
  readonly extra?: Record<string, unknown>;
}

/**
 * Writes `<dir>/gateway.yaml`: one account (`BENCH_KEY`, default country JP), one SMPP connector to the simulator
 * as the only route, no built-in ranges. Resolves to its path.
 */
export function writeGatewayConfig(dir: string, config: BenchGatewayConfig): string {
  const path = join(dir, 'gateway.yaml');
  writeFileSync(
    path,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      accounts: [{ id: 'bench', apiKeyHashes: [hashApiKey(BENCH_KEY)], defaultCountry: 'JP' }],
      connectors: [{ id: 'smsc', type: 'smpp', host: '127.0.0.1', port: config.smppPort, systemId: 'test', password: 'test', binds: config.binds, windowSize: config.windowSize }],
      carriers: { builtinRanges: false },
      routes: { only: { strategy: 'failover', connectors: [{ id: 'smsc' }] } },
      rules: [{ name: 'default', route: 'only' }],
      ...config.extra,
    }),
  );
  return path;
}

/**
 * A bench run's own Redis key prefix. Short, as a deployment's is (`smsgw:` by default): every key of every
 * command carries it, so a long one (a UUID's 36 characters) would put bytes on the wire no deployment sends.
 */
export function benchKeyPrefix(): string {
  return `sb${randomBytes(4).toString('hex')}:`;
}

/** A run's own Kafka topics, named after it (the gateway's `kafka.topics`). */
export type BenchTopics = Readonly<Record<'receipts' | 'events' | 'inbound' | 'unmatched' | 'suppressions' | 'verifications' | 'campaigns', string>>;

export function benchTopics(run: string): BenchTopics {
  return {
    receipts: `${run}.receipts`,
    events: `${run}.events`,
    inbound: `${run}.inbound`,
    unmatched: `${run}.receipts.unmatched`,
    suppressions: `${run}.suppressions`,
    verifications: `${run}.verifications`,
    campaigns: `${run}.campaigns`,
  };
}

/**
 * The environment of a bench's `smsgw serve`: Redis under the run's prefix unless embedded, Kafka only when
 * brokers are given (never one inherited from the bench's own environment).
 */
export function gatewayEnv(mode: 'embedded' | 'redis' | 'kafka', prefix: string, brokers?: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL, REDIS_PREFIX: prefix };
  delete env.KAFKA_BROKERS;
  if (mode === 'embedded') delete env.REDIS_URL;
  if (brokers !== undefined) env.KAFKA_BROKERS = brokers.join(',');
  return env;
}

/** Deletes every key under `prefix` (a bench run's own). */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5_000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = nextCursor;
  } while (cursor !== '0');
  await redis.quit();
}
