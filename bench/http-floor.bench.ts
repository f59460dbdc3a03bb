/**
 * The floor under the gateway's CPU per message (a script, never a timed test): `npm run bench:http-floor`.
 * The same load generator as `npm run bench`'s single POSTs (bench/single-posts.ts: the same requests, 64 in
 * flight on keep-alive connections) against a bare node:http server and a bare fastify route (each in a process of
 * its own, bench/http-floor-server.ts), then against the gateway in its embedded mode with the SMSC simulator. Each
 * run prints one JSON line: requests/s, the server's CPU seconds per 1,000 requests (its process tree, from /proc),
 * the load generator's own, and accept latency; then a table gives each bare server's cost as a share of the
 * gateway's and of issue 18's embedded goal. What a server that only answers costs is a cost no gateway written on
 * Node.js goes below on this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { BenchOptionError } from './bench-options.ts';
import { gatewayEnv, spawnReady, spawnScriptReady, stop, writeGatewayConfig } from './bench-processes.ts';
import { percentile } from './bench-summary.ts';
import { processMetricsReader, waitDelivered } from './gateway-metrics-reader.ts';
import { FLOOR_USAGE, formatFloorSummary, parseFloorOptions, type FloorOptions, type FloorRow, type FloorRun } from './http-floor-options.ts';
import { loadAverage, treeCpuSeconds } from './proc-stats.ts';
import { singles } from './single-posts.ts';

const SERVER = fileURLToPath(new URL('./http-floor-server.ts', import.meta.url));
const LISTENING = /listening on (http:\/\/\S+)/;
const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;
const loadCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

interface Started {
  readonly url: string;
  readonly pid: number;
  /** The gateway only: waits for `target` messages delivered. */
  readonly delivered?: (target: number) => Promise<unknown>;
  readonly close: () => Promise<void>;
}

async function startRun(run: FloorRun, dir: string): Promise<Started> {
  if (run !== 'gateway') {
    const server = await spawnScriptReady(SERVER, [run], process.env, LISTENING, ['--import', 'tsx']);
    return { url: server.match[1] as string, pid: server.child.pid as number, close: () => stop(server.child) };
  }
  const simulator = await spawnReady(['simulate', 'smsc', '--port', '0', '--control-port', '0'], process.env, /smpp=[^:]+:(\d+)/);
  const config = writeGatewayConfig(dir, { smppPort: Number(simulator.match[1]), binds: 2, windowSize: 100 });
  const gateway = await spawnReady(['serve', '--config', config, '--log-level', 'warn'], gatewayEnv('embedded', ''), LISTENING).catch(async (error: unknown) => {
    await stop(simulator.child);
    throw error;
  });
  const url = gateway.match[1] as string;
  const metrics = processMetricsReader(url);
  return {
    url,
    pid: gateway.child.pid as number,
    delivered: (target) => waitDelivered(metrics, target, Math.max(120_000, target * 10)),
    close: async () => {
      await metrics.close();
      await stop(gateway.child);
      await stop(simulator.child);
    },
  };
}

async function measure(run: FloorRun, options: FloorOptions): Promise<FloorRow> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-floor-'));
  const loadStart = loadAverage();
  const started = await startRun(run, dir);
  const pool = new Pool(started.url, { connections: options.concurrency, pipelining: 1 });
  try {
    await singles(pool, options.warmup, 80_000_000, options.concurrency);
    await started.delivered?.(options.warmup);
    const cpuBefore = treeCpuSeconds(started.pid);
    const loadBefore = loadCpuSeconds();
    const t0 = performance.now();
    const latencies = await singles(pool, options.messages, 0, options.concurrency);
    const seconds = (performance.now() - t0) / 1000;
    const cpuAnswered = treeCpuSeconds(started.pid);
    const loadUsed = loadCpuSeconds() - loadBefore;
    await started.delivered?.(options.warmup + options.messages);
    const perThousand = (cpu: number): number => round((cpu * 1000) / options.messages);
    return {
      run,
      requestsPerSecond: Math.round(options.messages / seconds),
      serverCpuSecondsPerThousand: perThousand(cpuAnswered - cpuBefore),
      ...(started.delivered === undefined ? {} : { deliveredCpuSecondsPerThousand: perThousand(treeCpuSeconds(started.pid) - cpuBefore) }),
      loadCpuSecondsPerThousand: perThousand(loadUsed),
      latencyMs: { p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2) },
      loadAverage: [loadStart[0], loadStart[1], loadStart[2]],
    };
  } finally {
    await pool.close();
    await started.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let options: FloorOptions | undefined;
try {
  options = parseFloorOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BenchOptionError)) throw error;
  process.stderr.write(`bench:http-floor: ${error.message}\n${FLOOR_USAGE}`);
  process.exitCode = 2;
}
if (options?.help === true) process.stdout.write(FLOOR_USAGE);
else if (options !== undefined) {
  const rows: FloorRow[] = [];
  for (const run of options.runs) {
    const row = await measure(run, options);
    rows.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  if (!options.json) process.stdout.write(`\n${formatFloorSummary(rows)}\n`);
}
