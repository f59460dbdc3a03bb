/**
 * Usage reports of an account: messages, segments and price per day, month, carrier, connector or final status
 * over a range of local days (see usage-figures.ts for what counts and when).
 * - day / month: every day (month) of the range, zeros included; billed messages.
 * - carrier / connector: billed messages of the range under each carrier (connector) that has any.
 * - status: messages that became final in the range, under their final status (failed ones too).
 */
import { gatewayError } from '../errors.ts';
import type { UsageStore } from '../ports/usage-store.ts';
import { UsageCalendar } from './usage-calendar.ts';
import { PRICE_SCALE, readFigureName } from './usage-figures.ts';

export const USAGE_GROUPS = ['day', 'month', 'carrier', 'connector', 'status'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** The longest range one report covers, in days. */
export const MAX_USAGE_DAYS = 366;

export interface UsageQuery {
  readonly accountId: string;
  /** First and last local day, `YYYY-MM-DD`, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly groupBy: UsageGroup;
}

export interface UsageFigures {
  readonly messages: number;
  readonly segments: number;
  /** Amount per currency (ISO 4217; `XXX` for routes that name none); absent when nothing was priced. */
  readonly price?: Readonly<Record<string, number>>;
}

export interface UsageRow extends UsageFigures {
  /** The day, month, carrier, connector or status. */
  readonly key: string;
}

export interface UsageReport {
  readonly accountId: string;
  readonly from: string;
  readonly to: string;
  readonly groupBy: UsageGroup;
  readonly timeZone: string;
  readonly rows: readonly UsageRow[];
  readonly total: UsageFigures;
}

interface Sum {
  messages: number;
  segments: number;
  micros: Map<string, number>;
}

export class UsageService {
  constructor(
    private readonly store: UsageStore,
    readonly calendar: UsageCalendar,
  ) {}

  async report(query: UsageQuery): Promise<UsageReport> {
    const days = checkRange(query.from, query.to);
    const stored = await this.store.days(query.accountId, days);
    const sums = new Map<string, Sum>();
    if (query.groupBy === 'day') for (const day of days) sums.set(day, emptySum());
    if (query.groupBy === 'month') for (const day of days) sums.set(day.slice(0, 7), emptySum());
    for (const { day, figures } of stored) {
      for (const [name, value] of Object.entries(figures)) {
        const figure = readFigureName(name);
        if (figure === undefined) continue;
        let key: string;
        if (query.groupBy === 'day' || query.groupBy === 'month') {
          if (figure.dimension !== undefined) continue;
          key = query.groupBy === 'day' ? day : day.slice(0, 7);
        } else {
          if (figure.dimension !== query.groupBy || figure.value === undefined) continue;
          key = figure.value;
        }
        const sum = sums.get(key) ?? emptySum();
        sums.set(key, sum);
        add(sum, figure.measure, value);
      }
    }
    const keys = [...sums.keys()];
    if (query.groupBy !== 'day' && query.groupBy !== 'month') keys.sort();
    const rows = keys.map((key) => ({ key, ...figuresOf(sums.get(key) ?? emptySum()) }));
    const total = emptySum();
    for (const sum of sums.values()) {
      total.messages += sum.messages;
      total.segments += sum.segments;
      for (const [currency, micros] of sum.micros) total.micros.set(currency, (total.micros.get(currency) ?? 0) + micros);
    }
    return { accountId: query.accountId, from: query.from, to: query.to, groupBy: query.groupBy, timeZone: this.calendar.timeZone, rows, total: figuresOf(total) };
  }
}

/** The days of a valid range; refuses an impossible date, a reversed range or one over MAX_USAGE_DAYS, naming the field. */
export function checkRange(from: string, to: string): string[] {
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!isCalendarDate(value)) throw gatewayError('GW_INVALID_USAGE_QUERY', `${field} "${value}" is not a date (YYYY-MM-DD)`, { field });
  }
  if (from > to) throw gatewayError('GW_INVALID_USAGE_QUERY', `from ${from} is after to ${to}`, { field: 'from' });
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (span > MAX_USAGE_DAYS) throw gatewayError('GW_INVALID_USAGE_QUERY', `the range covers ${span} days; at most ${MAX_USAGE_DAYS}`, { field: 'to', limit: MAX_USAGE_DAYS });
  return UsageCalendar.days(from, to);
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

const emptySum = (): Sum => ({ messages: 0, segments: 0, micros: new Map() });

function add(sum: Sum, measure: string, value: number): void {
  if (measure === 'm') sum.messages += value;
  else if (measure === 's') sum.segments += value;
  else if (measure.startsWith('p:')) sum.micros.set(measure.slice(2), (sum.micros.get(measure.slice(2)) ?? 0) + value);
}

function figuresOf(sum: Sum): UsageFigures {
  if (sum.micros.size === 0) return { messages: sum.messages, segments: sum.segments };
  const price = Object.fromEntries([...sum.micros].sort(([a], [b]) => a.localeCompare(b)).map(([currency, micros]) => [currency, micros / PRICE_SCALE]));
  return { messages: sum.messages, segments: sum.segments, price };
}
