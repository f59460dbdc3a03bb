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
import { GATEWAY_MODES, type GatewayMode } from './bench-options.ts';
import { benchKeyPrefix, benchTopics, deleteKeys, gatewayEnv, spawnReady, stop, writeGatewayConfig } from './bench-processes.ts';
import { loadAverage, treeCpuSeconds } from './proc-stats.ts';

const MODES = (process.env.BENCH_IDLE_MODES ?? GATEWAY_MODES.join(',')).split(',').map((m) => m.trim());
const SETTLE_S = Number(process.env.BENCH_IDLE_SETTLE_S ?? 10);
const WINDOW_S = Number(process.env.BENCH_IDLE_SECONDS ?? 20);

const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function idle(mode: GatewayMode): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-idle-'));
  const prefix = benchKeyPrefix();
  const broker = mode === 'kafka' ? await KafkaBroker.start({ heapMb: 1024 }) : undefined;
  const run = `idle-${prefix.slice(0, -1)}`;
  const simulator = await spawnReady(['simulate', 'smsc', '--port', '0', '--control-port', '0'], process.env, /smpp=[^:]+:(\d+)/);
  const configPath = writeGatewayConfig(dir, {
    smppPort: Number(simulator.match[1]),
    binds: 4,
    windowSize: 100,
    ...(broker === undefined ? {} : { extra: { kafka: { topics: benchTopics(run), groupPrefix: run } } }),
  });
  const env = gatewayEnv(mode, prefix, broker?.brokers);
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

const isGatewayMode = (mode: string): mode is GatewayMode => (GATEWAY_MODES as readonly string[]).includes(mode);
const unknown = MODES.filter((mode) => !isGatewayMode(mode));
if (unknown.length > 0) {
  process.stderr.write(`bench:idle: unknown mode(s) ${unknown.map((m) => `"${m}"`).join(', ')} in BENCH_IDLE_MODES (${GATEWAY_MODES.join(', ')})\n`);
  process.exitCode = 2;
} else {
  for (const mode of MODES.filter(isGatewayMode)) await idle(mode);
}
