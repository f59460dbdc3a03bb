/**
 * The options and the closing table of `npm run bench:http-floor` (bench/http-floor.bench.ts). Pure: argv in,
 * options or an error out; rows in, Markdown out.
 */
import { list, parseFlags, positiveInteger } from './bench-options.ts';
import { CPU_GOALS, table } from './bench-summary.ts';

/** The bare servers of bench/http-floor-server.ts. */
export const FLOOR_SERVERS = ['node-http', 'fastify'] as const;
export type FloorServer = (typeof FLOOR_SERVERS)[number];

/** The bare servers, then the gateway in its embedded mode, measured in this order. */
export const FLOOR_RUNS = [...FLOOR_SERVERS, 'gateway'] as const;
export type FloorRun = (typeof FLOOR_RUNS)[number];

export interface FloorOptions {
  readonly runs: readonly FloorRun[];
  readonly messages: number;
  readonly warmup: number;
  readonly concurrency: number;
  readonly json: boolean;
  readonly help: boolean;
}

export const FLOOR_USAGE = `Usage: npm run bench:http-floor -- [options]

  --runs <list>          comma-separated, in this order (default node-http,fastify,gateway):
                           node-http (a bare node:http server), fastify (a bare fastify route with schemas),
                           gateway (smsgw serve, embedded mode, to the SMSC simulator, receipts included)
  --messages <n>         single POSTs measured per run (default 20000)
  --warmup <n>           single POSTs before measuring (default 20000)
  --concurrency <n>      requests in flight (default 64)
  --json                 print the JSON lines only, no table
  --help                 this text
`;

export function parseFloorOptions(argv: readonly string[]): FloorOptions {
  const parsed = parseFlags(argv, {
    runs: { type: 'string' },
    messages: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const v = parsed.values;
  const runs = v.runs === undefined ? [...FLOOR_RUNS] : list<FloorRun>('--runs', v.runs, FLOOR_RUNS);
  return {
    runs: FLOOR_RUNS.filter((run) => runs.includes(run)),
    messages: v.messages === undefined ? 20_000 : positiveInteger('--messages', v.messages, 1),
    warmup: v.warmup === undefined ? 20_000 : positiveInteger('--warmup', v.warmup, 1),
    concurrency: v.concurrency === undefined ? 64 : positiveInteger('--concurrency', v.concurrency, 1),
    json: v.json,
    help: v.help,
  };
}

export interface FloorRow {
  readonly run: FloorRun;
  readonly requestsPerSecond: number;
  /** The server's CPU seconds per 1,000 requests, from the first request to the last answer. */
  readonly serverCpuSecondsPerThousand: number;
  /** The gateway only: to the last receipt (its submits and receipts included), as `npm run bench` counts it. */
  readonly deliveredCpuSecondsPerThousand?: number;
  /** This process's (the load generator's) CPU seconds per 1,000 requests. */
  readonly loadCpuSecondsPerThousand: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly loadAverage: readonly [number, number, number];
}

const LABELS: Readonly<Record<FloorRun, string>> = {
  'node-http': 'bare node:http',
  fastify: 'bare fastify, schemas',
  gateway: 'gateway, embedded',
};

/**
 * The table, and each bare server's CPU per request as a share of the gateway's (measured to the last answer, and
 * to the last receipt), against the embedded mode's goal of issue 18.
 */
export function formatFloorSummary(rows: readonly FloorRow[]): string {
  const body = rows.map((row) => [
    LABELS[row.run],
    String(Math.round(row.requestsPerSecond)),
    row.serverCpuSecondsPerThousand.toFixed(3),
    row.deliveredCpuSecondsPerThousand?.toFixed(3) ?? '-',
    row.loadCpuSecondsPerThousand.toFixed(3),
    `${row.latencyMs.p50.toFixed(1)} / ${row.latencyMs.p99.toFixed(1)}`,
    row.loadAverage.map((n) => n.toFixed(1)).join(' '),
  ]);
  const lines = [
    table(['server', 'requests/s', 'server CPU s per 1,000', 'to last receipt', 'load generator CPU s per 1,000', 'p50 / p99 ms', 'load avg'], body),
  ];
  const goal = CPU_GOALS.embedded;
  const gateway = rows.find((row) => row.run === 'gateway');
  for (const row of rows) {
    if (row.run === 'gateway') continue;
    const share = (of: number): string => `${((100 * row.serverCpuSecondsPerThousand) / of).toFixed(0)}%`;
    const parts = [`${LABELS[row.run]}: ${share(goal)} of the embedded goal (${goal.toFixed(2)} s per 1,000)`];
    if (gateway !== undefined) {
      parts.push(`${share(gateway.serverCpuSecondsPerThousand)} of the gateway's CPU to the last answer`);
      if (gateway.deliveredCpuSecondsPerThousand !== undefined) parts.push(`${share(gateway.deliveredCpuSecondsPerThousand)} to the last receipt`);
    }
    lines.push(parts.join(', '));
  }
  return lines.join('\n');
}
