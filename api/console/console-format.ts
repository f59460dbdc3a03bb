/**
 * How the console shows times and numbers: in the signed-in account's time zone (accounts[].timeZone, else the
 * usage time zone) and the page's language. Formatters are built once per zone and language: Intl formatters
 * are costly to make and cheap to reuse.
 */
import type { ConsoleLanguage } from './console-i18n.ts';

const LOCALES: Record<ConsoleLanguage, string> = { ja: 'ja-JP', en: 'en-GB' };
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(language: ConsoleLanguage, timeZone: string): Intl.DateTimeFormat {
  const key = `${language}\u0000${timeZone}`;
  let made = cache.get(key);
  if (made === undefined) {
    made = new Intl.DateTimeFormat(LOCALES[language], {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    cache.set(key, made);
  }
  return made;
}

export interface ConsoleFormat {
  readonly timeZone: string;
  /** A time (ms since the epoch, or an ISO string) in the account's zone; '—' when absent. */
  time(value: number | string | undefined | null): string;
  /** A count with the language's digit grouping. */
  count(value: number | undefined | null): string;
}

export function consoleFormat(language: ConsoleLanguage, timeZone: string): ConsoleFormat {
  const dates = formatter(language, timeZone);
  const numbers = new Intl.NumberFormat(LOCALES[language]);
  return {
    timeZone,
    time(value) {
      if (value === undefined || value === null || value === '') return '—';
      const at = typeof value === 'number' ? value : Date.parse(value);
      return Number.isFinite(at) ? dates.format(at) : '—';
    },
    count(value) {
      return value === undefined || value === null ? '—' : numbers.format(value);
    },
  };
}
