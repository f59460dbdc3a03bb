/**
 * The messages service: what a client can do with messages (submit one or a batch, read, list, cancel) and the
 * listing of inbound messages. The HTTP API calls it; services of their own (verification, campaigns) create
 * messages through it.
 */
import { normalizeNumber, type RouterHandle } from '../../router/index.ts';
import type { AccountConfig, AccountRegistry } from '../accounts/account-registry.ts';
import type { AcceptedMessage, ServiceSubmit, SubmitRequest } from '../accept/accept-request.ts';
import { AcceptService, type AcceptServiceOptions } from '../accept/accept-service.ts';
import type { MessageQuote } from '../accept/message-quote.ts';
import { gatewayError } from '../errors.ts';
import type { EventProjection } from '../events/event-projection.ts';
import type { InboundEvent } from '../events/gateway-event.ts';
import type { ConnectorBacklog } from '../housekeeping/connector-backlog.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { MessageBackend } from '../ports/backend.ts';
import type { EventTransport } from '../ports/event-transport.ts';
import type { MessagePage, MessageQuery } from '../ports/message-store.ts';
import type { QuotaGate } from '../usage/quota-gate.ts';
import type { PartSeal } from './part-seal.ts';
import type { SuppressionCheck } from '../suppressions/suppression-check.ts';
import type { WebhookTargets } from '../webhooks/webhook-targets.ts';
import type { MessageChange, MessageRecord } from './message-record.ts';
import { submitEach, type BatchItemResult } from './submit-batch.ts';

export type { BatchItemResult } from './submit-batch.ts';

/** A batch's Idempotency-Key, the batch as sent (its fingerprint), and each request's position in it. */
export interface BatchIdempotency {
  readonly key: string;
  readonly batch: unknown;
  /** Where each request stood in the batch (its own key names it); default 0, 1, 2, ... */
  readonly positions?: readonly number[];
}

export interface MessagesServiceOptions {
  readonly backend: MessageBackend;
  readonly router: RouterHandle;
  readonly accounts: AccountRegistry;
  readonly events: EventTransport;
  readonly projection: EventProjection;
  readonly metrics: GatewayMetrics;
  readonly backlog: ConnectorBacklog;
  /** Where callbacks may go: checked for each message's callbackUrl at submit. */
  readonly webhookTargets: WebhookTargets;
  readonly isUp: (connectorId: string) => boolean;
  /** True once the gateway is stopping: new messages are refused. */
  readonly stopping: () => boolean;
  readonly defaultValiditySeconds?: number;
  /** Account quotas, checked at accept (none: no quotas). */
  readonly quota?: QuotaGate;
  /** Seals the real parts of messages stored masked (one-time codes); none: such messages are refused. */
  readonly seal?: PartSeal;
  /** The suppression list's check at accept (none: nothing is screened). */
  readonly screen?: SuppressionCheck;
  /** The same check for quotes, not counted as refusals (default `screen`). */
  readonly quoteScreen?: SuppressionCheck;
  /** `shortenUrls`: the text with its URLs replaced by short links (see AcceptServiceOptions.prepareText). */
  readonly prepareText?: AcceptServiceOptions['prepareText'];
  readonly now: () => number;
}

export class MessagesService {
  private readonly accept: AcceptService;

  constructor(private readonly options: MessagesServiceOptions) {
    this.accept = new AcceptService({
      router: options.router,
      store: options.backend.store,
      isUp: options.isUp,
      now: options.now,
      inserted: (record) => options.projection.accepted(record),
      admit: (connectorId) => options.backlog.admit(connectorId),
      ...(options.quota === undefined ? {} : { reserve: options.quota.reserve.bind(options.quota) }),
      ...(options.screen === undefined ? {} : { screen: options.screen }),
      ...(options.quoteScreen === undefined ? {} : { quoteScreen: options.quoteScreen }),
      ...(options.seal === undefined ? {} : { seal: options.seal }),
      ...(options.prepareText === undefined ? {} : { prepareText: options.prepareText }),
      ...(options.defaultValiditySeconds === undefined ? {} : { defaultValiditySeconds: options.defaultValiditySeconds }),
    });
  }

  /**
   * `from` is the account's id, or the account object a request authenticated with (it finishes with it across a
   * reload); `service` is for the gateway's own services only (the HTTP API never passes it).
   */
  async submit(from: string | AccountConfig, request: SubmitRequest, idempotencyKey?: string, service: ServiceSubmit = {}): Promise<AcceptedMessage> {
    const { metrics } = this.options;
    const account = typeof from === 'string' ? this.account(from) : from;
    try {
      if (this.options.stopping()) throw gatewayError('GW_STORE_UNAVAILABLE', 'the gateway is shutting down');
      if (!this.options.events.accepting) throw gatewayError('GW_EVENTS_BACKLOGGED', 'Kafka is unreachable and the event outbox is full');
      if (request.callbackUrl !== undefined) this.checkCallback(account, request.callbackUrl);
      const accepted = await this.accept.accept(account, request, idempotencyKey, service);
      if (!accepted.duplicate) {
        metrics.accepted.inc({ account: account.id, lane: request.priority ?? 'auto' });
        metrics.parts.inc({ encoding: accepted.encoding }, accepted.parts);
        if (accepted.notBefore !== undefined) metrics.deferred.inc({ account: account.id, stage: 'accept' });
      }
      return accepted;
    } catch (error: unknown) {
      metrics.refused.inc({ reason: (error as { code?: string }).code ?? 'UNKNOWN' });
      throw error;
    }
  }

  /**
   * What a submit of `request` would meet now, with nothing sent, stored, reserved or counted: the route (carrier
   * with MNP and HLR, rule, connectors, sender after sender rules, send window), the encoding and parts under the
   * carrier's profile, and every refusal (see message-quote.ts). The console's send form and POST
   * /v1/messages/quote show it before sending.
   */
  async quote(from: string | AccountConfig, request: SubmitRequest, service: ServiceSubmit = {}): Promise<MessageQuote> {
    const account = typeof from === 'string' ? this.account(from) : from;
    return this.accept.quote(account, request, service);
  }

  /**
   * Accepts each request on its own (see `submitEach`). With an Idempotency-Key the batch claims it with its
   * fingerprint first (GW_IDEMPOTENCY_CONFLICT when it was used with another request), then each request goes with
   * a key of its own (`<key>\u0000<position in the batch>`), so a retried batch answers the first messages as
   * duplicates and tries the refused items again.
   */
  async submitBatch(from: string | AccountConfig, requests: readonly SubmitRequest[], idempotency?: BatchIdempotency): Promise<BatchItemResult[]> {
    const account = typeof from === 'string' ? this.account(from) : from;
    if (idempotency !== undefined) await this.accept.claimBatch(account.id, idempotency.key, idempotency.batch);
    const itemKey = (index: number): string | undefined =>
      idempotency === undefined ? undefined : `${idempotency.key}\u0000${idempotency.positions?.[index] ?? index}`;
    return submitEach(requests, (request, index) => this.submit(account, request, itemKey(index)));
  }

  async get(accountId: string, id: string): Promise<MessageRecord> {
    const record = await this.options.backend.store.get(id);
    if (record === undefined || record.envelope.accountId !== accountId) throw gatewayError('GW_NOT_FOUND', id, { id });
    return record;
  }

  /**
   * Messages of an account, newest first. A `to` filter is normalized as submits are (the account's default
   * country for national forms), so `090-1234-5678` finds `+819012345678`; a value that is no number is refused
   * with the router's code, as a submit would be.
   */
  list(query: MessageQuery): Promise<MessagePage> {
    const { store } = this.options.backend;
    if (query.to === undefined) return store.list(query);
    const account = this.account(query.accountId);
    const to = normalizeNumber(query.to, account.defaultCountry === undefined ? {} : { defaultCountry: account.defaultCountry }).e164;
    return store.list({ ...query, to });
  }

  async cancel(accountId: string, id: string): Promise<MessageRecord> {
    const record = await this.get(accountId, id);
    if (!['accepted', 'queued', 'scheduled'].includes(record.status) || record.parts.some((p) => p.status !== 'pending')) {
      throw gatewayError('GW_NOT_CANCELABLE', `${id} is ${record.status}`, { id, status: record.status });
    }
    const at = this.options.now();
    // Its parts were never sent: they become canceled too (a part that left meanwhile keeps its status).
    const change: MessageChange = {
      at,
      status: 'canceled',
      parts: record.parts.map((part) => ({ seq: part.seq, status: 'canceled' as const })),
      timeline: [{ at, event: 'canceled' }],
    };
    const applied = await this.options.backend.store.apply(id, change);
    if (applied === undefined) throw gatewayError('GW_NOT_FOUND', id, { id });
    await this.options.projection.changed(applied, change);
    if (applied.status !== 'canceled') throw gatewayError('GW_NOT_CANCELABLE', `${id} is ${applied.status}`, { id });
    const canceled = await this.options.backend.store.get(id);
    if (canceled === undefined) throw gatewayError('GW_NOT_FOUND', id, { id });
    return canceled;
  }

  inbound(accountId: string, limit: number, since?: number): Promise<InboundEvent[]> {
    return this.options.backend.inbound.list(accountId, limit, since);
  }

  /** A message's own callbackUrl needs the account's secret (to sign) and an allowed target; never dropped silently. */
  private checkCallback(account: AccountConfig, url: string): void {
    if (account.callbackSecret === undefined) {
      throw gatewayError('GW_CALLBACK_WITHOUT_SECRET', `account ${account.id} has no callbackSecret: callbacks could not be signed, so callbackUrl is refused`, { field: 'callbackUrl' });
    }
    const refusal = this.options.webhookTargets.refusal(url);
    if (refusal !== undefined) throw gatewayError('GW_CALLBACK_URL_REFUSED', `callbackUrl ${refusal}`, { field: 'callbackUrl' });
  }

  private account(accountId: string): AccountConfig {
    const account = this.options.accounts.get(accountId);
    if (account === undefined) throw gatewayError('GW_NOT_FOUND', `account ${accountId}`, { field: 'account' });
    return account;
  }
}
