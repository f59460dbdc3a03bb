/**
 * An account's send window (`accounts[].sendWindow`): which rules hold for a message (its tag's own, the
 * account's, or none for an exempt tag such as an OTP), in which zones (the recipient's, from the number's
 * country, or the configured `timeZone`), and so when the message may go. Pure: the instant is always given.
 */
import { normalizeNumber } from '../../router/index.ts';
import { countryZones } from './country-zones.ts';
import { isKnownZone, middleZone, minutesOf, nextOpening, nextOpeningInAll, WEEKDAYS, type SendWindowRule } from './send-window.ts';

export interface SendWindowConfig {
  /** When messages may go, in the recipient's local time. */
  readonly rules: readonly SendWindowRule[];
  /** One IANA zone for every recipient, instead of the zones of each number's country. */
  readonly timeZone?: string;
  /** Rules of their own for messages with these tags (matched without regard to case). */
  readonly tags?: Readonly<Record<string, { readonly rules: readonly SendWindowRule[] }>>;
  /** Tags that go at any hour (default `otp` and `2fa`; `[]` exempts none). */
  readonly exemptTags?: readonly string[];
}

export const DEFAULT_EXEMPT_TAGS: readonly string[] = ['otp', '2fa'];

/** Where the zones of a number with no country of its own (a non-geographic +800 number) come from. */
const FALLBACK_ZONE = 'UTC';

export interface WindowedMessage {
  readonly tag?: string | undefined;
  /** E.164. */
  readonly to: string;
  /** The number's country when known already (the router's answer); else it is read from `to`. */
  readonly country?: string | undefined;
}

/**
 * Undefined when the message may go at `at` (no window, an exempt tag, or the window is open); otherwise the
 * instant the window next opens for it.
 */
export function windowOpening(window: SendWindowConfig | undefined, message: WindowedMessage, at: number, defaultCountry?: string): number | undefined {
  if (window === undefined) return undefined;
  const rules = rulesFor(window, message.tag);
  if (rules === undefined) return undefined;
  const zones = window.timeZone === undefined ? recipientZones(message, defaultCountry) : [window.timeZone];
  const opening = nextOpeningInAll(rules, zones, at) ?? middleOpening(rules, zones, at);
  return opening === undefined || opening <= at ? undefined : opening;
}

/** The tag's own rules, the account's, or undefined for an exempt tag. */
function rulesFor(window: SendWindowConfig, tag: string | undefined): readonly SendWindowRule[] | undefined {
  if (tag === undefined) return window.rules;
  const lower = tag.toLowerCase();
  if ((window.exemptTags ?? DEFAULT_EXEMPT_TAGS).some((exempt) => exempt.toLowerCase() === lower)) return undefined;
  const own = Object.entries(window.tags ?? {}).find(([name]) => name.toLowerCase() === lower);
  return own?.[1].rules ?? window.rules;
}

function recipientZones(message: WindowedMessage, defaultCountry: string | undefined): readonly string[] {
  const country = message.country ?? countryOf(message.to) ?? defaultCountry;
  const zones = country === undefined ? [] : countryZones(country);
  return zones.length > 0 ? zones : [FALLBACK_ZONE];
}

function countryOf(e164: string): string | undefined {
  try {
    return normalizeNumber(e164, {}).country;
  } catch {
    return undefined;
  }
}

/**
 * Rules narrower than a country's spread of offsets never open in all its zones at once: the window of the zone in
 * the middle (by offset) stands for the country then. A stable choice matters: the dispatch guard asks again at
 * the opening, and must find the window open.
 */
function middleOpening(rules: readonly SendWindowRule[], zones: readonly string[], at: number): number | undefined {
  const zone = middleZone(zones, at);
  return zone === undefined ? undefined : nextOpening(rules, zone, at);
}

const TIME = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const END_TIME = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

const RULES_SCHEMA = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['days', 'from', 'to'],
    properties: {
      days: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: WEEKDAYS } },
      from: { type: 'string', pattern: TIME },
      to: { type: 'string', pattern: END_TIME },
    },
  },
} as const;

/** The ajv schema of `accounts[].sendWindow` (the gateway's config schema embeds it). */
export const SEND_WINDOW_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    rules: RULES_SCHEMA,
    timeZone: { type: 'string', minLength: 1 },
    tags: {
      type: 'object',
      propertyNames: { minLength: 1, maxLength: 64 },
      additionalProperties: { type: 'object', additionalProperties: false, required: ['rules'], properties: { rules: RULES_SCHEMA } },
    },
    exemptTags: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 } },
  },
} as const;

/** What the schema cannot say: each rule ends after it starts, and the zone exists. Returns [field, problem]. */
export function sendWindowProblem(window: SendWindowConfig, field: string): readonly [string, string] | undefined {
  if (window.timeZone !== undefined && !isKnownZone(window.timeZone)) return [`${field}.timeZone`, `"${window.timeZone}" is not an IANA time zone (e.g. Asia/Tokyo)`];
  const lists: [string, readonly SendWindowRule[]][] = [[`${field}.rules`, window.rules]];
  for (const [tag, own] of Object.entries(window.tags ?? {})) lists.push([`${field}.tags.${tag}.rules`, own.rules]);
  for (const [at, rules] of lists) {
    for (const [index, rule] of rules.entries()) {
      if ((minutesOf(rule.from) ?? 0) >= (minutesOf(rule.to) ?? 0)) {
        return [`${at}[${index}].to`, `(${rule.to}) must be after from (${rule.from}); a window over midnight is two rules (e.g. 22:00-24:00 and 00:00-06:00 on the next days)`];
      }
    }
  }
  return undefined;
}
