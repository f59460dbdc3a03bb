/**
 * The IANA time zones of a country (ISO 3166-1 alpha-2), from the runtime's own ICU data (Intl.Locale's time
 * zones: `JP` gives Asia/Tokyo, `US` its 29 zones), so no table is kept here and the data follows Node's tzdata.
 */

/** Intl.Locale's time zone list: `getTimeZones()` in newer runtimes, the `timeZones` getter in older ones. */
interface LocaleTimeZones {
  getTimeZones?: () => string[];
  readonly timeZones?: string[];
}

const cache = new Map<string, readonly string[]>();

/** The country's zones, sorted; empty for a code the runtime does not know. */
export function countryZones(country: string): readonly string[] {
  const code = country.toUpperCase();
  let zones = cache.get(code);
  if (zones === undefined) {
    zones = lookup(code);
    cache.set(code, zones);
  }
  return zones;
}

function lookup(code: string): readonly string[] {
  if (!/^[A-Z]{2}$/.test(code)) return [];
  try {
    const locale = new Intl.Locale(`und-${code}`) as Intl.Locale & LocaleTimeZones;
    return [...(locale.getTimeZones?.() ?? locale.timeZones ?? [])].sort();
  } catch {
    return [];
  }
}
