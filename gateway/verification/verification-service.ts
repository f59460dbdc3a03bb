/**
 * The verification service: one-time codes by SMS. A verification is opened (or renewed) per account and number,
 * its code goes out as a high-lane message through the messages service (its stored text masked, the real parts
 * sealed), and checks are counted atomically in the store: a code is approved once, never after its expiry or
 * its last attempt. Codes exist only in the message on its way to the carrier: the store keeps an HMAC.
 * Each step, and each start refused before a code went out, is also counted in the account's statistics of the
 * day (`stats`; see verification-stats.ts).
 */
import { normalizeNumber } from '../../router/index.ts';
import type { AccountConfig, AccountRegistry } from '../accounts/account-registry.ts';
import type { AcceptedMessage, ServiceSubmit, SubmitRequest } from '../accept/accept-request.ts';
import { gatewayError } from '../errors.ts';
import { verificationId, type VerificationRecord, type VerificationStore } from '../ports/verification-store.ts';
import { UsageCalendar } from '../usage/usage-calendar.ts';
import type { AbuseGuard } from './abuse-guard.ts';
import { codeDigest, codeMatches, generateCode } from './verification-code.ts';
import { TTL_SECONDS, verificationText, verifySettings, type VerifyLocale, type VerifySettings } from './verification-settings.ts';
import { verifyError } from './verify-errors.ts';
import { refusalCountName, statsDays, statsOf, verificationStepId, type VerificationRefusalReason, type VerificationStats } from './verification-stats.ts';

/** How long a finished verification stays readable (GET) after its code expired. */
const RETAIN_MS = 24 * 3_600_000;

export interface StartVerification {
  readonly to: string;
  readonly locale?: VerifyLocale;
  readonly codeLength?: number;
  readonly ttlSeconds?: number;
  /** A message text of the caller's own; must hold `{code}`. */
  readonly template?: string;
  readonly from?: string;
  readonly clientRef?: string;
}

export type VerificationEventKind = 'sent' | 'approved' | 'failed' | 'expired' | 'max_attempts_reached' | 'canceled';

export interface VerificationChange {
  readonly kind: VerificationEventKind;
  readonly record: VerificationRecord;
  readonly at: number;
  /** The message that carried the code (`sent`). */
  readonly messageId?: string;
}

export interface CheckAnswer {
  readonly record: VerificationRecord;
  /** True when this check approved it. */
  readonly approved: boolean;
}

export interface VerificationServiceOptions {
  readonly store: VerificationStore;
  readonly accounts: AccountRegistry;
  readonly guard: AbuseGuard;
  /** Sends the code's message (the messages service's submit). */
  readonly submit: (account: AccountConfig, request: SubmitRequest, idempotencyKey: string, service: ServiceSubmit) => Promise<AcceptedMessage>;
  /** The HMAC key of codes; undefined when this mode has no shared secret (every call is refused). */
  readonly secret: Buffer | undefined;
  readonly now: () => number;
  /** Runs after each change is stored (events, webhooks, metrics); its failure does not undo the change. */
  readonly changed?: (change: VerificationChange) => Promise<void>;
  /** The days statistics are counted in (the usage calendar; default UTC days). */
  readonly calendar?: UsageCalendar;
}

export class VerificationService {
  private readonly store: VerificationStore;
  private readonly now: () => number;
  private readonly calendar: UsageCalendar;

  constructor(private readonly options: VerificationServiceOptions) {
    this.store = options.store;
    this.now = options.now;
    this.calendar = options.calendar ?? new UsageCalendar();
  }

  /** Opens a verification for the number and sends its code, or renews the pending one with a new code. */
  async start(accountId: string, input: StartVerification): Promise<VerificationRecord> {
    const secret = this.secret();
    const account = this.account(accountId);
    const settings = this.settingsFor(account, input);
    const number = normalizeNumber(input.to, account.defaultCountry === undefined ? {} : { defaultCountry: account.defaultCountry });
    const now = this.now();
    const pending = await this.store.pending(accountId, number.e164, now);
    const waitSeconds = pending === undefined ? 0 : intervalWaitSeconds(pending, settings, now);
    if (waitSeconds > 0) {
      await this.refused(accountId, 'interval');
      throw verifyError('VERIFY_RESEND_TOO_SOON', `wait ${waitSeconds} s`, { retryAfter: waitSeconds });
    }
    await this.options.guard.admit(accountId, number.e164, number.country, settings, now);
    const code = generateCode(settings.codeLength);
    const expiresAt = now + settings.ttlSeconds * 1000;
    if (pending !== undefined) return this.send(account, pending, settings, input, code, now, { digest: codeDigest(secret, pending.id, code), expiresAt });
    const id = verificationId(accountId, number.e164);
    const opened = await this.store.open(
      {
        id,
        accountId,
        to: number.e164,
        digest: codeDigest(secret, id, code),
        createdAt: now,
        expiresAt,
        maxAttempts: settings.maxAttempts,
        locale: input.locale ?? settings.defaultLocale,
        codeLength: settings.codeLength,
        ...(input.clientRef === undefined ? {} : { clientRef: input.clientRef }),
      },
      expiresAt + RETAIN_MS,
    );
    if (opened.opened) return this.send(account, opened.record, settings, input, code, now, undefined);
    // Two starts raced and the other opened first: this one renews it.
    const raced = opened.record;
    return this.send(account, raced, settings, input, code, now, { digest: codeDigest(secret, raced.id, code), expiresAt });
  }

  /** Checks a code against a verification by id. */
  async check(accountId: string, id: string, code: string): Promise<CheckAnswer> {
    const record = await this.get(accountId, id);
    return this.checkRecord(record, code);
  }

  /** Checks a code against the account's pending verification for a number. */
  async checkNumber(accountId: string, to: string, code: string): Promise<CheckAnswer> {
    const account = this.account(accountId);
    const e164 = normalizeNumber(to, account.defaultCountry === undefined ? {} : { defaultCountry: account.defaultCountry }).e164;
    const record = await this.store.pending(accountId, e164, this.now());
    if (record === undefined) throw verifyError('VERIFY_NOT_FOUND', 'no pending verification for the number', { field: 'to' });
    return this.checkRecord(record, code);
  }

  async get(accountId: string, id: string): Promise<VerificationRecord> {
    const record = await this.store.get(id);
    if (record === undefined || record.accountId !== accountId) throw verifyError('VERIFY_NOT_FOUND', id, { id });
    return record;
  }

  async cancel(accountId: string, id: string): Promise<VerificationRecord> {
    const record = await this.get(accountId, id);
    const now = this.now();
    const canceled = await this.store.cancel(record.id, now);
    if (canceled === undefined) throw finalError(await this.get(accountId, id));
    await this.tell({ kind: 'canceled', record: canceled, at: now });
    return canceled;
  }

  /** Codes the verification may still send (its account's resend limit less the codes it sent). */
  sendsLeft(record: VerificationRecord): number {
    if (record.status !== 'pending') return 0;
    const account = this.options.accounts.get(record.accountId);
    return Math.max(0, verifySettings(account?.verify, account?.defaultCountry).resends.max - record.sends);
  }

  /** Ends the verifications whose code expired unchecked, each with its `expired` event; answers how many. */
  async sweep(limit = 500): Promise<number> {
    const now = this.now();
    const expired = await this.store.expireDue(now, limit);
    for (const record of expired) await this.tell({ kind: 'expired', record, at: now });
    return expired.length;
  }

  /**
   * The account's statistics over a range of local days (`YYYY-MM-DD`, inclusive, at most 366, in the usage time
   * zone): every day with its counts, and the total. VERIFY_INVALID_REQUEST names a bad `from` or `to`.
   */
  async stats(accountId: string, from: string, to: string): Promise<VerificationStats> {
    const days = statsDays(from, to);
    return statsOf(accountId, from, to, this.calendar.timeZone, await this.store.tallies(accountId, days));
  }

  /** A start refused before a code went out (the abuse guard's refusals, and VERIFY_RESEND_TOO_SOON): counted. */
  async refused(accountId: string, reason: VerificationRefusalReason): Promise<void> {
    await this.tally(accountId, refusalCountName(reason), undefined, this.now());
  }

  /** The account's settings with the request's own choices; out-of-range choices are refused by name. */
  settingsFor(account: AccountConfig, input: Pick<StartVerification, 'codeLength' | 'ttlSeconds' | 'template' | 'from' | 'locale'>): VerifySettings {
    const base = verifySettings(account.verify, account.defaultCountry);
    if (input.ttlSeconds !== undefined && (input.ttlSeconds < TTL_SECONDS.min || input.ttlSeconds > TTL_SECONDS.max)) {
      throw verifyError('VERIFY_INVALID_REQUEST', `ttlSeconds must be ${TTL_SECONDS.min} to ${TTL_SECONDS.max}`, { field: 'ttlSeconds' });
    }
    if (input.template !== undefined && !input.template.includes('{code}')) {
      throw verifyError('VERIFY_INVALID_REQUEST', 'template must hold {code}', { field: 'template' });
    }
    const locale = input.locale ?? base.defaultLocale;
    return {
      ...base,
      ...(input.codeLength === undefined ? {} : { codeLength: input.codeLength }),
      ...(input.ttlSeconds === undefined ? {} : { ttlSeconds: input.ttlSeconds }),
      ...(input.template === undefined ? {} : { templates: { ...base.templates, [locale]: input.template } }),
      ...(input.from === undefined ? {} : { from: input.from }),
    };
  }

  private async send(
    account: AccountConfig,
    record: VerificationRecord,
    settings: VerifySettings,
    input: StartVerification,
    code: string,
    now: number,
    renewal: { digest: string; expiresAt: number } | undefined,
  ): Promise<VerificationRecord> {
    const locale = (input.locale ?? record.locale) as VerifyLocale;
    const { text, masked } = verificationText(settings, locale, code);
    let accepted: AcceptedMessage;
    try {
      accepted = await this.options.submit(
        account,
        {
          to: record.to,
          text,
          tag: settings.tag,
          priority: 'high',
          // The message expires with its code: a code is never delivered after it stopped working.
          validitySeconds: settings.ttlSeconds,
          clientRef: `verification:${record.id}`,
          ...(settings.from === undefined ? {} : { from: settings.from }),
        },
        `verification:${record.id}:${record.sends}`,
        { maskedText: masked, ignoreSendWindow: true },
      );
    } catch (error: unknown) {
      // A verification whose first code never went out must not stay pending (it would block the number).
      if (renewal === undefined) await this.store.cancel(record.id, now);
      throw error;
    }
    const sent = await this.store.sent(record.id, { at: now, messageId: accepted.id, ...(renewal === undefined ? {} : { code: renewal }) }, now + settings.ttlSeconds * 1000 + RETAIN_MS);
    if (sent === undefined) throw finalError(await this.get(account.id, record.id));
    await this.options.guard.sent(account.id, record.to, settings, now);
    // A verification counts as started once its first code went out (one whose first send failed was canceled).
    if (renewal === undefined) await this.tally(account.id, 'started', `${record.id}:started`, now);
    await this.tell({ kind: 'sent', record: sent, at: now, messageId: accepted.id });
    return sent;
  }

  private async checkRecord(record: VerificationRecord, code: string): Promise<CheckAnswer> {
    const secret = this.secret();
    const now = this.now();
    const attempt = await this.store.reserveAttempt(record.id, now);
    if (attempt === undefined) throw verifyError('VERIFY_NOT_FOUND', record.id, { id: record.id });
    if (!attempt.reserved) {
      if (attempt.record.status === 'expired' && record.status === 'pending') await this.tell({ kind: 'expired', record: attempt.record, at: now });
      throw finalError(attempt.record);
    }
    const matches = codeMatches(secret, record.id, code, attempt.record.digest);
    const settled = await this.store.settle(record.id, matches, now);
    if (settled === undefined) throw verifyError('VERIFY_NOT_FOUND', record.id, { id: record.id });
    if (matches && !settled.won) throw finalError(settled.record);
    if (matches) {
      const settings = verifySettings(this.options.accounts.get(record.accountId)?.verify, undefined);
      await this.options.guard.approved(record.accountId, record.to, settings, now);
      await this.tell({ kind: 'approved', record: settled.record, at: now });
      return { record: settled.record, approved: true };
    }
    await this.tell({ kind: settled.record.status === 'max_attempts_reached' ? 'max_attempts_reached' : 'failed', record: settled.record, at: now });
    return { record: settled.record, approved: false };
  }

  private async tell(change: VerificationChange): Promise<void> {
    await this.tally(change.record.accountId, change.kind, verificationStepId(change.record, change.kind), change.at);
    await this.options.changed?.(change).catch(() => undefined);
  }

  /** Counts in the statistics of `at`'s day; a store that refuses loses the count, never the step (see verification-stats.ts). */
  private async tally(accountId: string, name: string, once: string | undefined, at: number): Promise<void> {
    await this.store.tally({ accountId, day: this.calendar.day(at), name, ...(once === undefined ? {} : { once }) }).catch(() => undefined);
  }

  private secret(): Buffer {
    if (this.options.secret === undefined) throw verifyError('VERIFY_NOT_CONFIGURED', 'set SMSGW_VERIFY_SECRET (the same on every process)');
    return this.options.secret;
  }

  private account(accountId: string): AccountConfig {
    const account = this.options.accounts.get(accountId);
    if (account === undefined) throw gatewayError('GW_NOT_FOUND', `account ${accountId}`, { field: 'account' });
    return account;
  }
}

/** Whole seconds until the pending verification may send another code (0: now). */
function intervalWaitSeconds(pending: VerificationRecord, settings: VerifySettings, now: number): number {
  const waitMs = pending.lastSentAt + settings.minIntervalSeconds * 1000 - now;
  return pending.sends > 0 && waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

/** The refusal for a check or cancel of a verification that is no longer pending. */
export function finalError(record: VerificationRecord): Error {
  const details = { id: record.id, status: record.status };
  switch (record.status) {
    case 'approved':
      return verifyError('VERIFY_ALREADY_APPROVED', record.id, details);
    case 'expired':
      return verifyError('VERIFY_EXPIRED', record.id, details);
    case 'max_attempts_reached':
      return verifyError('VERIFY_MAX_ATTEMPTS', record.id, details);
    case 'canceled':
      return verifyError('VERIFY_CANCELED', record.id, details);
    case 'pending':
      // Pending with no attempt left: the last wrong check has not been settled yet (a race); the same answer.
      return verifyError('VERIFY_MAX_ATTEMPTS', record.id, details);
  }
}
