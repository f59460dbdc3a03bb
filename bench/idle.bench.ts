/**
 * Idle CPU benchmark (a script, never a timed test): `npm run bench:idle`.
 * Starts the SMSC simulator and one `smsgw serve` per mode (embedded; Redis under its own key prefix, removed
 * afterwards; Redis + Kafka on a broker started for the run), sends nothing, lets each settle for
 * BENCH_IDLE_SETTLE_S seconds (10), then reads the gateway's CPU time (its whole process tree, from /proc) over
 * BENCH_IDLE_SECONDS (20). Prints one JSON line per mode: the share of one core a gateway with no traffic spends,
 * on its timers, polls and consumer fetches. BENCH_IDLE_MODES picks the modes (default embedded,redis,kafka).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaBroker } from '../test/support/kafka-broker.ts';
import { benchKeyPrefix, deleteKeys, REDIS_URL, spawnReady, stop, writeGatewayConfig } from './bench-processes.ts';
import { loadAverage, treeCpuSeconds } from './proc-stats.ts';

const MODES = (process.env.BENCH_IDLE_MODES ?? 'embedded,redis,kafka').split(',').map((m) => m.trim());
const SETTLE_S = Number(process.env.BENCH_IDLE_SETTLE_S ?? 10);
const WINDOW_S = Number(process.env.BENCH_IDLE_SECONDS ?? 20);

const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function idle(mode: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-idle-'));
  const prefix = benchKeyPrefix();
  const broker = mode === 'kafka' ? await KafkaBroker.start({ heapMb: 1024 }) : undefined;
  const run = `idle-${prefix.slice(0, -1)}`;
  const topics = { receipts: `${run}.receipts`, events: `${run}.events`, inbound: `${run}.inbound`, unmatched: `${run}.receipts.unmatched`, suppressions: `${run}.suppressions`, verifications: `${run}.verifications`, campaigns: `${run}.campaigns` };
  const simulator = await spawnReady(['simulate', 'smsc', '--port', '0', '--control-port', '0'], process.env, /smpp=[^:]+:(\d+)/);
  const configPath = writeGatewayConfig(dir, {
    smppPort: Number(simulator.match[1]),
    binds: 4,
    windowSize: 100,
    ...(broker === undefined ? {} : { extra: { kafka: { topics, groupPrefix: run } } }),
  });
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL, REDIS_PREFIX: prefix };
  delete env.KAFKA_BROKERS;
  if (mode === 'embedded') delete env.REDIS_URL;
  if (broker !== undefined) env.KAFKA_BROKERS = broker.brokers.join(',');
  const workers = mode === 'embedded' ? [] : ['--workers', '1'];
  const gateway = await spawnReady(['serve', '--config', configPath, '--log-level', 'warn', ...workers], env, /listening on (http:\/\/\S+)/);
  try {
    const pid = gateway.child.pid as number;
    await sleep(SETTLE_S);
    const before = treeCpuSeconds(pid);
    await sleep(WINDOW_S);
    const busy = treeCpuSeconds(pid) - before;
    const line = { mode, seconds: WINDOW_S, cpuSeconds: Math.round(busy * 1000) / 1000, percentOfCore: Math.round((busy / WINDOW_S) * 1000) / 10, loadAverage: loadAverage() };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await stop(gateway.child);
    await stop(simulator.child);
    if (mode !== 'embedded') await deleteKeys(prefix);
    await broker?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const mode of MODES) {
  if (!['embedded', 'redis', 'kafka'].includes(mode)) {
    process.stderr.write(`bench:idle: unknown mode "${mode}" in BENCH_IDLE_MODES (embedded, redis, kafka)\n`);
    process.exitCode = 2;
    break;
  }
  await idle(mode);
}
