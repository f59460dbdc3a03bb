/**
 * An account's verification settings (`accounts[].verify`), every one with a default, and the schema the
 * configuration check uses. Defaults follow what the services this gateway serves ask for: 6 digits, 5 minutes,
 * 3 tries, 5 sends per number in 10 minutes at least 30 s apart.
 */
import { CODE_LENGTH } from './verification-code.ts';

export type VerifyLocale = 'ja' | 'en';

export interface VerifySettingsConfig {
  readonly codeLength?: number;
  readonly ttlSeconds?: number;
  readonly maxAttempts?: number;
  /** Codes sent to one number (the first included) within `windowSeconds`. */
  readonly resends?: { readonly max?: number; readonly windowSeconds?: number };
  readonly minIntervalSeconds?: number;
  /** The tag the code's message carries, which picks its route (default `otp`: the otp route, the high lane). */
  readonly tag?: string;
  readonly from?: string;
  /** Message texts by locale; `{code}` is required, `{minutes}` and `{account}` are optional. */
  readonly templates?: Partial<Record<VerifyLocale, string>>;
  readonly defaultLocale?: VerifyLocale;
  /** ISO countries numbers may be in (geo permissions); absent: any. */
  readonly countries?: readonly string[];
  readonly limits?: {
    /** Verifications the account may start per hour. */
    readonly perAccountPerHour?: number;
    /** Verifications to one number range (the number without its last `rangeDigits` digits) per hour. */
    readonly perRangePerHour?: number;
    readonly rangeDigits?: number;
  };
  /** SMS-pumping guard: a range with this many codes sent and too few approved in the window is refused. */
  readonly fraud?: { readonly minSamples?: number; readonly minConversion?: number; readonly windowSeconds?: number };
}

export interface VerifySettings {
  readonly codeLength: number;
  readonly ttlSeconds: number;
  readonly maxAttempts: number;
  readonly resends: { readonly max: number; readonly windowSeconds: number };
  readonly minIntervalSeconds: number;
  readonly tag: string;
  readonly from?: string;
  readonly templates: Readonly<Record<VerifyLocale, string>>;
  readonly defaultLocale: VerifyLocale;
  readonly countries?: readonly string[];
  readonly limits: { readonly perAccountPerHour: number; readonly perRangePerHour: number; readonly rangeDigits: number };
  readonly fraud: { readonly minSamples: number; readonly minConversion: number; readonly windowSeconds: number };
}

export const DEFAULT_TEMPLATES: Readonly<Record<VerifyLocale, string>> = {
  ja: '認証コード: {code} ({minutes}分間有効)。このコードを他人に教えないでください。',
  en: 'Your verification code is {code}. It is valid for {minutes} minutes. Do not share it with anyone.',
};

export const TTL_SECONDS = { min: 60, max: 3_600, default: 300 } as const;

export function verifySettings(config: VerifySettingsConfig | undefined, defaultCountry: string | undefined): VerifySettings {
  const c = config ?? {};
  return {
    codeLength: c.codeLength ?? CODE_LENGTH.default,
    ttlSeconds: c.ttlSeconds ?? TTL_SECONDS.default,
    maxAttempts: c.maxAttempts ?? 3,
    resends: { max: c.resends?.max ?? 5, windowSeconds: c.resends?.windowSeconds ?? 600 },
    minIntervalSeconds: c.minIntervalSeconds ?? 30,
    tag: c.tag ?? 'otp',
    ...(c.from === undefined ? {} : { from: c.from }),
    templates: { ...DEFAULT_TEMPLATES, ...c.templates },
    defaultLocale: c.defaultLocale ?? (defaultCountry === 'JP' ? 'ja' : 'en'),
    ...(c.countries === undefined ? {} : { countries: c.countries }),
    limits: {
      perAccountPerHour: c.limits?.perAccountPerHour ?? 10_000,
      perRangePerHour: c.limits?.perRangePerHour ?? 100,
      rangeDigits: c.limits?.rangeDigits ?? 4,
    },
    fraud: { minSamples: c.fraud?.minSamples ?? 30, minConversion: c.fraud?.minConversion ?? 0.1, windowSeconds: c.fraud?.windowSeconds ?? 3_600 },
  };
}

const TEMPLATE = { type: 'string', minLength: 1, maxLength: 500, pattern: '\\{code\\}' } as const;

/** The `accounts[].verify` part of the configuration schema. */
export const VERIFY_SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    codeLength: { type: 'integer', minimum: CODE_LENGTH.min, maximum: CODE_LENGTH.max },
    ttlSeconds: { type: 'integer', minimum: TTL_SECONDS.min, maximum: TTL_SECONDS.max },
    maxAttempts: { type: 'integer', minimum: 1, maximum: 10 },
    resends: {
      type: 'object',
      additionalProperties: false,
      properties: { max: { type: 'integer', minimum: 1, maximum: 100 }, windowSeconds: { type: 'integer', minimum: 60, maximum: 86_400 } },
    },
    minIntervalSeconds: { type: 'integer', minimum: 0, maximum: 3_600 },
    tag: { type: 'string', minLength: 1, maxLength: 64 },
    from: { type: 'string', minLength: 1, maxLength: 32 },
    templates: { type: 'object', additionalProperties: false, properties: { ja: TEMPLATE, en: TEMPLATE } },
    defaultLocale: { enum: ['ja', 'en'] },
    countries: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Z]{2}$' } },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        perAccountPerHour: { type: 'integer', minimum: 1 },
        perRangePerHour: { type: 'integer', minimum: 1 },
        rangeDigits: { type: 'integer', minimum: 1, maximum: 8 },
      },
    },
    fraud: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minSamples: { type: 'integer', minimum: 1 },
        minConversion: { type: 'number', minimum: 0, maximum: 1 },
        windowSeconds: { type: 'integer', minimum: 60, maximum: 86_400 },
      },
    },
  },
} as const;

/** The code's message in the asked locale; `masked` gives the same text with the code as asterisks (for storage). */
export function verificationText(settings: VerifySettings, locale: VerifyLocale, code: string): { readonly text: string; readonly masked: string } {
  const template = settings.templates[locale];
  const minutes = String(Math.round(settings.ttlSeconds / 60));
  const fill = (value: string): string => template.replaceAll('{minutes}', minutes).replaceAll('{code}', value);
  return { text: fill(code), masked: fill('*'.repeat(code.length)) };
}
