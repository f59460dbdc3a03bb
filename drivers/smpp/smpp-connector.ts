import { EventEmitter } from 'node:events';
import { isCodedError, RecentMap, type CodedError } from '../../common/index.ts';
import { Reassembler, normalizeMessageId } from '../codec/index.ts';
import { STATUS, commandStatus } from '../smpp-protocol/index.ts';
import type { Driver, DriverEvents, DriverHealth, DriverSink, PartOutcome, QueryOutcome, QueryRequest, SendRequest, SendResult } from '../transport/index.ts';
import { AdaptiveRate } from './adaptive-rate.ts';
import { reconnectDelay } from './backoff.ts';
import { BindSession } from './bind-session.ts';
import type { BindOwner, BindRole } from './bind-types.ts';
import { realClock, type Cancel, type SmppClock } from './clock.ts';
import { parseSmppConfig, type SmppConfig } from './config.ts';
import { ConnectorCounters, type CounterName } from './connector-counters.ts';
import { smppError, submitStatusError } from './errors.ts';
import { InboundHandler } from './inbound.ts';
import { linkHealth } from './link-health.ts';
import { querySm, type QueryContext } from './query-request.ts';
import { connectSocket, type SocketFactory } from './socket-factory.ts';
import { SendQueue, type SendJob } from './send-queue.ts';
import { prepareSubmits, type PreparedPart } from './submit-pdus.ts';

/** What a connector takes from outside besides its configuration; the defaults are real time and real sockets. */
export interface SmppConnectorOptions {
  readonly clock?: SmppClock;
  readonly connect?: SocketFactory;
}

const SWEEP_MS = 50;

/**
 * An SMPP connector: a pool of binds to one SMSC account behind the transport `Driver` interface.
 * Parts wait in one queue; a part leaves when the shared token bucket gives a token and a bound bind
 * (round-robin) has room in its window. Timeouts, enquire_link and inbound deadlines are checked by one
 * periodic sweep, never by a timer per PDU. Every timer goes through the injected clock.
 */
export class SmppConnector extends EventEmitter implements Driver {
  readonly kind = 'smpp' as const;
  readonly id: string;
  readonly config: SmppConfig;

  private readonly binds: BindSession<SendJob>[] = [];
  /** Each bind's slot (0-based): a transceiver, or a transmitter and receiver pair, is one slot. */
  private readonly slots = new Map<BindSession<SendJob>, number>();
  /** The slots this process may open (see `own`); undefined: all. */
  private owned: ReadonlySet<number> | undefined;
  private readonly senders: BindSession<SendJob>[] = [];
  private roundRobin = 0;
  private readonly queue: SendQueue;
  private readonly rate: AdaptiveRate;
  private readonly reassembler: Reassembler;
  /** Normalized id -> the id exactly as submit_sm_resp gave it (receipt matching, and query_sm sends it back). */
  private readonly knownIds: RecentMap<string, string>;
  private readonly reconnectTimers = new Map<BindSession<SendJob>, Cancel>();
  private readonly counters = new ConnectorCounters();
  private readonly clock: SmppClock;
  private readonly inbound: InboundHandler;
  private sink: DriverSink | undefined;
  private cancelSweep: Cancel | undefined;
  private started = false;
  private closing = false;
  private closed: Promise<void> | undefined;
  /** Set while shutdown waits for the parts in flight; called once nothing is left to send or answer. */
  private drained: (() => void) | undefined;
  private readonly sweep = (): void => {
    this.cancelSweep = this.clock.schedule(SWEEP_MS, this.sweep, true);
    this.onSweep();
  };
  /** What the binds call back: kept off the public surface of the connector. */
  private readonly owner: BindOwner<SendJob, BindSession<SendJob>> = {
    bound: (bind) => this.onBound(bind),
    down: (bind, reason, wasBound, lost) => this.onDown(bind, reason, wasBound, lost),
    submitAnswered: (bind, job, status, messageId) => this.onSubmitAnswered(bind, job, status, messageId),
    submitTimedOut: (bind, job) => this.onSubmitTimedOut(bind, job),
    delivery: (bind, generation, frame) => this.inbound.delivery(bind, generation, frame),
  };
  /** Present when `querySm` is on; see `Driver.query`. */
  readonly query?: (request: QueryRequest) => Promise<QueryOutcome>;
  constructor(config: unknown, options: SmppConnectorOptions = {}) {
    super();
    this.config = parseSmppConfig(config);
    this.clock = options.clock ?? realClock;
    this.queue = new SendQueue(this.clock, () => this.pump());
    const deps = { clock: this.clock, connect: options.connect ?? connectSocket };
    this.knownIds = new RecentMap(Math.max(1, this.config.receiptIdMemory));
    this.id = this.config.id;
    this.rate = new AdaptiveRate(this.config.maxTps, this.config.throttle, this.clock.now());
    this.reassembler = new Reassembler({ timeoutMs: this.config.inbound.reassemblyTimeoutMs });
    this.inbound = new InboundHandler({
      connectorId: this.id,
      knownIds: this.knownIds,
      reassembler: this.reassembler,
      now: this.clock.now,
      sink: () => this.sink,
      count: (name) => this.count(name),
    });
    if (this.config.querySm) this.query = (request) => this.querySm(request);
    const roles: [BindRole, string][] = [];
    for (let i = 1; i <= this.config.binds; i++) {
      if (this.config.bindMode === 'transceiver') {
        roles.push(['transceiver', `${this.id}#${i}`]);
      } else {
        roles.push(['transmitter', `${this.id}#tx${i}`], ['receiver', `${this.id}#rx${i}`]);
      }
    }
    for (const [index, [role, linkId]] of roles.entries()) {
      const bind = new BindSession<SendJob>(linkId, role, this.config, this.owner, deps);
      this.binds.push(bind);
      this.slots.set(bind, this.config.bindMode === 'transceiver' ? index : Math.floor(index / 2));
      if (role !== 'receiver') this.senders.push(bind);
    }
  }

  override on<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    return super.off(event, listener);
  }

  private emitEvent<E extends keyof DriverEvents>(event: E, ...args: Parameters<DriverEvents[E]>): void {
    try {
      this.emit(event, ...args);
    } catch {
      // A listener's bug must not break the session that is telling it something.
      this.count('listenerErrors');
    }
  }

  start(sink: DriverSink): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    this.sink = sink;
    const now = this.clock.now();
    for (const bind of this.binds) if (this.mayOpen(bind)) bind.open(now);
    this.cancelSweep = this.clock.schedule(SWEEP_MS, this.sweep, true);
    return Promise.resolve();
  }

  get bindSlots(): number {
    return this.config.binds;
  }

  /** See `Driver.own`: opens the slots given, unbinds the rest cleanly (their unanswered parts are unknown). */
  async own(slots: readonly number[]): Promise<void> {
    this.owned = new Set(slots);
    if (!this.started || this.closing) return;
    const now = this.clock.now();
    const closing: Promise<void>[] = [];
    for (const bind of this.binds) {
      if (this.mayOpen(bind)) {
        if (bind.state === 'idle' && !this.reconnectTimers.has(bind)) bind.open(now);
        continue;
      }
      this.reconnectTimers.get(bind)?.();
      this.reconnectTimers.delete(bind);
      closing.push(bind.close(now));
    }
    await Promise.all(closing);
  }

  private mayOpen(bind: BindSession<SendJob>): boolean {
    return this.owned === undefined || this.owned.has(this.slots.get(bind) ?? -1);
  }

  send(request: SendRequest): Promise<SendResult> {
    let parts: PreparedPart[];
    try {
      if (this.closing) throw smppError('SMPP_CLOSED', undefined, { connector: this.id });
      if (!this.started) throw smppError('SMPP_NOT_BOUND', 'connector not started', { connector: this.id });
      parts = prepareSubmits(request, this.config);
    } catch (error) {
      const coded: CodedError = isCodedError(error)
        ? error
        : smppError('SMPP_INVALID_REQUEST', String(error), { messageId: request.messageId });
      const numbers = request.onlyParts ?? request.encoded.parts.map((p) => p.seq);
      return Promise.resolve({
        connectorId: this.id,
        parts: numbers.map((seq) => ({ seq, status: 'failed', error: coded })),
      });
    }
    if (parts.length === 0) return Promise.resolve({ connectorId: this.id, parts: [] });
    return new Promise<SendResult>((resolve) => {
      const now = this.clock.now();
      this.queue.push({
        request,
        parts,
        cursor: 0,
        outcomes: [],
        resolve,
        queuedAt: now,
        readyAt: 0,
        sentAt: 0,
        throttleRetries: 0,
        resent: false,
      });
      this.pump();
    });
  }

  health(): DriverHealth {
    return {
      connectorId: this.id,
      kind: 'smpp',
      up: this.senders.some((bind) => bind.state === 'bound'),
      links: this.binds.map((bind) => linkHealth(bind, this.config.windowSize)),
      counters: {
        ...this.counters.snapshot(),
        rate: Number.isFinite(this.rate.rate) ? this.rate.rate : 0,
        maxTps: this.config.maxTps,
        queued: this.queue.length,
        reassemblyPending: this.reassembler.pending,
      },
    };
  }

  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  // ---- sending ----

  private pump(): void {
    const now = this.clock.now();
    if (this.queue.hasPaused) this.queue.releasePaused(now);
    while (this.queue.ready > 0) {
      const bind = this.pickBind();
      if (bind === undefined) break;
      const wait = this.rate.take(now);
      if (wait > 0) {
        this.queue.wakeIn(wait);
        break;
      }
      const job = this.queue.shift() as SendJob;
      const part = job.parts[job.cursor] as PreparedPart;
      bind.submit(job, part.pdu, now);
    }
    // Everything that settles a part ends here: a shutdown waiting for the last one learns of it at once.
    if (this.drained !== undefined && this.idle()) this.drained();
  }

  /** The next bind round-robin that `usable` accepts (default: one with room for a submit). */
  private pickBind(usable: (bind: BindSession<SendJob>) => boolean = (bind) => bind.canSubmit): BindSession<SendJob> | undefined {
    const senders = this.senders;
    for (let i = 0; i < senders.length; i++) {
      this.roundRobin = (this.roundRobin + 1) % senders.length;
      const bind = senders[this.roundRobin] as BindSession<SendJob>;
      if (usable(bind)) return bind;
    }
    return undefined;
  }

  private settlePart(job: SendJob, outcome: PartOutcome): void {
    job.outcomes.push(outcome);
    job.cursor += 1;
    job.throttleRetries = 0;
    job.resent = false;
    if (job.cursor < job.parts.length) {
      job.queuedAt = this.clock.now();
      // The next part of a message already under way goes before messages not yet started.
      this.queue.unshift(job);
    } else {
      job.resolve({ connectorId: this.id, parts: job.outcomes });
    }
  }

  private unknownOutcome(job: SendJob, error: CodedError): void {
    if (this.config.unknownOutcome === 'resend-once' && !job.resent && !this.closing) {
      job.resent = true;
      this.count('submitResent');
      this.queue.unshift(job);
      return;
    }
    this.count('submitUnknown');
    this.settlePart(job, { seq: (job.parts[job.cursor] as PreparedPart).partNo, status: 'unknown', error });
  }

  // ---- what the binds report ----

  private onBound(bind: BindSession<SendJob>): void {
    this.count('bindsUp');
    this.emitEvent('up', bind.id);
    this.pump();
  }

  private onDown(bind: BindSession<SendJob>, reason: CodedError, wasBound: boolean, lost: SendJob[]): void {
    if (wasBound) this.counters.bindDown();
    else this.count('bindAttemptsFailed');
    this.emitEvent('down', bind.id, `${reason.code}: ${reason.message}`);
    const lostError = smppError('SMPP_CONNECTION_LOST', `${reason.code} on ${bind.id}`, { bind: bind.id, reason: reason.code });
    for (const job of lost) this.unknownOutcome(job, lostError);
    if (!this.closing && this.mayOpen(bind)) {
      this.count('reconnects');
      const delay = reconnectDelay(this.config.reconnect, Math.max(0, bind.failedAttempts - 1));
      const cancel = this.clock.schedule(wasBound ? Math.min(delay, this.config.reconnect.initialMs) : delay, () => {
        this.reconnectTimers.delete(bind);
        if (!this.closing && this.mayOpen(bind)) bind.open(this.clock.now());
      });
      this.reconnectTimers.set(bind, cancel);
    }
    this.pump();
  }

  private onSubmitAnswered(bind: BindSession<SendJob>, job: SendJob, status: number, messageId: string): void {
    const partNo = (job.parts[job.cursor] as PreparedPart).partNo;
    if (status === STATUS.ESME_ROK && messageId.trim() === '') {
      // The SMSC took the part but named it nothing: no receipt or query can find it, and a resend would duplicate it.
      this.count('submitUnknown');
      this.count('submitEmptyId');
      const error = smppError('SMPP_EMPTY_MESSAGE_ID', `on ${bind.id}`, { bind: bind.id, part: partNo });
      this.settlePart(job, { seq: partNo, status: 'unknown', error });
    } else if (status === STATUS.ESME_ROK) {
      const carrierMessageId = this.remember(messageId);
      this.count('submitOk');
      this.settlePart(job, { seq: partNo, status: 'submitted', carrierMessageId, via: bind.id });
    } else if (status === STATUS.ESME_RTHROTTLED || status === STATUS.ESME_RMSGQFUL) {
      this.count('throttled');
      this.counters.submitStatus(commandStatus(status).name);
      const now = this.clock.now();
      const rate = this.rate.throttled(now);
      if (rate !== undefined) this.emitEvent('throttled', rate);
      if (job.throttleRetries >= this.config.throttle.maxRetries) {
        this.count('submitFailed');
        const error = submitStatusError(status, { bind: bind.id, part: partNo, retries: job.throttleRetries });
        this.settlePart(job, { seq: partNo, status: 'failed', error: smppError('SMPP_THROTTLED', error.message, error.details), raw: { commandStatus: status } });
      } else {
        job.throttleRetries += 1;
        this.queue.pause(job, this.config.throttle.pauseMs, now);
      }
    } else {
      this.count('submitFailed');
      this.counters.submitStatus(commandStatus(status).name);
      this.settlePart(job, { seq: partNo, status: 'failed', error: submitStatusError(status, { bind: bind.id, part: partNo }), raw: { commandStatus: status } });
    }
    this.pump();
  }

  private onSubmitTimedOut(bind: BindSession<SendJob>, job: SendJob): void {
    const timeoutMs = this.config.submitTimeoutMs;
    this.unknownOutcome(job, smppError('SMPP_SUBMIT_TIMEOUT', `after ${timeoutMs} ms on ${bind.id}`, { bind: bind.id, timeoutMs }));
    this.pump();
  }

  /** Normalizes a submit_sm_resp id and keeps it (bounded) to match receipts that spell it another way. */
  private remember(messageId: string): string {
    const id = normalizeMessageId(messageId);
    const limit = this.config.receiptIdMemory;
    if (limit > 0) {
      this.knownIds.set(id, messageId.trim());
    }
    return id;
  }

  // ---- query_sm ----

  private querySm(request: QueryRequest): Promise<QueryOutcome> {
    const ctx: QueryContext = {
      connectorId: this.id,
      config: this.config,
      clock: this.clock,
      rate: this.rate,
      knownIds: this.knownIds,
      closing: () => this.closing,
      started: () => this.started,
      senders: this.senders,
      pickRequestBind: () => this.pickBind((bind) => bind.canRequest),
      count: (name) => this.count(name),
    };
    return querySm(ctx, request);
  }

  // ---- time and shutdown ----

  private onSweep(): void {
    const now = this.clock.now();
    for (const bind of this.binds) bind.tick(now);
    for (const message of this.reassembler.expire(now)) this.inbound.deliverLoose(message);
    if (this.queue.ready > 0 && !this.senders.some((bind) => bind.state === 'bound')) {
      const expired = this.queue.removeReady((job) => now - job.queuedAt >= this.config.queueTimeoutMs);
      for (const job of expired) this.failRest(job, smppError('SMPP_NOT_BOUND', `no bind up for ${this.config.queueTimeoutMs} ms`, { connector: this.id }));
    }
    if (this.queue.hasPaused || this.drained !== undefined) this.pump();
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.senders.every((bind) => bind.window.size === 0);
  }

  private failRest(job: SendJob, error: CodedError): void {
    while (job.cursor < job.parts.length) {
      this.count('submitFailed');
      job.outcomes.push({ seq: (job.parts[job.cursor] as PreparedPart).partNo, status: 'failed', error });
      job.cursor += 1;
    }
    job.resolve({ connectorId: this.id, parts: job.outcomes });
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    if (this.started && !this.idle() && this.senders.some((bind) => bind.state === 'bound')) {
      // Resolved by `pump` once the last part in flight settles, or at the latest after every one timed out.
      await new Promise<void>((resolve) => {
        const cancel = this.clock.schedule(this.config.submitTimeoutMs + SWEEP_MS * 2, resolve);
        this.drained = () => {
          cancel();
          resolve();
        };
      });
      this.drained = undefined;
    }
    const closedError = smppError('SMPP_CLOSED', undefined, { connector: this.id });
    for (const job of this.queue.clear()) this.failRest(job, closedError);
    for (const cancel of this.reconnectTimers.values()) cancel();
    this.reconnectTimers.clear();
    const now = this.clock.now();
    await Promise.all(this.binds.map((bind) => bind.close(now)));
    this.cancelSweep?.();
    this.cancelSweep = undefined;
    for (const message of this.reassembler.drain()) this.inbound.deliverLoose(message);
  }

  private count(name: CounterName): void {
    this.counters.count(name);
  }
}
