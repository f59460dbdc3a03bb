/**
 * What an inbound message to an account's number sets off beyond its event: an opt-out keyword suppresses the
 * sender's number, an opt-in keyword lifts it, HELP is answered, and (when the account asks for it) the first
 * message of a number gets an automatic acknowledgement with the opt-out instructions. Replies go back through the
 * connector the message came in on (the accept path falls back to the route when that connector is unknown or
 * down), from the number the person wrote to, under an idempotency key made from the inbound's id: a replayed
 * inbound does not answer twice.
 *
 * A failed suppression fails the inbound (the driver asks the carrier to deliver it again): an opt-out must not be
 * lost. A failed reply is counted and logged, and the inbound goes on.
 */
import { maskDigits } from '../../common/index.ts';
import type { InboundMessage } from '../../drivers/transport/index.ts';
import type { AcceptedMessage, ServiceSubmit, SubmitRequest } from '../accept/accept-request.ts';
import type { AccountConfig } from '../accounts/account-registry.ts';
import type { GatewayLog } from '../log/gateway-log.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { AutoAckStore } from '../ports/auto-ack-store.ts';
import type { SuppressionService } from '../suppressions/suppression-service.ts';
import { resolveKeywordSettings, type ReplyKind, type ResolvedKeywordSettings } from './keyword-settings.ts';

/** The tag of every reply the keyword handling sends (listings and webhooks can tell them apart). */
export const KEYWORD_REPLY_TAG = 'keyword-reply';

export interface KeywordHandlerOptions {
  readonly suppressions: Pick<SuppressionService, 'suppress' | 'lift' | 'blocking' | 'number'>;
  /** The messages service's submit (gateway services' form: a pinned connector, no suppression check). */
  readonly submit: (accountId: string, request: SubmitRequest, idempotencyKey: string, service: ServiceSubmit) => Promise<AcceptedMessage>;
  readonly acks: AutoAckStore;
  readonly metrics: GatewayMetrics;
  readonly log: GatewayLog;
}

export class KeywordHandler {
  private readonly settings = new Map<string, ResolvedKeywordSettings>();

  constructor(private readonly options: KeywordHandlerOptions) {}

  /** Handles one inbound message of `account` (the owner of its destination number); `inboundId` is its event's id. */
  async handle(message: InboundMessage, account: AccountConfig, inboundId: string): Promise<void> {
    const settings = this.settingsOf(account);
    if (!settings.enabled) return;
    const number = this.replyable(account, message.from);
    // An alphanumeric or malformed originator can be neither suppressed nor answered.
    if (number === undefined) return;
    // A partial text (reassembly gave up) or binary data is no keyword, yet still a first contact.
    const match = message.complete && message.encoding !== 'binary' ? settings.matcher.match(message.text) : undefined;
    const sender = (account.suppression?.scope ?? 'account') === 'sender' && message.to !== '' ? message.to : undefined;
    const source = { kind: 'keyword', detail: message.text, connector: message.connectorId } as const;
    const reply = (kind: ReplyKind): Promise<void> => this.reply(kind, settings.replies[kind], account, message, number, inboundId);
    if (match !== undefined) {
      this.options.metrics.keywords.inc({ kind: match.kind });
      // Whatever the keyword, its reply carries the instructions an acknowledgement would: none follows it.
      if (settings.autoAckWindowMs !== undefined) await this.options.acks.claim(account.id, number, settings.autoAckWindowMs);
    }
    switch (match?.kind) {
      case 'opt-out': {
        const before = await this.options.suppressions.blocking(account.id, number, sender);
        const { created } = await this.options.suppressions.suppress(account.id, { number, ...(sender === undefined ? {} : { sender }), reason: 'opt-out', source });
        // One confirmation per opt-out: a number already suppressed is not written to again.
        if (created && before === undefined) return reply('opt-out');
        this.options.metrics.keywordReplies.inc({ kind: 'opt-out', outcome: 'skipped' });
        return;
      }
      case 'opt-in':
        await this.options.suppressions.lift(account.id, { number, ...(sender === undefined ? {} : { sender }), source });
        return reply('opt-in');
      // HELP is answered even for a suppressed number: it asked, and the answer says how to stop.
      case 'help':
        return reply('help');
      case undefined:
        return this.acknowledge(settings, account, number, sender, reply);
    }
  }

  private async acknowledge(settings: ResolvedKeywordSettings, account: AccountConfig, number: string, sender: string | undefined, reply: (kind: ReplyKind) => Promise<void>): Promise<void> {
    if (settings.autoAckWindowMs === undefined) return;
    if ((await this.options.suppressions.blocking(account.id, number, sender)) !== undefined) return;
    if (await this.options.acks.claim(account.id, number, settings.autoAckWindowMs)) await reply('auto-ack');
  }

  private async reply(kind: ReplyKind, text: string, account: AccountConfig, message: InboundMessage, number: string, inboundId: string): Promise<void> {
    const request: SubmitRequest = { to: number, text, tag: KEYWORD_REPLY_TAG, ...(message.to === '' ? {} : { from: message.to }) };
    try {
      const accepted = await this.options.submit(account.id, request, `${KEYWORD_REPLY_TAG}:${inboundId}`, { connector: message.connectorId, ignoreSuppression: true });
      this.options.metrics.keywordReplies.inc({ kind, outcome: accepted.duplicate ? 'duplicate' : 'sent' });
    } catch (error: unknown) {
      this.options.metrics.keywordReplies.inc({ kind, outcome: 'failed' });
      const code = (error as { code?: unknown }).code;
      this.options.log.warn({ account: account.id, connector: message.connectorId, kind, code, error: maskDigits(error instanceof Error ? error.message : String(error)) }, 'keyword reply not sent');
    }
  }

  private replyable(account: AccountConfig, from: string): string | undefined {
    try {
      return this.options.suppressions.number(account, from);
    } catch {
      return undefined;
    }
  }

  private settingsOf(account: AccountConfig): ResolvedKeywordSettings {
    let settings = this.settings.get(account.id);
    if (settings === undefined) {
      settings = resolveKeywordSettings(account);
      this.settings.set(account.id, settings);
    }
    return settings;
  }
}
