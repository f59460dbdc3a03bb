/**
 * Abuse limits on starting verifications, checked before a code is sent:
 * - geo permissions: the number's country must be in the account's list, when it has one;
 * - per number: codes sent within the resend window (the first send included);
 * - per account: verifications per hour;
 * - per number range (the number without its last digits): SMS pumping (toll fraud) sends many codes into one
 *   range of premium or partner numbers, so a range's hourly velocity over its limit is refused, and so is a
 *   range where many codes went out and almost none came back approved (real users type their codes in).
 * Every try counts against the limits, refused or not, so hammering stays refused.
 */
import { overLimit, type RateCounter, type RateLimit } from '../ports/rate-counter.ts';
import type { VerifySettings } from './verification-settings.ts';
import { verifyError } from './verify-errors.ts';

const HOUR_MS = 3_600_000;

export type AbuseRefusal = 'country' | 'number' | 'account' | 'velocity' | 'conversion';

export class AbuseGuard {
  constructor(
    private readonly counter: RateCounter,
    /** Hears of each refusal before it is thrown (metrics, statistics); awaited, so a count is in before the answer. */
    private readonly refused: (accountId: string, reason: AbuseRefusal) => unknown = () => undefined,
  ) {}

  /** Throws VERIFY_COUNTRY_NOT_ALLOWED, VERIFY_RATE_LIMITED or VERIFY_FRAUD_SUSPECTED; counts the try otherwise. */
  async admit(accountId: string, e164: string, country: string | undefined, settings: VerifySettings, now: number): Promise<void> {
    if (settings.countries !== undefined && (country === undefined || !settings.countries.includes(country))) {
      await this.refused(accountId, 'country');
      throw verifyError('VERIFY_COUNTRY_NOT_ALLOWED', `${country ?? 'unknown country'} is not in the account's verify.countries`, { field: 'to', country: country ?? null });
    }
    const range = rangeOf(e164, settings.limits.rangeDigits);
    const [number, account, velocity] = await this.counter.hit(
      [
        { key: `v:n:${accountId}:${e164}`, limit: settings.resends.max, windowMs: settings.resends.windowSeconds * 1000 },
        { key: `v:a:${accountId}`, limit: settings.limits.perAccountPerHour, windowMs: HOUR_MS },
        { key: `v:r:${accountId}:${range}`, limit: settings.limits.perRangePerHour, windowMs: HOUR_MS },
      ],
      now,
    );
    const limited = overLimit([number, account].filter((c) => c !== undefined));
    if (limited !== undefined) {
      const scope = limited === number ? 'number' : 'account';
      await this.refused(accountId, scope);
      throw verifyError('VERIFY_RATE_LIMITED', `${scope === 'number' ? 'codes sent to this number' : "the account's verifications"}: ${limited.count} over ${limited.limit}`, {
        scope,
        limit: limited.limit,
        retryAfter: Math.ceil(limited.retryAfterMs / 1000),
      });
    }
    if (velocity !== undefined && overLimit([velocity]) !== undefined) {
      await this.refused(accountId, 'velocity');
      throw verifyError('VERIFY_FRAUD_SUSPECTED', `${velocity.count} verifications to ${range}… within an hour`, { signal: 'velocity', range: `${range}…`, retryAfter: Math.ceil(velocity.retryAfterMs / 1000) });
    }
    const [sent, approved] = await this.counter.peek(this.conversionLimits(accountId, range, settings), now);
    if (sent !== undefined && approved !== undefined && sent.count >= settings.fraud.minSamples && approved.count / sent.count < settings.fraud.minConversion) {
      await this.refused(accountId, 'conversion');
      throw verifyError('VERIFY_FRAUD_SUSPECTED', `${sent.count} codes sent to ${range}… and ${approved.count} approved`, { signal: 'conversion', range: `${range}…`, retryAfter: Math.ceil(sent.retryAfterMs / 1000) });
    }
  }

  /** A code went out to the number's range (the conversion guard's denominator). */
  async sent(accountId: string, e164: string, settings: VerifySettings, now: number): Promise<void> {
    const [sent] = this.conversionLimits(accountId, rangeOf(e164, settings.limits.rangeDigits), settings);
    if (sent !== undefined) await this.counter.hit([sent], now);
  }

  /** A verification to the number's range was approved (the conversion guard's numerator). */
  async approved(accountId: string, e164: string, settings: VerifySettings, now: number): Promise<void> {
    const [, approved] = this.conversionLimits(accountId, rangeOf(e164, settings.limits.rangeDigits), settings);
    if (approved !== undefined) await this.counter.hit([approved], now);
  }

  private conversionLimits(accountId: string, range: string, settings: VerifySettings): RateLimit[] {
    const windowMs = settings.fraud.windowSeconds * 1000;
    return [
      { key: `v:cs:${accountId}:${range}`, limit: Number.MAX_SAFE_INTEGER, windowMs },
      { key: `v:ca:${accountId}:${range}`, limit: Number.MAX_SAFE_INTEGER, windowMs },
    ];
  }
}

/** The number's range: E.164 without its last `digits` digits. */
export function rangeOf(e164: string, digits: number): string {
  return e164.slice(0, Math.max(2, e164.length - digits));
}
