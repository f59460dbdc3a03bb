/**
 * Days and months of usage and quotas in one IANA time zone (`usage.timeZone`, default UTC): a Japanese account
 * sees its usage by JST day (`Asia/Tokyo`) and its daily quota resets at JST midnight. Day keys are `YYYY-MM-DD`,
 * month keys `YYYY-MM`, both in that zone. Time is an input: this module reads no clock.
 */
import { gatewayError } from '../errors.ts';

const DAY_MS = 86_400_000;

export class UsageCalendar {
  private readonly format: Intl.DateTimeFormat;
  /** The last day asked for, with its bounds: nearly every call falls in it, and formatToParts costs microseconds. */
  private lastDay: { readonly from: number; readonly until: number; readonly day: string } | undefined;

  constructor(readonly timeZone = 'UTC') {
    try {
      this.format = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw gatewayError('GW_INVALID_CONFIG', `usage.timeZone "${timeZone}" is not an IANA time zone (e.g. UTC, Asia/Tokyo)`, { field: 'usage.timeZone' });
    }
  }

  /** The local day of an instant, `YYYY-MM-DD`. */
  day(at: number): string {
    const last = this.lastDay;
    if (last !== undefined && at >= last.from && at < last.until) return last.day;
    const { year, month, day } = this.local(at);
    const key = `${year}-${pad(month)}-${pad(day)}`;
    const from = this.midnight(year, month, day);
    const until = this.midnight(year, month, day + 1);
    // Where clocks jump over midnight the computed bounds can fall in a neighbouring day: such a day is not kept.
    const exact = at >= from && at < until && this.dayKey(from) === key && this.dayKey(until - 1) === key && this.dayKey(until) !== key;
    this.lastDay = exact ? { from, until, day: key } : undefined;
    return key;
  }

  private dayKey(at: number): string {
    const { year, month, day } = this.local(at);
    return `${year}-${pad(month)}-${pad(day)}`;
  }

  /** The local month of an instant, `YYYY-MM`. */
  month(at: number): string {
    return this.day(at).slice(0, 7);
  }

  /** The instant the local day after `at`'s begins (a daily quota resets then). */
  nextDayStart(at: number): number {
    const last = this.lastDay;
    if (last !== undefined && at >= last.from && at < last.until) return last.until;
    const { year, month, day } = this.local(at);
    return this.midnight(year, month, day + 1);
  }

  /** The instant the local month after `at`'s begins. */
  nextMonthStart(at: number): number {
    const { year, month } = this.local(at);
    return this.midnight(year, month + 1, 1);
  }

  /** Every day from `from` to `to` (inclusive, `YYYY-MM-DD`); calendar days, so the zone does not matter. */
  static days(from: string, to: string): string[] {
    const days: string[] = [];
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
    return days;
  }

  /** Local midnight of a calendar date (month and day may overflow: Date.UTC normalizes them). */
  private midnight(year: number, month: number, day: number): number {
    const wall = Date.UTC(year, month - 1, day);
    // The offset at the wall time read as UTC is right except across a transition; one more step settles it.
    const first = wall - this.offset(wall);
    const start = wall - this.offset(first);
    // Where the clocks jump over midnight (America/Santiago in September) that instant is still the day before:
    // the day then begins at the jump, the first minute whose local date is the day's.
    const date = new Date(wall).toISOString().slice(0, 10);
    if (this.dayKey(start) >= date) return start;
    let before = start;
    let after = start + 3 * 3_600_000;
    while (after - before > 60_000) {
      const middle = before + Math.floor((after - before) / 120_000) * 60_000;
      if (this.dayKey(middle) >= date) after = middle;
      else before = middle;
    }
    return after;
  }

  /** Milliseconds the zone is ahead of UTC at an instant. */
  private offset(at: number): number {
    const { year, month, day, hour, minute, second } = this.local(at);
    return Date.UTC(year, month - 1, day, hour, minute, second) - (at - (((at % 1000) + 1000) % 1000));
  }

  private local(at: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(at))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    return { year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');
