/**
 * The composition root of the gateway core: builds every service once over one message backend (memory or
 * Redis), one event transport (memory or Kafka) and the configured drivers, and starts and stops them in order.
 * - `messages`: submit, read, list, cancel, inbound listing (the HTTP API's messages routes call it).
 * - `links`: the drivers' up/down state and readiness; `housekeeping`: the timers.
 * - `operations`: what operators watch (connectors, links, throughput, backlog; an account's recent failures).
 * - Receipts, webhooks and usage are handlers of the event transport; `roles` selects which this process runs.
 * Services of later features sit beside `messages` here, and the API takes them through `GatewayServices`.
 */
import { ConsoleSignIn } from './accounts/console-sign-in.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { maskDigits } from '../common/index.ts';
import type { Driver, DriverSink, PartOutcome, Receipt } from '../drivers/transport/index.ts';
import type { RouterHandle } from '../router/index.ts';
import { AccountRegistry, type AccountConfig } from './accounts/account-registry.ts';
import { CampaignInputService } from './campaigns/campaign-input-service.ts';
import { CampaignRunner, type Schedule } from './campaigns/campaign-runner.ts';
import { CampaignService } from './campaigns/campaign-service.ts';
import { campaignStatusEvent } from './campaigns/campaign-status-event.ts';
import { CampaignStatusHandler } from './consumers/campaign-status-handler.ts';
import { MemoryEventTransport } from './adapters/memory/memory-event-transport.ts';
import { StatusUpdater } from './consumers/status-updater.ts';
import { UsageConsumer } from './consumers/usage-consumer.ts';
import { WebhookFeeder, type WebhookFeederObserver } from './consumers/webhook-feeder.ts';
import { BindOwnership, bindSlotCount } from './dispatch/bind-ownership.ts';
import { ConnectorWorker } from './dispatch/connector-worker.ts';
import type { RetryPolicyConfig } from './dispatch/retry-policy.ts';
import { EventProjection } from './events/event-projection.ts';
import { ConnectorBacklog } from './housekeeping/connector-backlog.ts';
import { Housekeeping } from './housekeeping/housekeeping.ts';
import { KeywordHandler } from './keywords/keyword-handler.ts';
import { LinkState } from './links/link-state.ts';
import { allHeldHere, slotsByHolder, type BindSlots } from './operations/bind-slots.ts';
import { OperationsService } from './operations/operations-service.ts';
import { linkClickedEvent } from './short-links/link-clicked-event.ts';
import { LinkService, type LinkClick, type LinkSettings } from './short-links/link-service.ts';
import { shortenUrlsIn } from './short-links/shorten-text.ts';
import { SILENT_LOG, type GatewayLog } from './log/gateway-log.ts';
import { MessagesService } from './messages/messages-service.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import { AddressList } from './net/address-list.ts';
import type { MessageBackend } from './ports/backend.ts';
import type { CampaignRecord, RecipientCounter } from './ports/campaign-store.ts';
import type { EventHandler, EventHandlers, EventTransport } from './ports/event-transport.ts';
import { ReceiptProcessor } from './receipts/receipt-processor.ts';
import { ReceiptTimeout } from './receipts/receipt-timeout.ts';
import { RecentCorrelations } from './receipts/recent-correlations.ts';
import { SuppressionCheck } from './suppressions/suppression-check.ts';
import { suppressionEvent } from './suppressions/suppression-event.ts';
import { SuppressionService, type SuppressionChange } from './suppressions/suppression-service.ts';
import { PartSeal } from './messages/part-seal.ts';
import { AbuseGuard } from './verification/abuse-guard.ts';
import { verificationEvent } from './verification/verification-event.ts';
import { VerificationService, type VerificationChange } from './verification/verification-service.ts';
import type { WebhookSettings } from './webhooks/webhook-delivery.ts';
import { webhookObserver } from './webhooks/webhook-observer.ts';
import { windowOpening } from './windows/send-windows.ts';
import { WebhookSender } from './webhooks/webhook-sender.ts';
import { WebhookTargets } from './webhooks/webhook-targets.ts';
import { QuotaGate } from './usage/quota-gate.ts';
import { UsageCalendar } from './usage/usage-calendar.ts';
import { UsageService } from './usage/usage-service.ts';

/**
 * What a process does with events and receipts: apply receipts and follow campaign recipients (`status`; in Kafka
 * mode the recipients' handler reads the events with the other event handlers: `kafka.eventGroups`), turn events into webhook jobs
 * (`webhooks`), post the jobs (`webhook-sender`: it works from the webhook queue, not from events), count usage
 * (`usage`, into the backend's usage store). Dispatch, the API's services and housekeeping run in every process.
 */
export type ConsumerRole = 'status' | 'webhooks' | 'webhook-sender' | 'usage';
export const CONSUMER_ROLES: readonly ConsumerRole[] = ['status', 'webhooks', 'webhook-sender', 'usage'];

export interface GatewayOptions {
  readonly backend: MessageBackend;
  readonly router: RouterHandle;
  readonly drivers: readonly Driver[];
  readonly accounts: readonly AccountConfig[];
  /**
   * Where events and receipts travel (default: in this process). With a shared transport (Kafka) the carrier is
   * answered once a receipt is durable there, and whichever process takes the `status` role applies it.
   */
  readonly events?: EventTransport;
  /** Which handlers this process runs (default all). */
  readonly roles?: readonly ConsumerRole[];
  /** Usage and quota settings: the IANA time zone of their days and months (default UTC). */
  readonly usage?: { readonly timeZone?: string };
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
  /**
   * A dispatch consumer's lease, and a bind slot's lease when the backend shares bind ownership (Redis): how long
   * after its last renewal a silent process counts as dead (default 30 s).
   */
  readonly leaseMs?: number;
  /** How long a submitted part waits for its final receipt (default 72 h); then query_sm or unknown. */
  readonly receiptTimeoutMs?: number;
  /** Validity when a request gives none (default 48 h). */
  readonly defaultValiditySeconds?: number;
  /** Messages waiting for one connector at most; beyond it new messages get GW_BACKLOG_FULL (default 1,000,000). */
  readonly maxBacklogPerConnector?: number;
  /** How long a receipt that matches no part yet is tried again (default 30 s; Kafka mode: `kafka.receiptHoldMs`). */
  readonly receiptHoldMs?: number;
  /** Which part transitions are events of their own (default `all`; Kafka mode: `kafka.partEvents`): see EventProjection. */
  readonly partEvents?: 'all' | 'multipart';
  /**
   * Carrier ids of parts this process submitted lately, held beside the store for receipts that outrun its write
   * (default 200,000; the memory mode, whose store is written at once, needs far fewer: `memory.recentCorrelations`).
   */
  readonly recentCorrelations?: number;
  readonly webhooks?: WebhookSettings;
  /**
   * The deployment secret of one-time codes (their HMACs) and of sealed message parts; every process sharing a store
   * must have the same. Default: a random secret for this process alone (the embedded mode). `false`: none, so
   * verifications are refused (a shared store without a shared secret).
   */
  readonly verifySecret?: Buffer | false;
  /** Short links: base URL, code length, lifetimes, click tokens (see LinkSettings); `fallbackBaseUrl` when no base URL is set. */
  readonly shortLinks?: LinkSettings & { readonly fallbackBaseUrl?: () => string };
  /** The campaign runner's waits (default setTimeout; tests give a manual clock's) and its lease (default 30 s). */
  readonly campaigns?: { readonly schedule?: Schedule; readonly leaseMs?: number };
  readonly now?: () => number;
}

/** The services the HTTP API uses; later services (suppressions, verification, campaigns, usage) join them here. */
export interface GatewayServices {
  readonly accounts: AccountRegistry;
  readonly messages: MessagesService;
  readonly suppressions: SuppressionService;
  readonly verifications: VerificationService;
  readonly shortLinks: LinkService;
  readonly links: Pick<LinkState, 'ready'>;
  readonly metrics: GatewayMetrics;
  readonly usage: UsageService;
  readonly campaignInput: CampaignInputService;
  readonly campaigns: CampaignService;
  readonly consoleSignIn: ConsoleSignIn;
  readonly operations: OperationsService;
  /** The core's clock: the console reads "now" and "today" from it, so its pages and the services agree. */
  readonly now: () => number;
}

export class Gateway implements GatewayServices {
  readonly accounts: AccountRegistry;
  readonly metrics: GatewayMetrics;
  readonly events: EventTransport;
  readonly log: GatewayLog;
  readonly messages: MessagesService;
  readonly suppressions: SuppressionService;
  readonly verifications: VerificationService;
  readonly usage: UsageService;
  readonly shortLinks: LinkService;
  readonly campaignInput: CampaignInputService;
  readonly campaigns: CampaignService;
  readonly consoleSignIn: ConsoleSignIn;
  readonly operations: OperationsService;
  private readonly campaignRunner: CampaignRunner;
  readonly links: LinkState;
  readonly housekeeping: Housekeeping;
  private readonly receipts: ReceiptProcessor;
  private readonly projection: EventProjection;
  private readonly handlers: EventHandlers;
  private readonly roles: ReadonlySet<ConsumerRole>;
  private readonly recent: RecentCorrelations;
  private readonly workers = new Map<string, ConnectorWorker>();
  /** Bind slots this process holds, when the backend shares bind ownership between processes. */
  private ownership: BindOwnership | undefined;
  /** Drivers without bind slots (owned whole) that this process started. */
  private readonly wholeStarted = new Set<string>();
  private consumer = '';
  private sender: WebhookSender | undefined;
  private started = false;
  private stopping = false;
  readonly now: () => number;
  /** Opens the sealed parts of masked messages for the dispatch workers (none without a deployment secret). */
  private readonly seal: PartSeal | undefined;

  constructor(private readonly options: GatewayOptions) {
    const { backend } = options;
    this.recent = new RecentCorrelations(options.recentCorrelations);
    const now = (this.now = options.now ?? Date.now);
    const accounts = (this.accounts = new AccountRegistry(options.accounts));
    const metrics = (this.metrics = options.metrics ?? new GatewayMetrics());
    this.log = options.log ?? SILENT_LOG;
    const events = (this.events = options.events ?? new MemoryEventTransport());
    this.roles = new Set(options.roles ?? CONSUMER_ROLES);
    const links = (this.links = new LinkState(options.drivers, metrics, this.log, () => backend.ping(), now));
    this.operations = new OperationsService({ links, queue: backend.queue, store: backend.store, slots: (id) => this.bindSlots(id), now });
    const suppressions = (this.suppressions = new SuppressionService({ store: backend.suppressions, accounts, now, changed: (change) => this.suppressionChanged(change) }));
    const keywords = new KeywordHandler({
      suppressions,
      submit: (accountId, request, key, service) => this.messages.submit(accountId, request, key, service),
      acks: backend.autoAcks,
      metrics,
      log: this.log,
    });
    const projection = (this.projection = new EventProjection({
      events,
      metrics,
      accounts,
      inbound: backend.inbound,
      now,
      ...(options.partEvents === undefined ? {} : { partEvents: options.partEvents }),
      keywords: (message, account, inboundId) => keywords.handle(message, account, inboundId),
    }));
    const backlog = new ConnectorBacklog(options.maxBacklogPerConnector);
    const secret = options.verifySecret ?? randomBytes(32);
    const seal = secret === false ? undefined : new PartSeal(secret);
    this.seal = seal;
    const shortLinks = (this.shortLinks = new LinkService({
      ...options.shortLinks,
      store: backend.links,
      tokenSecret: (accountId) => accounts.get(accountId)?.callbackSecret,
      clicked: (click) => this.linkClicked(click),
      missed: (reason) => metrics.linkMisses.inc({ reason }),
      now,
    }));
    const calendar = new UsageCalendar(options.usage?.timeZone);
    this.usage = new UsageService(backend.usage, calendar);
    const quota = new QuotaGate({
      store: backend.usage,
      calendar,
      quotasOf: (id) => accounts.get(id)?.quotas,
      refused: (account, period, unit) => metrics.quotaRefusals.inc({ account, period, unit }),
    });
    this.messages = new MessagesService({
      backend,
      router: options.router,
      accounts,
      events,
      projection,
      metrics,
      backlog,
      webhookTargets: new WebhookTargets(AddressList.parse(options.webhooks?.allow ?? [], 'webhooks.allow', { hosts: true })),
      isUp: (id) => this.routable(id),
      screen: new SuppressionCheck({ suppressions, account: (id) => accounts.get(id), refused: (account, entry) => metrics.suppressed.inc({ account, reason: entry.reason }) }),
      // A quote (the console's send form, POST /v1/messages/quote) refuses nothing for real: not counted.
      quoteScreen: new SuppressionCheck({ suppressions, account: (id) => accounts.get(id) }),
      stopping: () => this.stopping,
      quota,
      ...(seal === undefined ? {} : { seal }),
      prepareText: (text, message) =>
        shortenUrlsIn(text, async (target) => {
          const expiresAt = shortLinks.messageLinkExpiry(message.expiresAt);
          const made = await shortLinks.create({ accountId: message.accountId, target, expiresAt, messageId: message.id, recipient: message.to });
          return made.url;
        }),
      now,
      ...(options.defaultValiditySeconds === undefined ? {} : { defaultValiditySeconds: options.defaultValiditySeconds }),
    });
    // The campaign preview screens rows as the accept path does, without counting them as refused messages.
    const campaignScreen = new SuppressionCheck({ suppressions, account: (id) => accounts.get(id) });
    this.campaignInput = new CampaignInputService({
      router: options.router,
      accounts,
      screen: (recipient) => campaignScreen.check(recipient),
      isUp: (id) => this.routable(id),
      link: () => shortLinks.shape(),
      now,
    });
    this.campaignRunner = new CampaignRunner({
      store: backend.campaigns,
      account: (id) => accounts.get(id),
      submit: (account, request, key, service) => this.messages.submit(account, request, key, service),
      stored: async (messageId) => (await backend.store.get(messageId)) !== undefined,
      cancel: (account, messageId) => this.messages.cancel(account, messageId),
      // The link knows its message too: the first click goes on the message's timeline.
      link: async (campaign, { to, messageId }, target) => {
        const expiresAt = campaign.options.links?.expiresAt;
        return (await shortLinks.create({ accountId: campaign.accountId, target, campaignId: campaign.id, recipient: to, messageId, ...(expiresAt === undefined ? {} : { expiresAt }) })).url;
      },
      changed: (record) => this.campaignChanged(record),
      counted: this.campaignCounter,
      owner: options.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
      ...(options.campaigns?.leaseMs === undefined ? {} : { leaseMs: options.campaigns.leaseMs }),
      ...(options.campaigns?.schedule === undefined ? {} : { schedule: options.campaigns.schedule }),
      failed: (campaign, error) => this.log.warn({ campaign, error: maskDigits(error instanceof Error ? error.message : String(error)) }, 'campaign runner: will try again'),
      now,
    });
    this.campaigns = new CampaignService({
      store: backend.campaigns,
      input: this.campaignInput,
      accounts,
      runner: this.campaignRunner,
      messages: { cancel: (account, id) => this.messages.cancel(account, id) },
      linkShape: () => shortLinks.shape(),
      changed: (record) => this.campaignChanged(record),
      counted: this.campaignCounter,
      now,
    });
    this.consoleSignIn = new ConsoleSignIn(this.accounts, backend.rates);
    this.verifications = new VerificationService({
      store: backend.verifications,
      accounts,
      guard: new AbuseGuard(backend.rates, async (account, reason) => {
        metrics.verificationRefusals.inc({ account, reason });
        await this.verifications.refused(account, reason);
      }),
      submit: (account, request, key, service) => this.messages.submit(account, request, key, service),
      secret: secret === false ? undefined : secret,
      now,
      calendar,
      changed: (change) => this.verificationChanged(change),
    });
    this.receipts = new ReceiptProcessor({
      store: backend.store,
      recent: this.recent,
      now,
      ...(options.receiptHoldMs === undefined ? {} : { holdMs: options.receiptHoldMs }),
      observer: {
        changed: (applied, change, hint) => projection.changed(applied, change, hint),
        receipt: (receipt, matched) => metrics.receipts.inc({ connector: receipt.connectorId, state: receipt.state, matched: String(matched) }),
        unmatched: () => metrics.receiptsUnmatched.inc(),
        submitToReceipt: (connector, ms) => metrics.submitToReceipt.observe({ connector }, ms / 1000),
      },
    });
    const receiptTimeout = new ReceiptTimeout({
      store: backend.store,
      driver: (id) => links.driver(id),
      change: async (id, change) => {
        const applied = await backend.store.apply(id, change);
        if (applied !== undefined) await projection.changed(applied, change).catch(() => metrics.eventsFailed.inc());
      },
      now,
      resolved: (connector, how) => metrics.receiptTimeouts.inc({ connector, how }),
    });
    this.housekeeping = new Housekeeping({ queue: backend.queue, links, backlog, receiptTimeout, metrics, now, expireVerifications: () => this.verifications.sweep() });
    this.handlers = this.eventHandlers();
  }

  /** Starts the handlers of this process's roles, then the drivers with their dispatch workers, then the timers. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { backend } = this.options;
    const consumer = (this.consumer = this.options.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`);
    await this.events.consume(this.handlers);
    const sink: DriverSink = { receipt: this.events.appendReceipt.bind(this.events), inbound: this.projection.inbound.bind(this.projection) };
    const binds = backend.binds;
    if (binds === undefined) {
      // One process (memory mode): every bind of every connector is its own.
      for (const driver of this.options.drivers) {
        this.links.watch(driver);
        await driver.start(sink);
        this.startWorker(driver);
      }
    } else {
      for (const driver of this.options.drivers) {
        this.links.watch(driver);
        // Started with no bind open: the ownership rounds open the slots this process holds.
        if (driver.own !== undefined) {
          await driver.own([]);
          await driver.start(sink);
        }
      }
      this.ownership = new BindOwnership({
        store: binds,
        owner: consumer,
        leaseMs: this.options.leaseMs ?? 30_000,
        connectors: this.options.drivers.map((driver) => ({ id: driver.id, slots: bindSlotCount(driver) })),
        apply: (id, slots) => this.applyBinds(id, slots, sink),
        failed: (error) => this.log.warn({ error: maskDigits(error instanceof Error ? error.message : String(error)) }, 'bind ownership: will try again'),
        now: this.now,
      });
      const ownership = this.ownership;
      this.links.heldElsewhere = (id) => ownership.heldElsewhere(id);
      await ownership.start();
    }
    if (this.roles.has('webhook-sender')) {
      this.sender = new WebhookSender({ queue: backend.webhooks, ...this.options.webhooks, observer: webhookObserver(this.metrics, this.log) });
      this.sender.start();
    }
    await this.campaignRunner.start();
    this.housekeeping.start();
  }

  /** The bind slots of a connector this process holds (all in memory mode); operators and tests read it. */
  heldBinds(connectorId: string): readonly number[] | 'all' {
    return this.ownership === undefined ? 'all' : this.ownership.holding(connectorId);
  }

  /**
   * A connector's bind slots for the operations snapshot: in memory mode all are this process's; with a shared
   * store, as its leases stand now (a slot being given up counts here until its lease is released).
   */
  private async bindSlots(connectorId: string): Promise<BindSlots> {
    const driver = this.options.drivers.find((d) => d.id === connectorId);
    const total = driver === undefined ? 0 : bindSlotCount(driver);
    const binds = this.options.backend.binds;
    return binds === undefined ? allHeldHere(total) : slotsByHolder(await binds.holders(connectorId, total), this.consumer);
  }

  /** A connector's slots held by this process changed: its binds follow, and its worker runs while it holds any. */
  private async applyBinds(connectorId: string, slots: readonly number[], sink: DriverSink): Promise<void> {
    const driver = this.options.drivers.find((d) => d.id === connectorId);
    if (driver === undefined || this.stopping) return;
    if (slots.length === 0) {
      // The worker finishes what it sends on the binds still open before they close.
      const worker = this.workers.get(connectorId);
      this.workers.delete(connectorId);
      await worker?.stop();
    }
    if (driver.own !== undefined) {
      await driver.own(slots);
    } else if (slots.length > 0 && !this.wholeStarted.has(connectorId)) {
      this.wholeStarted.add(connectorId);
      await driver.start(sink);
    } else if (slots.length === 0 && this.wholeStarted.has(connectorId)) {
      // A driver owned whole opens once: after losing its lease it stays closed in this process until a restart.
      this.ownership?.forget(connectorId);
      this.log.error({ connector: connectorId }, 'bind lease lost: connector closed in this process until it restarts');
      await driver.close();
    }
    if (slots.length > 0 && !this.stopping) this.startWorker(driver);
    this.log.info({ connector: connectorId, slots }, 'bind slots held');
  }

  /** Up for routing: a bind of this process is up, or another process holds a slot (its links are not seen here). */
  private routable(connectorId: string): boolean {
    return this.links.isUp(connectorId) || this.ownership?.heldElsewhere(connectorId) === true;
  }

  /** The connector's dispatch worker in this process (one at most). */
  private startWorker(driver: Driver): void {
    if (this.workers.has(driver.id)) return;
    const worker = new ConnectorWorker({
      connectorId: driver.id,
      driver,
      backend: this.options.backend,
      consumer: this.consumer,
      isUp: (id) => this.links.isUp(id),
      recent: this.recent,
      ...(this.seal === undefined ? {} : { seal: this.seal }),
      now: this.now,
      ...(this.options.retry === undefined ? {} : { retry: this.options.retry }),
      ...(this.options.maxInFlightPerConnector === undefined ? {} : { maxInFlight: this.options.maxInFlightPerConnector }),
      ...(this.options.reclaimIdleMs === undefined ? {} : { reclaimIdleMs: this.options.reclaimIdleMs }),
      ...(this.options.leaseMs === undefined ? {} : { leaseMs: this.options.leaseMs }),
      ...(this.options.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: this.options.receiptTimeoutMs }),
      window: (envelope, at) => {
        if (envelope.anyHour === true) return undefined;
        const account = this.accounts.get(envelope.accountId);
        return windowOpening(account?.sendWindow, envelope, at, account?.defaultCountry);
      },
      observer: {
        // The change is stored; events nobody could take (Kafka and the outbox both away) are counted, and
        // must not stop the message from going out. Receipts, by contrast, fail so that they come again.
        changed: (applied, change) => this.projection.changed(applied, change).catch(() => this.metrics.eventsFailed.inc()),
        submitted: (connector, outcome, acceptedAt, messageId) => this.submitted(connector, outcome, acceptedAt, messageId),
        reclaimed: (connector, count) => this.metrics.reclaimed.inc({ connector }, count),
        deferred: (account, stage) => this.metrics.deferred.inc({ account, stage }),
      },
    });
    this.workers.set(driver.id, worker);
    worker.start();
  }

  /** Graceful: stop accepting, finish in-flight submits, unbind, stop the handlers, flush webhooks and events. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.campaignRunner.stop();
    this.housekeeping.stop();
    await this.ownership?.stop();
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
    const opened = this.ownership === undefined ? this.options.drivers : this.options.drivers.filter((d) => d.own !== undefined || this.wholeStarted.has(d.id));
    await Promise.all(opened.map((driver) => driver.close()));
    // The binds are down: their slots are free for the other processes at once.
    await this.ownership?.release();
    await this.events.stopConsuming();
    this.receipts.stop();
    await this.sender?.stop();
    await this.events.close();
  }

  /** The handlers of this process's roles, built once; the transport delivers to them. */
  private eventHandlers(): EventHandlers {
    const shared = this.events.shared;
    const events: EventHandler[] = [];
    if (this.roles.has('webhooks')) {
      events.push(
        new WebhookFeeder({
          account: (id) => this.accounts.get(id),
          queue: this.options.backend.webhooks,
          added: () => this.sender?.nudge(),
          observer: shared ? this.sharedFeederObserver() : this.localFeederObserver(),
          now: this.now,
        }),
      );
    }
    if (this.roles.has('usage')) events.push(new UsageConsumer(this.options.backend.usage, this.usage.calendar));
    if (this.roles.has('status')) events.push(new CampaignStatusHandler(this.options.backend.campaigns, this.campaignCounter));
    if (!this.roles.has('status')) return { events };
    const receipts = new StatusUpdater({
      receipts: this.receipts,
      // On a shared transport the offsets wait for held receipts, and a replay must put missing events out again.
      waitForHeld: shared,
      ...(shared
        ? {
            republish: (receipt) => this.republish(receipt),
            park: (record, key) => this.events.park(record, key),
            observer: { parked: (reason) => this.metrics.receiptsParked.inc({ reason }) },
          }
        : {}),
      now: this.now,
    });
    return { receipts, events };
  }

  /** Kafka: a replayed event adds no job and counts as a duplicate. */
  private sharedFeederObserver(): WebhookFeederObserver {
    return {
      stored: (jobs, added) => {
        this.metrics.webhookJobs.inc({ outcome: 'added' }, added);
        if (jobs > added) this.metrics.webhookJobs.inc({ outcome: 'duplicate' }, jobs - added);
      },
    };
  }

  /** Memory: nothing comes again, so a job not queued is counted and logged here. */
  private localFeederObserver(): WebhookFeederObserver {
    return {
      // A replay of a known event, or a full memory queue that refuses rather than grows.
      stored: (_jobs, added) => {
        if (added === 0) this.metrics.webhookJobs.inc({ outcome: 'dropped' });
      },
      failed: (events, error) => {
        this.metrics.webhookJobs.inc({ outcome: 'failed' });
        const code = (error as { code?: unknown }).code;
        const text = maskDigits(error instanceof Error ? error.message : String(error));
        for (const event of events) this.log.warn({ eventId: event.id, code, error: text }, 'webhook job not queued');
      },
    };
  }

  /** A receipt that moved nothing: its part's events again, from the stored record. */
  private async republish(receipt: Receipt): Promise<void> {
    const correlation = await this.receipts.correlationOf(receipt);
    if (correlation === undefined) return;
    const record = await this.options.backend.store.get(correlation.messageId);
    if (record !== undefined) await this.projection.republish(record, correlation);
  }

  /**
   * A stored suppression change: counted, then published (events and the account's webhook). The change stands
   * when no transport takes its event (counted as a failed event, as for message changes).
   */
  private async verificationChanged(change: VerificationChange): Promise<void> {
    this.metrics.verifications.inc({ account: change.record.accountId, status: change.kind });
    if (!this.events.interested('verification.status', change.kind)) return;
    await this.events.publish(verificationEvent(change)).catch(() => this.metrics.eventsFailed.inc());
  }

  /**
   * A counted click: measured; the first human click on a message's link goes on its timeline (once, without
   * touching its status); then the `link.clicked` event (and, for human clicks, the account's webhook). A click
   * stands when its timeline entry or event fails (counted as a failed event): the recipient is redirected anyway.
   * Campaigns learn of clicks here too (`link.campaignId`).
   */
  private async linkClicked(click: LinkClick): Promise<void> {
    const { link } = click;
    this.metrics.linkClicks.inc({ account: link.accountId, kind: click.kind === 'bot' ? 'bot' : click.first ? 'human' : 'repeat' });
    if (click.first && link.messageId !== undefined) {
      await this.options.backend.store
        .apply(link.messageId, { at: click.at, timeline: [{ at: click.at, event: 'clicked', detail: link.code }] })
        .catch(() => this.metrics.eventsFailed.inc());
    }
    if (click.first && click.kind !== 'bot' && link.campaignId !== undefined && link.recipient !== undefined) {
      await this.campaigns.clicked(link.accountId, link.campaignId, link.recipient, click.at).catch(() => this.metrics.eventsFailed.inc());
    }
    const event = linkClickedEvent(click);
    if (!this.events.interested('link.clicked', event.kind)) return;
    await this.events.publish(event).catch(() => this.metrics.eventsFailed.inc());
  }

  /**
   * A stored campaign state change: counted, then the `campaign.status` event (and the account's webhook). The
   * change stands when no transport takes its event (counted as a failed event).
   */
  private async campaignChanged(record: CampaignRecord): Promise<void> {
    this.metrics.campaignTransitions.inc({ account: record.accountId, state: record.state });
    if (!this.events.interested('campaign.status', record.state)) return;
    await this.events.publish(campaignStatusEvent(record)).catch(() => this.metrics.eventsFailed.inc());
  }

  private readonly campaignCounter: RecipientCounter = (account, status, count) => this.metrics.campaignRecipients.inc({ account, status }, count);

  private async suppressionChanged(change: SuppressionChange): Promise<void> {
    this.metrics.suppressionChanges.inc({ action: change.action, source: change.source.kind });
    if (!this.events.interested('suppression.changed', change.action)) return;
    await this.events.publish(suppressionEvent(change)).catch(() => this.metrics.eventsFailed.inc());
  }

  private submitted(connector: string, outcome: PartOutcome, acceptedAt: number, messageId: string): void {
    this.operations.submitted(connector, outcome);
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
}
