import type { TimeWindowConfig } from '../config/routing-config.ts';

/** A time-of-day window in a time zone; the time is an input, never read from a clock. */
export interface TimeWindow {
  contains(atMs: number): boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    // Throws RangeError for an unknown zone, which the config check reports.
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

export function isTimeZone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight in `timezone`. */
export function minuteOfDay(atMs: number, timezone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timezone).formatToParts(atMs)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

function parseHhMm(text: string): number {
  const [h = '0', m = '0'] = text.split(':');
  return Number(h) * 60 + Number(m);
}

/** `from` inclusive, `to` exclusive; `to` earlier than `from` wraps past midnight; equal means all day. */
export function compileTimeWindow(config: TimeWindowConfig): TimeWindow {
  const from = parseHhMm(config.from);
  const to = parseHhMm(config.to);
  const { timezone } = config;
  formatterFor(timezone);
  if (from === to) return { contains: () => true };
  if (from < to) {
    return {
      contains(atMs) {
        const t = minuteOfDay(atMs, timezone);
        return t >= from && t < to;
      },
    };
  }
  return {
    contains(atMs) {
      const t = minuteOfDay(atMs, timezone);
      return t >= from || t < to;
    },
  };
}
