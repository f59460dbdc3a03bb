/**
 * The client benchmarks' arithmetic and tables, pure: each figure per run, their medians, and the ratios of a
 * challenger to the incumbent against the bar a switch has to clear (issue 18: 1.3x less CPU per record).
 */

/** How much less CPU per record a challenger must use before a switch is worth its risk. */
export const SWITCH_CPU_RATIO = 1.3;

export interface RunFigures {
  readonly perSecond: number;
  /** CPU seconds (user + system) of the bench process per 100,000 records or operations. */
  readonly cpuSecondsPer100k: number;
}

/** One client's runs of one phase in one variant (a compression, or none). */
export interface Measured {
  readonly phase: string;
  readonly variant: string;
  readonly client: string;
  readonly runs: readonly RunFigures[];
}

export interface Comparison {
  readonly phase: string;
  readonly variant: string;
  readonly incumbent: RunFigures;
  readonly challenger: RunFigures;
  /** Challenger's records/s over the incumbent's: above 1, the challenger is faster. */
  readonly perSecondRatio: number;
  /** Incumbent's CPU per record over the challenger's: above 1, the challenger is cheaper. */
  readonly cpuRatio: number;
}

export function figures(count: number, seconds: number, cpuSeconds: number): RunFigures {
  if (count <= 0 || seconds <= 0) throw new RangeError(`figures of ${count} in ${seconds} s`);
  return { perSecond: count / seconds, cpuSecondsPer100k: (cpuSeconds / count) * 100_000 };
}

/** The middle value; of an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Each figure's own median over the runs (the two medians may come from different runs). */
export function medianFigures(runs: readonly RunFigures[]): RunFigures {
  return { perSecond: median(runs.map((r) => r.perSecond)), cpuSecondsPer100k: median(runs.map((r) => r.cpuSecondsPer100k)) };
}

/** Every phase and variant both clients ran, in the order first measured. */
export function compare(measured: readonly Measured[], incumbent: string, challenger: string): Comparison[] {
  const find = (phase: string, variant: string, client: string) => measured.find((m) => m.phase === phase && m.variant === variant && m.client === client);
  const seen = new Set<string>();
  const out: Comparison[] = [];
  for (const m of measured) {
    const id = `${m.phase}\n${m.variant}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const a = find(m.phase, m.variant, incumbent);
    const b = find(m.phase, m.variant, challenger);
    if (a === undefined || b === undefined || a.runs.length === 0 || b.runs.length === 0) continue;
    const incumbentMedian = medianFigures(a.runs);
    const challengerMedian = medianFigures(b.runs);
    out.push({
      phase: m.phase,
      variant: m.variant,
      incumbent: incumbentMedian,
      challenger: challengerMedian,
      perSecondRatio: challengerMedian.perSecond / incumbentMedian.perSecond,
      cpuRatio: incumbentMedian.cpuSecondsPer100k / challengerMedian.cpuSecondsPer100k,
    });
  }
  return out;
}

/** Whether the challenger uses at least SWITCH_CPU_RATIO times less CPU in every compared phase. */
export function clearsCpuBar(comparisons: readonly Comparison[]): boolean {
  return comparisons.length > 0 && comparisons.every((c) => c.cpuRatio >= SWITCH_CPU_RATIO);
}

const rate = (n: number): string => Math.round(n).toLocaleString('en-US');
const cpu = (n: number): string => n.toFixed(2);
const ratio = (n: number): string => `${n.toFixed(2)}x`;

export function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The per-client table (medians, every run beside them) and the ratio table, Markdown. */
export function formatComparison(measured: readonly Measured[], incumbent: string, challenger: string, unit: string): string {
  const figuresTable = table(
    ['phase', 'variant', 'client', `${unit}/s (median; runs)`, `CPU s per 100k ${unit} (median; runs)`],
    measured.map((m) => {
      const med = medianFigures(m.runs);
      return [
        m.phase,
        m.variant,
        m.client,
        `${rate(med.perSecond)} (${m.runs.map((r) => rate(r.perSecond)).join(', ')})`,
        `${cpu(med.cpuSecondsPer100k)} (${m.runs.map((r) => cpu(r.cpuSecondsPer100k)).join(', ')})`,
      ];
    }),
  );
  const comparisons = compare(measured, incumbent, challenger);
  if (comparisons.length === 0) return figuresTable;
  const ratioTable = table(
    ['phase', 'variant', `${unit}/s ${challenger} / ${incumbent}`, `CPU per ${unit.replace(/s$/, '')} ${incumbent} / ${challenger}`, `CPU bar (>= ${SWITCH_CPU_RATIO}x)`],
    comparisons.map((c) => [c.phase, c.variant, ratio(c.perSecondRatio), ratio(c.cpuRatio), c.cpuRatio >= SWITCH_CPU_RATIO ? 'cleared' : 'not cleared']),
  );
  return `${figuresTable}\n\n${ratioTable}`;
}
