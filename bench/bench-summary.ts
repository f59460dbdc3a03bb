/**
 * The benchmark's arithmetic and its closing table, pure: medians, percentiles, RSS flatness, the goals of
 * issue 18 (CPU per 1,000 messages per mode, throughput ratios to Kannel, flat RSS) and their verdicts.
 */
import type { BenchMode, GatewayMode, KannelMode } from './bench-options.ts';

export const MODE_LABELS: Readonly<Record<BenchMode, string>> = {
  embedded: 'embedded',
  redis: 'Redis',
  kafka: 'Redis + Kafka',
  'kannel-memory': 'Kannel, queue in memory',
  'kannel-store': 'Kannel, store file',
};

/** Gateway CPU seconds per 1,000 messages delivered with receipts, at most (issue 18). */
export const CPU_GOALS: Readonly<Record<GatewayMode, number>> = { embedded: 0.1, redis: 0.18, kafka: 0.25 };

/** Delivered/s of a gateway mode over a Kannel mode, at least (issue 18). */
export const RATIO_GOALS: readonly { readonly gateway: GatewayMode; readonly kannel: KannelMode; readonly atLeast: number }[] = [
  { gateway: 'kafka', kannel: 'kannel-store', atLeast: 1.5 },
  { gateway: 'redis', kannel: 'kannel-store', atLeast: 2 },
  { gateway: 'embedded', kannel: 'kannel-memory', atLeast: 3 },
];

/** Issue 18's latency goal for the kafka mode: accept p99 under 25 ms at 2,000 messages/s. */
export const PACED_GOAL = { mode: 'kafka', atRate: 2_000, p99BelowMs: 25, text: 'accept p99 < 25 ms at 2,000/s' } as const;

/** The paced goal's verdict for a run, when it applies (the kafka mode paced at 2,000/s or more). */
export function pacedGoalMet(mode: BenchMode, rate: number, p99Ms: number): boolean | undefined {
  if (mode !== PACED_GOAL.mode || rate < PACED_GOAL.atRate) return undefined;
  return p99Ms < PACED_GOAL.p99BelowMs;
}

/** RSS after warm-up may grow by at most this much (issue 18: flat within 20%). */
export const RSS_GROWTH_GOAL_PERCENT = 20;

/** The value at percentile `p` (0-100) of ascending `sorted`, nearest rank below. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The middle item by `key` (the lower middle of an even count): a real run, not an average of two. */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  if (items.length === 0) throw new Error('median of nothing');
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] as T;
}

export interface RssFlatness {
  readonly baselineMiB: number;
  readonly maxMiB: number;
  readonly endMiB: number;
  /** (max - baseline) / baseline, percent. */
  readonly growthPercent: number;
  readonly withinGoal: boolean;
}

/** How far RSS rose above its level after warm-up, over the samples taken after it and the final reading. */
export function rssFlatness(afterWarmupMiB: number, laterMiB: readonly number[], endMiB: number): RssFlatness {
  const maxMiB = Math.max(afterWarmupMiB, endMiB, ...laterMiB);
  const growthPercent = afterWarmupMiB > 0 ? +(((maxMiB - afterWarmupMiB) / afterWarmupMiB) * 100).toFixed(1) : 0;
  return { baselineMiB: afterWarmupMiB, maxMiB, endMiB, growthPercent, withinGoal: growthPercent <= RSS_GROWTH_GOAL_PERCENT };
}

/** At most `count` items evenly spread over `items`, first and last included. */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))] as T);
}

/**
 * CPU seconds per 1,000 messages of each process a phase kept busy, by name: `gateway` (every process of it),
 * `loadGenerator` (this process), `simulator`, `redis`, `kafkaBroker`, or Kannel's `bearerbox` and `smsbox`.
 */
export type ProcessCpu = Readonly<Record<string, number>>;

/** Each process's CPU seconds between two readings, per 1,000 of `messages`; processes missing from either are left out. */
export function cpuPerThousand(start: ProcessCpu, end: ProcessCpu, messages: number): ProcessCpu {
  const out: Record<string, number> = {};
  for (const [name, before] of Object.entries(start)) {
    const after = end[name];
    if (after !== undefined && messages > 0) out[name] = +(((after - before) / messages) * 1000).toFixed(3);
  }
  return out;
}

/** Every process's CPU per 1,000 messages added up. */
const allProcesses = (perThousand: ProcessCpu): number => Object.values(perThousand).reduce((sum, x) => sum + x, 0);

/**
 * What one machine can deliver at a run's costs. Every process of the run shares the machine's cores, so at
 * `totalPerThousand` CPU seconds per 1,000 messages they fill `cores` at `ceilingPerSecond`: an upper bound (it
 * assumes every process spreads over every core and nothing else runs), so a rate above it cannot be reached on
 * this machine at these costs, whatever the scheduling. `ceilingAtGoalPerSecond` puts the gateway at its CPU goal
 * and keeps the other processes' costs as measured.
 */
export interface MachineBudget {
  readonly perThousand: ProcessCpu;
  readonly totalPerThousand: number;
  readonly cores: number;
  readonly ceilingPerSecond: number;
  readonly ceilingAtGoalPerSecond?: number;
}

export function machineBudget(perThousand: ProcessCpu, cores: number, gatewayGoal?: number): MachineBudget {
  const total = allProcesses(perThousand);
  // The figures have three decimals: rounded to six, their sums carry no binary fraction into the floor.
  const ceiling = (perThousandSeconds: number): number => {
    const rounded = +perThousandSeconds.toFixed(6);
    return rounded > 0 ? Math.floor((cores / rounded) * 1000) : 0;
  };
  const gateway = perThousand.gateway;
  return {
    perThousand,
    totalPerThousand: +total.toFixed(3),
    cores,
    ceilingPerSecond: ceiling(total),
    ...(gatewayGoal === undefined || gateway === undefined ? {} : { ceilingAtGoalPerSecond: ceiling(total - gateway + gatewayGoal) }),
  };
}

/** The paced phase of one run, as the closing table shows it. */
export interface PacedRow {
  readonly rate: number;
  readonly achievedPerSecond: number;
  readonly late: number;
  readonly messages: number;
  readonly acceptLatencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  readonly deliveredPerSecond: number;
  readonly cpuSecondsPerThousand: number;
  /** Cores kept busy on average over the phase: the gateway's processes, and every process measured. */
  readonly busyCores?: BusyCores;
  /** PACED_GOAL's verdict, when it applies. */
  readonly goalMet?: boolean;
}

export interface BusyCores {
  readonly gateway: number;
  readonly all: number;
}

/**
 * The cores a phase kept busy on average, from its CPU per 1,000 messages and its rate (messages over the phase's
 * time): at a rate near what the machine has room for, requests queue for the CPU, whatever the code does.
 */
export function busyCores(perThousand: ProcessCpu, perSecond: number): BusyCores {
  const total = allProcesses(perThousand);
  return { gateway: +(((perThousand.gateway ?? 0) * perSecond) / 1000).toFixed(2), all: +((total * perSecond) / 1000).toFixed(2) };
}

/** What the closing table needs of one mode's result. */
export interface SummaryRow {
  readonly mode: BenchMode;
  /** The gateway's processes (`serve --workers`); absent for Kannel. */
  readonly workers?: number;
  /** The row's name when it is not the mode's (`Redis ×2` when a mode ran once per worker count). */
  readonly label?: string;
  /** The single requests' phase (absent when it did not run). */
  readonly deliveredPerSecond?: number;
  readonly batchDeliveredPerSecond?: number;
  readonly acceptLatencyMs?: { readonly p50: number; readonly p99: number };
  readonly cpuSecondsPerThousand?: number;
  readonly rssMiB: { readonly start: number; readonly afterWarmup: number; readonly peak: number; readonly end: number };
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  /** The gateway: RSS after warm-up against its level then. */
  readonly rssAfterWarmup?: RssFlatness;
  /** Kannel: delivered/s of every run (the row is the median one). */
  readonly runsDeliveredPerSecond?: readonly number[];
  readonly paced?: PacedRow;
  /** The single requests' phase: every process's CPU per 1,000 messages and this machine's ceiling at those costs. */
  readonly machine?: MachineBudget;
}

export const rowLabel = (row: SummaryRow): string => row.label ?? MODE_LABELS[row.mode];

/** A gateway run's name: the mode, and its worker count when the modes ran once per count (`redis×2`). */
export function runName(mode: GatewayMode, workers: number, workerCounts: readonly number[]): string {
  return mode === 'embedded' || (workerCounts.length === 1 && workerCounts[0] === 1) ? mode : `${mode}×${workers}`;
}

/** The table's name of a gateway run: `Redis ×2` for `redis×2`. */
export function runLabel(mode: GatewayMode, workers: number, workerCounts: readonly number[]): string {
  return runName(mode, workers, workerCounts) === mode ? MODE_LABELS[mode] : `${MODE_LABELS[mode]} ×${workers}`;
}

export interface RatioVerdict {
  readonly gateway: GatewayMode;
  /** The gateway run's name in the table (one verdict per worker count). */
  readonly label: string;
  readonly kannel: KannelMode;
  readonly ratio: number;
  readonly atLeast: number;
  readonly met: boolean;
  /** Delivered/s the goal asks of the gateway: `atLeast` times Kannel's. */
  readonly neededPerSecond: number;
  /** The gateway run's machine ceiling with the gateway at its CPU goal, when its processes were measured. */
  readonly ceilingAtGoalPerSecond?: number;
  /**
   * The gateway CPU seconds per 1,000 messages that still fit in the machine's cores at `neededPerSecond` beside the
   * run's other processes as measured; at or below zero, those processes alone fill the cores at that rate.
   */
  readonly gatewayRoomPerThousand?: number;
}

/** The goals' ratios whose two sides were both measured: one per run of the gateway's mode (each worker count). */
/** What machineBudget's cores leave the gateway per 1,000 messages at `perSecond`, beside the other processes as measured. */
export function gatewayRoom(budget: MachineBudget, perSecond: number): number {
  const others = budget.totalPerThousand - (budget.perThousand.gateway ?? 0);
  return +((budget.cores / perSecond) * 1000 - others).toFixed(3);
}

export function ratios(rows: readonly SummaryRow[]): RatioVerdict[] {
  const verdicts: RatioVerdict[] = [];
  for (const goal of RATIO_GOALS) {
    const kannel = rows.find((r) => r.mode === goal.kannel);
    if (kannel?.deliveredPerSecond === undefined || kannel.deliveredPerSecond === 0) continue;
    for (const gateway of rows) {
      if (gateway.mode !== goal.gateway || gateway.deliveredPerSecond === undefined) continue;
      const ratio = +(gateway.deliveredPerSecond / kannel.deliveredPerSecond).toFixed(2);
      const ceilingAtGoal = gateway.machine?.ceilingAtGoalPerSecond;
      const neededPerSecond = Math.round(goal.atLeast * kannel.deliveredPerSecond);
      const room = gateway.machine === undefined ? undefined : gatewayRoom(gateway.machine, neededPerSecond);
      verdicts.push({
        gateway: goal.gateway,
        label: rowLabel(gateway),
        kannel: goal.kannel,
        ratio,
        atLeast: goal.atLeast,
        met: ratio >= goal.atLeast,
        neededPerSecond,
        ...(ceilingAtGoal === undefined ? {} : { ceilingAtGoalPerSecond: ceilingAtGoal }),
        ...(room === undefined ? {} : { gatewayRoomPerThousand: room }),
      });
    }
  }
  return verdicts;
}

/** The by-process table's columns, in this order (others after them, by name). */
const PROCESS_ORDER: readonly string[] = ['gateway', 'bearerbox', 'smsbox', 'loadGenerator', 'simulator', 'redis', 'kafkaBroker'];
const PROCESS_LABELS: Readonly<Record<string, string>> = {
  gateway: 'gateway',
  bearerbox: 'bearerbox',
  smsbox: 'smsbox',
  loadGenerator: 'load generator',
  simulator: 'SMSC simulator',
  redis: 'Redis',
  kafkaBroker: 'Kafka broker',
};

const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');
const load = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');

function cpuCell(row: SummaryRow): string {
  if (row.cpuSecondsPerThousand === undefined) return '-';
  const goal = row.mode.startsWith('kannel-') ? undefined : CPU_GOALS[row.mode as GatewayMode];
  const value = row.cpuSecondsPerThousand.toFixed(3);
  return goal === undefined ? `${value} (both boxes)` : `${value} (goal <= ${goal.toFixed(2)}: ${row.cpuSecondsPerThousand <= goal ? 'met' : 'not met'})`;
}

export function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The closing table (Markdown), the ratios to Kannel and their goals. */
export function formatSummary(
  rows: readonly SummaryRow[],
  context: { readonly messages: number; readonly concurrency: number; readonly kannelRuns: number; readonly rate?: number | undefined },
): string {
  const out: string[] = [];
  const kannel = rows.some((r) => r.mode.startsWith('kannel-')) ? `; Kannel: median of ${context.kannelRuns} runs by delivered/s` : '';
  const paced = context.rate === undefined ? '' : `; paced phase at ${thousands(context.rate)}/s`;
  out.push(`${thousands(context.messages)} messages per phase, ${context.concurrency} in flight${paced}${kannel}.`);
  out.push('');
  out.push(
    table(
      ['mode', 'workers', 'delivered/s', 'batch delivered/s', 'accept p50 / p99 ms', 'CPU s per 1,000', 'RSS MiB start / warm / peak / end', 'load avg start -> end'],
      rows.map((r) => [
        rowLabel(r),
        r.workers === undefined ? '-' : String(r.workers),
        (r.deliveredPerSecond === undefined ? '-' : thousands(r.deliveredPerSecond)) +
          (r.runsDeliveredPerSecond === undefined ? '' : ` (runs: ${r.runsDeliveredPerSecond.map(thousands).join(', ')})`),
        r.batchDeliveredPerSecond === undefined ? '-' : thousands(r.batchDeliveredPerSecond),
        r.acceptLatencyMs === undefined ? '-' : `${r.acceptLatencyMs.p50.toFixed(1)} / ${r.acceptLatencyMs.p99.toFixed(1)}`,
        cpuCell(r),
        `${r.rssMiB.start} / ${r.rssMiB.afterWarmup} / ${r.rssMiB.peak} / ${r.rssMiB.end}`,
        `${load(r.loadAverage.start)} -> ${load(r.loadAverage.end)}`,
      ]),
    ),
  );
  const pacedRows = rows.flatMap((r) => (r.paced === undefined ? [] : [[rowLabel(r), r.paced] as const]));
  if (pacedRows.length > 0) {
    out.push('');
    out.push(
      table(
        ['paced (open loop)', 'rate /s', 'achieved /s', 'late starts', 'accept p50 / p95 / p99 / max ms', 'delivered/s', 'CPU s per 1,000', 'cores busy: gateway / all', PACED_GOAL.text],
        pacedRows.map(([label, p]) => [
          label,
          thousands(p.rate),
          thousands(p.achievedPerSecond),
          `${thousands(p.late)} of ${thousands(p.messages)}`,
          [p.acceptLatencyMs.p50, p.acceptLatencyMs.p95, p.acceptLatencyMs.p99, p.acceptLatencyMs.max].map((x) => x.toFixed(1)).join(' / '),
          thousands(p.deliveredPerSecond),
          p.cpuSecondsPerThousand.toFixed(3),
          p.busyCores === undefined ? '-' : `${p.busyCores.gateway.toFixed(2)} / ${p.busyCores.all.toFixed(2)}`,
          p.goalMet === undefined ? '- (kafka mode at >= 2,000/s)' : p.goalMet ? 'met' : 'not met',
        ]),
      ),
    );
  }
  const flat = rows.flatMap((r) => (r.rssAfterWarmup === undefined ? [] : [[rowLabel(r), r.rssAfterWarmup] as const]));
  if (flat.length > 0) {
    out.push('');
    out.push(
      table(
        ['RSS after warm-up', 'after warm-up MiB', 'highest since MiB', 'end MiB', 'growth', `goal (within ${RSS_GROWTH_GOAL_PERCENT}%)`],
        flat.map(([label, f]) => [label, String(f.baselineMiB), String(f.maxMiB), String(f.endMiB), `${f.growthPercent}%`, f.withinGoal ? 'met' : 'not met']),
      ),
    );
  }
  const verdicts = ratios(rows);
  const budgets = rows.flatMap((r) => (r.machine === undefined ? [] : [[rowLabel(r), r.machine] as const]));
  if (budgets.length > 0) {
    const seen = new Set(budgets.flatMap(([, b]) => Object.keys(b.perThousand)));
    const names = [...PROCESS_ORDER.filter((n) => seen.has(n)), ...[...seen].filter((n) => !PROCESS_ORDER.includes(n)).sort()];
    out.push('');
    out.push(
      table(
        ['CPU s per 1,000 by process (single POSTs)', ...names.map((n) => PROCESS_LABELS[n] ?? n), 'all', 'cores', 'machine ceiling /s', 'ceiling, gateway at its CPU goal /s'],
        budgets.map(([label, b]) => [
          label,
          ...names.map((n) => b.perThousand[n]?.toFixed(3) ?? '-'),
          b.totalPerThousand.toFixed(3),
          String(b.cores),
          thousands(b.ceilingPerSecond),
          b.ceilingAtGoalPerSecond === undefined ? '-' : thousands(b.ceilingAtGoalPerSecond),
        ]),
      ),
    );
  }
  if (verdicts.length > 0) {
    out.push('');
    out.push(
      table(
        ['delivered/s ratio', 'measured', 'goal', 'verdict', 'goal as delivered/s', 'within the ceiling at the CPU goal', 'gateway CPU s per 1,000 that fits at that rate'],
        verdicts.map((v) => [
          `${v.label} / ${MODE_LABELS[v.kannel]}`,
          `${v.ratio.toFixed(2)}x`,
          `>= ${v.atLeast}x`,
          v.met ? 'met' : 'not met',
          thousands(v.neededPerSecond),
          v.ceilingAtGoalPerSecond === undefined ? '-' : `${v.neededPerSecond <= v.ceilingAtGoalPerSecond ? 'yes' : 'no'} (${thousands(v.ceilingAtGoalPerSecond)})`,
          v.gatewayRoomPerThousand === undefined ? '-' : v.gatewayRoomPerThousand > 0 ? v.gatewayRoomPerThousand.toFixed(3) : 'none: the other processes alone fill the cores',
        ]),
      ),
    );
  }
  return out.join('\n');
}
