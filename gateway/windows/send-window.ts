/**
 * Allowed sending hours as pure decisions over an instant: is a window open now in an IANA zone, and when does it
 * next open. Wall-clock times are read through Intl.DateTimeFormat, so daylight saving time follows the zone's
 * own rules (America/New_York moves on 2026-03-08 and 2026-11-01; Asia/Tokyo never does). No clock is read here:
 * every answer is about the instant given.
 * - A rule covers `from` (included) to `to` (excluded) on its days, in local wall-clock time; `to` may be 24:00.
 * - Several zones (a country that spans some) are served conservatively: the window must be open in all of them.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SendWindowRule {
  readonly days: readonly Weekday[];
  /** Local wall-clock time HH:MM (00:00 to 23:59). */
  readonly from: string;
  /** Local wall-clock time HH:MM after `from` (up to 24:00). */
  readonly to: string;
}

/** Each rule as minutes of the day, per weekday (0 = Sunday). */
interface CompiledRule {
  readonly days: ReadonlySet<number>;
  readonly from: number;
  readonly to: number;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  /** Minute of the day, 0 to 1439. */
  readonly minute: number;
  readonly second: number;
}

const DAY_MS = 86_400_000;
/** A window opens within a week; one more day covers a rule that starts on the day a DST change shifts. */
const SEARCH_DAYS = 8;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes of the day of an HH:MM time (24:00 is 1440), or undefined when it is no such time. */
export function minutesOf(time: string): number | undefined {
  const match = /^([01][0-9]|2[0-4]):([0-5][0-9])$/.exec(time);
  if (match === null) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes > 1440 ? undefined : minutes;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export function isOpen(rules: readonly SendWindowRule[], zone: string, at: number): boolean {
  return openIn(compile(rules), zone, at);
}

/** `at` when the window is open then, else the next instant it opens (undefined only for rules that never open). */
export function nextOpening(rules: readonly SendWindowRule[], zone: string, at: number): number | undefined {
  return openingIn(compile(rules), zone, at);
}

/**
 * The first instant from `at` at which the window is open in every zone. Undefined when the zones' windows never
 * meet within the search (rules narrower than the zones' spread of offsets): the caller decides then.
 */
export function nextOpeningInAll(rules: readonly SendWindowRule[], zones: readonly string[], at: number): number | undefined {
  const compiled = compile(rules);
  let candidate = at;
  while (candidate - at <= SEARCH_DAYS * DAY_MS) {
    let moved = false;
    for (const zone of zones) {
      const opening = openingIn(compiled, zone, candidate);
      if (opening === undefined) return undefined;
      if (opening > candidate) {
        candidate = opening;
        moved = true;
      }
    }
    if (!moved) return candidate;
  }
  return undefined;
}

/**
 * The zone in the middle of `zones` by UTC offset at `at` (the earlier of two in the middle): a stable stand-in for
 * a country whose zones' windows never meet.
 */
export function middleZone(zones: readonly string[], at: number): string | undefined {
  const sorted = [...zones].sort((a, b) => offsetAt(a, at) - offsetAt(b, at) || a.localeCompare(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function compile(rules: readonly SendWindowRule[]): CompiledRule[] {
  return rules.map((rule) => ({
    days: new Set(rule.days.map((day) => WEEKDAYS.indexOf(day))),
    from: minutesOf(rule.from) ?? 0,
    to: minutesOf(rule.to) ?? 0,
  }));
}

function openIn(rules: readonly CompiledRule[], zone: string, at: number): boolean {
  const local = wallClock(zone, at);
  return rules.some((rule) => rule.days.has(local.weekday) && local.minute >= rule.from && local.minute < rule.to);
}

/**
 * While closed, the window next opens at some rule's `from` on a coming local day: each candidate is turned into
 * an instant and checked, so a `from` that a DST change skips (or repeats) never yields a closed instant.
 */
function openingIn(rules: readonly CompiledRule[], zone: string, at: number): number | undefined {
  if (openIn(rules, zone, at)) return at;
  const today = wallClock(zone, at);
  let best: number | undefined;
  for (let offset = 0; offset <= SEARCH_DAYS && best === undefined; offset += 1) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = date.getUTCDay();
    for (const rule of rules) {
      if (!rule.days.has(weekday) || rule.from >= 1440) continue;
      for (const instant of instantsOf(zone, date.getTime() + rule.from * 60_000)) {
        if (instant > at && (best === undefined || instant < best) && openIn(rules, zone, instant)) best = instant;
      }
    }
  }
  return best;
}

/**
 * The instants that show `naive` (a local wall-clock time written as if it were UTC) in `zone`: the zone's offset
 * just before and just after, which differ only around a DST change.
 */
function instantsOf(zone: string, naive: number): number[] {
  const first = naive - offsetAt(zone, naive);
  const second = naive - offsetAt(zone, first);
  return first === second ? [first] : [first, second];
}

/** How far the zone's wall clock is ahead of UTC at `at` (whole seconds, as the formatter shows them). */
function offsetAt(zone: string, at: number): number {
  const local = wallClock(zone, at);
  return Date.UTC(local.year, local.month - 1, local.day) + local.minute * 60_000 + local.second * 1000 - Math.floor(at / 1000) * 1000;
}

function wallClock(zone: string, at: number): WallClock {
  const fields: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(at)) fields[part.type] = part.value;
  const year = Number(fields.year);
  const month = Number(fields.month);
  const day = Number(fields.day);
  return {
    year,
    month,
    day,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    minute: Number(fields.hour) * 60 + Number(fields.minute),
    second: Number(fields.second),
  };
}

function formatter(zone: string): Intl.DateTimeFormat {
  let cached = formatters.get(zone);
  if (cached === undefined) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(zone, cached);
  }
  return cached;
}
