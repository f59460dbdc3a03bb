/**
 * The gateway core assembled: accept, dispatch workers per connector, receipts, inbound, events, webhooks and
 * metrics over one message backend (memory or Redis) and the configured drivers. The HTTP API and the CLI
 * build one of these; tests build it with real drivers against the simulators.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ErrorDetails } from '../common/index.ts';
import type { Driver, InboundMessage, PartOutcome, Receipt } from '../drivers/transport/index.ts';
import { normalizeNumber, type RouterHandle } from '../router/index.ts';
import { AcceptService } from './accept/accept-service.ts';
import type { AcceptedMessage, SubmitRequest } from './accept/accept-request.ts';
import { AccountRegistry, type AccountConfig } from './accounts/account-registry.ts';
import { MemoryEventLog } from './adapters/memory/memory-event-log.ts';
import { ConnectorWorker } from './dispatch/connector-worker.ts';
import type { RetryPolicyConfig } from './dispatch/retry-policy.ts';
import { maskDigits } from '../common/index.ts';
import { gatewayError } from './errors.ts';
import { inboundEvent, partEvent, partViews, statusEvent, type GatewayEvent, type InboundEvent, type PartView } from './events/gateway-event.ts';
import type { MessageChange, MessageRecord } from './messages/message-record.ts';
import { SILENT_LOG, type GatewayLog } from './log/gateway-log.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import type { MessageBackend } from './ports/backend.ts';
import type { EventLog, ReceiptLog } from './ports/event-log.ts';
import type { AppliedChange, MessagePage, MessageQuery } from './ports/message-store.ts';
import { ReceiptProcessor, type ReceiptOutcome } from './receipts/receipt-processor.ts';
import { RecentCorrelations } from './receipts/recent-correlations.ts';
import { ReceiptTimeout } from './receipts/receipt-timeout.ts';
import { AddressList } from './net/address-list.ts';
import type { WebhookSettings } from './webhooks/webhook-delivery.ts';
import { accountOf, mayCallBack, webhookJobFor } from './webhooks/webhook-job.ts';
import { webhookObserver } from './webhooks/webhook-observer.ts';
import { WebhookSender } from './webhooks/webhook-sender.ts';
import { WebhookTargets } from './webhooks/webhook-targets.ts';

export interface GatewayOptions {
  readonly backend: MessageBackend;
  readonly router: RouterHandle;
  readonly drivers: readonly Driver[];
  readonly accounts: readonly AccountConfig[];
  readonly events?: EventLog;
  /**
   * Where drivers' receipts go first when the events log is shared: the carrier is answered once a receipt is
   * durable there, and the log's status updater (in this or another process) applies it. Without it, receipts
   * are applied in this process.
   */
  readonly receiptLog?: ReceiptLog;
  readonly metrics?: GatewayMetrics;
  /**
   * Where links going down and up, failed submits and failed webhook attempts are logged, one line each (pino's
   * shape: the HTTP app's logger fits). Default: nothing is logged.
   */
  readonly log?: GatewayLog;
  /** Consumer name of this process in the route queues' groups (default host + pid + random). */
  readonly consumer?: string;
  readonly retry?: RetryPolicyConfig;
  readonly maxInFlightPerConnector?: number;
  readonly reclaimIdleMs?: number;
  /** A dispatch consumer's lease: how long after its last renewal a silent process counts as dead (default 30 s). */
  readonly leaseMs?: number;
  /** How long a submitted part waits for its final receipt (default 72 h); then query_sm or unknown. */
  readonly receiptTimeoutMs?: number;
  /** Validity when a request gives none (default 48 h). */
  readonly defaultValiditySeconds?: number;
  /** Messages waiting for one connector at most; beyond it new messages get GW_BACKLOG_FULL (default 1,000,000). */
  readonly maxBacklogPerConnector?: number;
  readonly receiptHoldMs?: number;
  readonly webhooks?: WebhookSettings;
  readonly now?: () => number;
}

/** A batch's Idempotency-Key, the batch as sent (its fingerprint), and each request's position in it. */
export interface BatchIdempotency {
  readonly key: string;
  readonly batch: unknown;
  /** Where each request stood in the batch (its own key names it); default 0, 1, 2, ... */
  readonly positions?: readonly number[];
}

export type BatchItemResult = { readonly ok: true; readonly message: AcceptedMessage } | { readonly ok: false; readonly error: ErrorBody };

export class Gateway {
  readonly accounts: AccountRegistry;
  readonly metrics: GatewayMetrics;
  readonly events: EventLog;
  readonly log: GatewayLog;
  private readonly accept: AcceptService;
  private readonly workers: ConnectorWorker[] = [];
  private readonly receipts: ReceiptProcessor;
  private readonly receiptTimeout: ReceiptTimeout;
  /** Waiting and pending entries per connector as last sampled, plus what this process queued since. */
  private readonly backlog = new Map<string, number>();
  private sender: WebhookSender | undefined;
  private readonly linksUp = new Map<string, Set<string>>();
  private readonly upState = new Map<string, boolean>();
  private readonly recent = new RecentCorrelations();
  private readonly drivers = new Map<string, Driver>();
  /** Where callbacks may go: checked for each message's callbackUrl at submit. */
  private readonly webhookTargets: WebhookTargets;
  private timers: NodeJS.Timeout[] = [];
  private started = false;
  private stopping = false;
  private readonly now: () => number;

  constructor(private readonly options: GatewayOptions) {
    this.now = options.now ?? Date.now;
    this.accounts = new AccountRegistry(options.accounts);
    this.metrics = options.metrics ?? new GatewayMetrics();
    this.log = options.log ?? SILENT_LOG;
    this.events = options.events ?? new MemoryEventLog();
    this.webhookTargets = new WebhookTargets(AddressList.parse(options.webhooks?.allow ?? [], 'webhooks.allow', { hosts: true }));
    for (const driver of options.drivers) this.drivers.set(driver.id, driver);
    this.accept = new AcceptService({
      router: options.router,
      store: options.backend.store,
      isUp: (id) => this.isUp(id),
      now: this.now,
      inserted: (record) => this.publishAccepted(record),
      admit: (connectorId) => this.admit(connectorId),
      ...(options.defaultValiditySeconds === undefined ? {} : { defaultValiditySeconds: options.defaultValiditySeconds }),
    });
    this.receiptTimeout = new ReceiptTimeout({
      store: options.backend.store,
      driver: (id) => this.drivers.get(id),
      change: async (id, change) => {
        const applied = await options.backend.store.apply(id, change);
        if (applied !== undefined) await this.changed(applied, change).catch(() => this.metrics.eventsFailed.inc());
      },
      now: this.now,
      resolved: (connector, how) => this.metrics.receiptTimeouts.inc({ connector, how }),
    });
    this.receipts = new ReceiptProcessor({
      store: options.backend.store,
      recent: this.recent,
      now: this.now,
      ...(options.receiptHoldMs === undefined ? {} : { holdMs: options.receiptHoldMs }),
      observer: {
        changed: (applied, change, hint) => this.changed(applied, change, hint),
        receipt: (receipt, matched) => this.metrics.receipts.inc({ connector: receipt.connectorId, state: receipt.state, matched: String(matched) }),
        unmatched: () => this.metrics.receiptsUnmatched.inc(),
        submitToReceipt: (connector, ms) => this.metrics.submitToReceipt.observe({ connector }, ms / 1000),
      },
    });
    // A shared log has its own webhook consumer (exactly one callback per event across every process).
    if (!this.events.shared) this.events.subscribe((event) => this.toWebhook(event), mayCallBack);
  }

  /** Applies one receipt now; `unmatched` when no part matched it (the caller holds it, then parks it with `receiptGivenUp`). */
  applyReceipt(receipt: Receipt): Promise<ReceiptOutcome> {
    return this.receipts.applyOnce(receipt);
  }

  /** Counts a receipt that its caller held and gave up (no part matched it within the hold time). */
  receiptGivenUp(receipt: Receipt): void {
    this.receipts.giveUp(receipt);
  }

  /**
   * Publishes again the events a receipt stands for, from the stored record: after a crash between a store
   * write and its events, a replayed receipt moves nothing, and this puts the missing events on the log (same
   * ids, so consumers drop the ones they already have).
   */
  async republishFor(receipt: Receipt): Promise<void> {
    const correlation = await this.receipts.correlationOf(receipt);
    if (correlation === undefined) return;
    const record = await this.options.backend.store.get(correlation.messageId);
    if (record === undefined) return;
    const part = partViews(record).find((view) => view.seq === correlation.seq);
    const at = this.now();
    if (part !== undefined && part.status !== 'pending') await this.events.publish(partEvent(record.envelope.id, part, at));
    const last = [...record.timeline].reverse().find((entry) => entry.event === record.status);
    await this.events.publish(statusEvent(record, last?.at ?? at));
  }

  /**
   * Whether a connector can take traffic. Once started, the answer is the driver's health as of its last `up` or
   * `down` event: this runs for every accepted message, and a full health report there costs too much.
   */
  isUp(connectorId: string): boolean {
    return this.upState.get(connectorId) ?? this.drivers.get(connectorId)?.health().up ?? false;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const consumer = this.options.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const receiptLog = this.options.receiptLog;
    const sink = {
      receipt: (r: Receipt) => (receiptLog === undefined ? this.receipts.handle(r) : receiptLog.append(r)),
      inbound: (m: InboundMessage) => this.inbound(m),
    };
    for (const driver of this.drivers.values()) {
      const links = new Set<string>();
      this.linksUp.set(driver.id, links);
      driver.on('up', (link) => {
        links.add(link);
        this.upState.set(driver.id, driver.health().up);
        this.metrics.linksUp.set({ connector: driver.id }, links.size);
        this.log.info({ connector: driver.id, link, linksUp: links.size }, 'link up');
      });
      driver.on('down', (link, reason) => {
        // A link that was up lost its connection; one that was not failed to come up (each retry, with backoff).
        const wasUp = links.delete(link);
        this.upState.set(driver.id, driver.health().up);
        this.metrics.linksUp.set({ connector: driver.id }, links.size);
        this.log.warn({ connector: driver.id, link, linksUp: links.size, reason: maskDigits(reason) }, wasUp ? 'link down' : 'link failed to come up');
      });
      await driver.start(sink);
      const worker = new ConnectorWorker({
        connectorId: driver.id,
        driver,
        backend: this.options.backend,
        consumer,
        isUp: (id) => this.isUp(id),
        recent: this.recent,
        now: this.now,
        ...(this.options.retry === undefined ? {} : { retry: this.options.retry }),
        ...(this.options.maxInFlightPerConnector === undefined ? {} : { maxInFlight: this.options.maxInFlightPerConnector }),
        ...(this.options.reclaimIdleMs === undefined ? {} : { reclaimIdleMs: this.options.reclaimIdleMs }),
        ...(this.options.leaseMs === undefined ? {} : { leaseMs: this.options.leaseMs }),
        ...(this.options.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: this.options.receiptTimeoutMs }),
        observer: {
          // The change is stored; events nobody could take (Kafka and the outbox both away) are counted, and
          // must not stop the message from going out. Receipts, by contrast, fail so that they come again.
          changed: (applied, change) => this.changed(applied, change).catch(() => this.metrics.eventsFailed.inc()),
          submitted: (connector, outcome, acceptedAt, messageId) => this.submitted(connector, outcome, acceptedAt, messageId),
          reclaimed: (connector, count) => this.metrics.reclaimed.inc({ connector }, count),
        },
      });
      this.workers.push(worker);
      worker.start();
    }
    // A shared log's pipeline runs the sender (it may be another process's role); otherwise it runs here.
    if (!this.events.shared) {
      this.sender = new WebhookSender({
        queue: this.options.backend.webhooks,
        ...this.options.webhooks,
        observer: webhookObserver(this.metrics, this.log),
      });
      this.sender.start();
    }
    this.timers.push(setInterval(() => void this.moveDue(), 200));
    // Events keep the up state current; this catches a driver whose health changed without one.
    this.timers.push(setInterval(() => this.refreshUpState(), 1_000));
    this.timers.push(setInterval(() => void this.sampleQueues(), 1_000));
    this.timers.push(setInterval(() => void this.resolveTimedOut(), 1_000));
    for (const timer of this.timers) timer.unref();
  }

  /** Graceful: stop accepting, finish in-flight submits, unbind, flush webhooks. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await Promise.all([...this.drivers.values()].map((driver) => driver.close()));
    this.receipts.stop();
    await this.sender?.stop();
    await this.events.close();
  }

  async submit(accountId: string, request: SubmitRequest, idempotencyKey?: string): Promise<AcceptedMessage> {
    const account = this.account(accountId);
    try {
      if (this.stopping) throw gatewayError('GW_STORE_UNAVAILABLE', 'the gateway is shutting down');
      if (!this.events.accepting) throw gatewayError('GW_EVENTS_BACKLOGGED', 'Kafka is unreachable and the event outbox is full');
      if (request.callbackUrl !== undefined) this.checkCallback(account, request.callbackUrl);
      const accepted = await this.accept.accept(account, request, idempotencyKey);
      if (!accepted.duplicate) {
        this.metrics.accepted.inc({ account: account.id, lane: request.priority ?? 'auto' });
        this.metrics.parts.inc({ encoding: accepted.encoding }, accepted.parts);
      }
      return accepted;
    } catch (error: unknown) {
      this.metrics.refused.inc({ reason: (error as { code?: string }).code ?? 'UNKNOWN' });
      throw error;
    }
  }

  /**
   * Accepts each request on its own, 64 at a time. With an Idempotency-Key the batch claims it with its
   * fingerprint first (GW_IDEMPOTENCY_CONFLICT when it was used with another request), then each request goes with
   * a key of its own (`<key>\u0000<position in the batch>`), so a retried batch answers the first messages as
   * duplicates and tries the refused items again. Every BATCH_TICK_ITEMS items the batch yields to the event loop
   * (setImmediate), so that other requests (health checks among them) are served while a large batch goes in:
   * with the memory store an accept never waits on I/O, and without the yield a 10,000-item batch would hold the
   * loop for its whole duration.
   */
  async submitBatch(accountId: string, requests: readonly SubmitRequest[], idempotency?: BatchIdempotency): Promise<BatchItemResult[]> {
    if (idempotency !== undefined) {
      this.account(accountId);
      await this.accept.claimBatch(accountId, idempotency.key, idempotency.batch);
    }
    const itemKey = (index: number): string | undefined =>
      idempotency === undefined ? undefined : `${idempotency.key}\u0000${idempotency.positions?.[index] ?? index}`;
    const results = new Array<BatchItemResult>(requests.length);
    let next = 0;
    let sinceYield = 0;
    // Every worker waits on the same pause: the loop only moves on once no worker has work in the microtask queue.
    let pause: Promise<void> | undefined;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        if (sinceYield >= BATCH_TICK_ITEMS) {
          sinceYield = 0;
          pause = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
            pause = undefined;
          });
        }
        if (pause !== undefined) {
          await pause;
          continue;
        }
        sinceYield += 1;
        const index = next;
        next += 1;
        try {
          results[index] = { ok: true, message: await this.submit(accountId, requests[index] as SubmitRequest, itemKey(index)) };
        } catch (error: unknown) {
          results[index] = { ok: false, error: errorBody(error) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(64, requests.length) }, worker));
    return results;
  }

  /** A message's own callbackUrl needs the account's secret (to sign) and an allowed target; never dropped silently. */
  private checkCallback(account: AccountConfig, url: string): void {
    if (account.callbackSecret === undefined) {
      throw gatewayError('GW_CALLBACK_WITHOUT_SECRET', `account ${account.id} has no callbackSecret: callbacks could not be signed, so callbackUrl is refused`, { field: 'callbackUrl' });
    }
    const refusal = this.webhookTargets.refusal(url);
    if (refusal !== undefined) throw gatewayError('GW_CALLBACK_URL_REFUSED', `callbackUrl ${refusal}`, { field: 'callbackUrl' });
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
    if (query.to === undefined) return this.options.backend.store.list(query);
    const account = this.account(query.accountId);
    const to = normalizeNumber(query.to, account.defaultCountry === undefined ? {} : { defaultCountry: account.defaultCountry }).e164;
    return this.options.backend.store.list({ ...query, to });
  }

  async cancel(accountId: string, id: string): Promise<MessageRecord> {
    const record = await this.get(accountId, id);
    if (!['accepted', 'queued', 'scheduled'].includes(record.status) || record.parts.some((p) => p.status !== 'pending')) {
      throw gatewayError('GW_NOT_CANCELABLE', `${id} is ${record.status}`, { id, status: record.status });
    }
    const at = this.now();
    // Its parts were never sent: they become canceled too (a part that left meanwhile keeps its status).
    const change: MessageChange = {
      at,
      status: 'canceled',
      parts: record.parts.map((part) => ({ seq: part.seq, status: 'canceled' as const })),
      timeline: [{ at, event: 'canceled' }],
    };
    const applied = await this.options.backend.store.apply(id, change);
    if (applied === undefined) throw gatewayError('GW_NOT_FOUND', id, { id });
    await this.changed(applied, change);
    if (applied.status !== 'canceled' || applied.record === undefined) throw gatewayError('GW_NOT_CANCELABLE', `${id} is ${applied.status}`, { id });
    return applied.record;
  }

  inboundFor(accountId: string, limit: number, since?: number): Promise<InboundEvent[]> {
    return this.options.backend.inbound.list(accountId, limit, since);
  }

  async ready(): Promise<{ ready: boolean; store: boolean; connectors: Record<string, boolean> }> {
    const store = await this.options.backend.ping();
    const connectors: Record<string, boolean> = {};
    for (const id of this.drivers.keys()) connectors[id] = this.isUp(id);
    return { ready: store && Object.values(connectors).some(Boolean), store, connectors };
  }

  private account(accountId: string): AccountConfig {
    const account = this.accounts.get(accountId);
    if (account === undefined) throw gatewayError('GW_NOT_FOUND', `account ${accountId}`, { field: 'account' });
    return account;
  }

  /**
   * The accept path's events: `accepted`, then `queued` or `scheduled`, as the record's timeline has them. The
   * client's answer does not wait for them: the stored record is the commitment (a 503 for a message that is
   * already queued would make the client send it twice). They are handed to the log before this returns, so they
   * stay ahead of the message's later events.
   */
  private publishAccepted(record: MessageRecord): Promise<void> {
    for (const status of ['accepted', record.status] as const) {
      if (!this.events.interested('message.status', status)) continue;
      this.events.publish(statusEvent({ ...record, status }, record.envelope.createdAt)).catch(() => this.metrics.eventsFailed.inc());
    }
    return Promise.resolve();
  }

  /** Events for what a store change moved: each part that changed status, then the message if it did. */
  private async changed(applied: AppliedChange, change: MessageChange, hint?: PartHint): Promise<void> {
    const { record, previousStatus, status } = applied;
    const published: Promise<void>[] = [];
    if (applied.movedParts.length > 0 && this.events.interested('message.part')) {
      const views = record === undefined ? undefined : partViews(record);
      for (const seq of applied.movedParts) {
        const view = views?.find((part) => part.seq === seq) ?? partFromChange(change, seq, hint);
        if (view !== undefined) published.push(this.events.publish(partEvent(applied.id, view, change.at)));
      }
    }
    if (status !== previousStatus && record !== undefined) {
      this.metrics.messageStatus.inc({ status: record.status });
      if (this.events.interested('message.status', record.status)) published.push(this.events.publish(statusEvent(record, change.at)));
    }
    await Promise.all(published);
  }

  private submitted(connector: string, outcome: PartOutcome, acceptedAt: number, messageId: string): void {
    this.metrics.submits.inc({ connector, status: outcome.status === 'failed' ? outcome.error.code : outcome.status });
    if (outcome.status === 'submitted') {
      this.metrics.acceptToSubmit.observe({ connector }, (this.now() - acceptedAt) / 1000);
      return;
    }
    // An expected failure: one line with its code, no stack (the error's text may name the number: masked).
    const { error } = outcome;
    this.log.warn(
      { connector, messageId, seq: outcome.seq, outcome: outcome.status, code: error.code, retriable: error.retriable, error: maskDigits(error.message) },
      outcome.status === 'unknown' ? 'submit outcome unknown' : 'submit failed',
    );
  }

  private async inbound(message: InboundMessage): Promise<void> {
    const owner = this.accounts.owner(message.to);
    const event = inboundEvent(message, randomUUID(), owner?.id ?? null);
    this.metrics.inbound.inc({ connector: message.connectorId, complete: String(message.complete) });
    await Promise.all([this.options.backend.inbound.add(event), this.events.publish(event)]);
  }

  private toWebhook(event: GatewayEvent): void {
    const accountId = accountOf(event);
    const job = webhookJobFor(event, accountId === undefined ? undefined : this.accounts.get(accountId));
    if (job === undefined) return;
    this.options.backend.webhooks.add([job], this.now()).then(
      (added) => {
        if (added > 0) this.sender?.nudge();
        // A replay of a known event, or a full memory queue that refuses rather than grows.
        else this.metrics.webhookJobs.inc({ outcome: 'dropped' });
      },
      (error: unknown) => {
        this.metrics.webhookJobs.inc({ outcome: 'failed' });
        this.log.warn({ eventId: event.id, code: (error as { code?: unknown }).code, error: maskDigits(error instanceof Error ? error.message : String(error)) }, 'webhook job not queued');
      },
    );
  }

  /** Resolves the parts whose receipt wait ended (query_sm, else unknown); resolves to the messages seen. */
  async resolveTimedOut(): Promise<number> {
    try {
      return await this.receiptTimeout.sweep();
    } catch {
      // The store is unreachable; the next tick tries again (the claims come due again after their lease).
      return 0;
    }
  }

  /** Refuses a new message when its connector's backlog is at the bound; scheduled messages always go in. */
  private admit(connectorId: string | undefined): void {
    if (connectorId === undefined) return;
    const limit = this.options.maxBacklogPerConnector ?? 1_000_000;
    const waiting = this.backlog.get(connectorId) ?? 0;
    if (waiting >= limit) {
      throw gatewayError('GW_BACKLOG_FULL', `connector ${connectorId} has ${waiting} messages waiting (bound: maxBacklogPerConnector ${limit})`, {
        bound: 'connector',
        connector: connectorId,
        limit,
        retryAfter: 30,
      });
    }
    this.backlog.set(connectorId, waiting + 1);
  }

  private refreshUpState(): void {
    for (const driver of this.drivers.values()) this.upState.set(driver.id, driver.health().up);
  }

  private async moveDue(): Promise<void> {
    try {
      while ((await this.options.backend.queue.moveDue(this.now(), 1_000)) === 1_000) {
        // A large batch came due at once: keep moving.
      }
    } catch {
      // The store is unreachable; the next tick tries again.
    }
  }

  private async sampleQueues(): Promise<void> {
    try {
      for (const id of this.drivers.keys()) {
        let total = 0;
        for (const depth of await this.options.backend.queue.depth(id)) {
          this.metrics.queueDepth.set({ connector: id, lane: depth.lane }, depth.waiting + depth.pending);
          total += depth.waiting + depth.pending;
        }
        this.backlog.set(id, total);
      }
    } catch {
      // Sampling is best effort.
    }
  }
}

/** Items a batch submits between two yields to the event loop. */
const BATCH_TICK_ITEMS = 256;

/** What a receipt knows of its part beyond the change itself (for the part's event). */
interface PartHint {
  readonly connector?: string;
  readonly smscMessageId?: string;
}

function partFromChange(change: MessageChange, seq: number, hint?: PartHint): PartView | undefined {
  const update = change.parts?.find((part) => part.seq === seq && part.status !== undefined);
  if (update?.status === undefined) return undefined;
  const connector = update.connectorId ?? hint?.connector;
  const smscMessageId = update.carrierMessageId ?? hint?.smscMessageId;
  return {
    seq,
    status: update.status,
    ...(connector === undefined ? {} : { connector }),
    ...(smscMessageId === undefined ? {} : { smscMessageId }),
    ...(update.raw === undefined ? {} : { raw: update.raw as Readonly<Record<string, string | number>> }),
    ...(update.error === undefined ? {} : { error: update.error }),
  };
}

/** A refusal as data: code, message, the field at fault and the coded error's details (the API picks what a client may see). */
export function errorBody(error: unknown): ErrorBody {
  const coded = error as { code?: unknown; message?: unknown; details?: { field?: unknown } };
  const code = typeof coded.code === 'string' ? coded.code : 'GW_INTERNAL';
  const message = typeof coded.message === 'string' ? coded.message : 'internal error';
  const field = typeof coded.details?.field === 'string' ? coded.details.field : undefined;
  const details = typeof coded.details === 'object' && coded.details !== null ? (coded.details as ErrorDetails) : undefined;
  return { code, message, ...(field === undefined ? {} : { field }), ...(details === undefined ? {} : { details }) };
}

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly details?: ErrorDetails;
}

