import { EventEmitter } from 'node:events';
import { isCodedError, RecentMap, type CodedError } from '../../common/index.ts';
import { Reassembler, normalizeMessageId, type ReassembledMessage } from '../codec/index.ts';
import { MAX_MESSAGE_ID, STATUS, commandStatus, decodeQueryAnswer, encodeQuerySm } from '../smpp-protocol/index.ts';
import type {
  Driver,
  DriverEvents,
  DriverHealth,
  DriverSink,
  InboundMessage,
  LinkHealth,
  PartOutcome,
  QueryOutcome,
  QueryRequest,
  Receipt,
  SendRequest,
  SendResult,
} from '../transport/index.ts';
import { reconnectDelay } from './backoff.ts';
import { BindSession, type BindOwner, type BindRole, type PendingRequest } from './bind-session.ts';
import { parseSmppConfig, type SmppConfig } from './config.ts';
import { smppAddress, type SmppAddress } from './addressing.ts';
import { smppError, submitStatusError } from './errors.ts';
import { Fifo } from './fifo.ts';
import { decodeDelivery, inboundMessage, receiptOf, type DecodedDelivery } from './delivery.ts';
import { AdaptiveRate } from './adaptive-rate.ts';
import { judgeQueryAnswer } from './query-judge.ts';
import { prepareSubmits, type PreparedPart } from './submit-pdus.ts';

/** One message on its way: its parts go out one after the other, so a retried part never falls behind a later one. */
interface SendJob {
  readonly request: SendRequest;
  readonly parts: readonly PreparedPart[];
  cursor: number;
  readonly outcomes: PartOutcome[];
  readonly resolve: (result: SendResult) => void;
  queuedAt: number;
  readyAt: number;
  sentAt: number;
  throttleRetries: number;
  resent: boolean;
}

const SWEEP_MS = 50;

/**
 * An SMPP connector: a pool of binds to one SMSC account behind the transport `Driver` interface.
 * Parts wait in one queue; a part leaves when the shared token bucket gives a token and a bound bind
 * (round-robin) has room in its window. Timeouts, enquire_link and inbound deadlines are checked by one
 * periodic sweep, never by a timer per PDU.
 */
export class SmppConnector extends EventEmitter implements Driver {
  readonly kind = 'smpp' as const;
  readonly id: string;
  readonly config: SmppConfig;

  private readonly binds: BindSession<SendJob>[] = [];
  private readonly senders: BindSession<SendJob>[] = [];
  private roundRobin = 0;
  private readonly queue = new Fifo<SendJob>();
  private readonly delayed: SendJob[] = [];
  private readonly rate: AdaptiveRate;
  private readonly reassembler: Reassembler;
  /** Normalized id -> the id exactly as submit_sm_resp gave it (receipt matching, and query_sm sends it back). */
  private readonly knownIds: RecentMap<string, string>;
  private readonly reconnectTimers = new Map<BindSession<SendJob>, NodeJS.Timeout>();
  private readonly counters: Record<string, number> = {
    submit_ok: 0,
    submit_failed: 0,
    submit_unknown: 0,
    submit_resent: 0,
    throttled: 0,
    receipts: 0,
    receipts_unmatched: 0,
    inbound: 0,
    inbound_parts: 0,
    inbound_incomplete: 0,
    sink_failures: 0,
    binds_up: 0,
    bind_attempts_failed: 0,
    reconnects: 0,
    queries: 0,
    queries_failed: 0,
  };
  private sink: DriverSink | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private pumpTimer: NodeJS.Timeout | undefined;
  private pumpAt = 0;
  private started = false;
  private closing = false;
  private closed: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private readonly sweep = (): void => this.onSweep();
  /** What the binds call back: kept off the public surface of the connector. */
  private readonly owner: BindOwner<SendJob> = {
    bound: (bind) => this.onBound(bind),
    down: (bind, reason, wasBound, lost) => this.onDown(bind, reason, wasBound, lost),
    submitAnswered: (bind, job, status, messageId) => this.onSubmitAnswered(bind, job, status, messageId),
    submitTimedOut: (bind, job) => this.onSubmitTimedOut(bind, job),
    delivery: (bind, generation, frame) => this.onDelivery(bind, generation, frame),
  };
  /** Present when `querySm` is on; see `Driver.query`. */
  readonly query?: (request: QueryRequest) => Promise<QueryOutcome>;
  private readonly pumpLater = (): void => {
    this.pumpTimer = undefined;
    this.pump();
  };

  constructor(config: unknown) {
    super();
    this.config = parseSmppConfig(config);
    this.knownIds = new RecentMap(Math.max(1, this.config.receiptIdMemory));
    this.id = this.config.id;
    this.rate = new AdaptiveRate(this.config.maxTps, this.config.throttle, Date.now());
    this.reassembler = new Reassembler({ timeoutMs: this.config.inbound.reassemblyTimeoutMs });
    if (this.config.querySm) this.query = (request) => this.querySm(request);
    const roles: [BindRole, string][] = [];
    for (let i = 1; i <= this.config.binds; i++) {
      if (this.config.bindMode === 'transceiver') {
        roles.push(['transceiver', `${this.id}#${i}`]);
      } else {
        roles.push(['transmitter', `${this.id}#tx${i}`], ['receiver', `${this.id}#rx${i}`]);
      }
    }
    for (const [role, linkId] of roles) {
      const bind = new BindSession<SendJob>(linkId, role, this.config, this.owner);
      this.binds.push(bind);
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
      this.count('listener_errors');
    }
  }

  start(sink: DriverSink): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    this.sink = sink;
    const now = Date.now();
    for (const bind of this.binds) bind.open(now);
    this.sweepTimer = setInterval(this.sweep, SWEEP_MS);
    this.sweepTimer.unref();
    return Promise.resolve();
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
      const now = Date.now();
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
    const links: LinkHealth[] = this.binds.map((bind) => ({
      id: bind.id,
      up: bind.state === 'bound',
      detail: {
        role: bind.role,
        state: bind.state,
        window: bind.window.size,
        pendingInbound: bind.pendingInbound,
        readingPaused: bind.paused,
        failedAttempts: bind.failedAttempts,
        lastError: bind.lastError?.code ?? null,
        lastErrorMessage: bind.lastError?.message ?? null,
      },
    }));
    return {
      connectorId: this.id,
      kind: 'smpp',
      up: this.senders.some((bind) => bind.state === 'bound'),
      links,
      counters: {
        ...this.counters,
        rate: Number.isFinite(this.rate.rate) ? this.rate.rate : 0,
        queued: this.queue.length + this.delayed.length,
        reassembly_pending: this.reassembler.pending,
      },
    };
  }

  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  // ---- sending ----

  private pump(): void {
    const now = Date.now();
    if (this.delayed.length > 0) this.releaseDelayed(now);
    while (this.queue.length > 0) {
      const bind = this.pickBind();
      if (bind === undefined) return;
      const wait = this.rate.take(now);
      if (wait > 0) {
        this.schedulePump(wait);
        return;
      }
      const job = this.queue.shift() as SendJob;
      const part = job.parts[job.cursor] as PreparedPart;
      bind.submit(job, part.pdu, now);
    }
  }

  private releaseDelayed(now: number): void {
    let ready = 0;
    while (ready < this.delayed.length && (this.delayed[ready] as SendJob).readyAt <= now) ready += 1;
    if (ready > 0) {
      // Retried parts go first, in the order they were throttled.
      for (const job of this.delayed.splice(0, ready).reverse()) this.queue.unshift(job);
    }
    const next = this.delayed[0];
    if (next !== undefined) this.schedulePump(next.readyAt - now);
  }

  /** One pump timer, always for the earliest moment something may leave (a token, a throttle pause ending). */
  private schedulePump(ms: number): void {
    const at = Date.now() + Math.max(1, ms);
    if (this.pumpTimer !== undefined) {
      if (this.pumpAt <= at) return;
      clearTimeout(this.pumpTimer);
    }
    this.pumpAt = at;
    this.pumpTimer = setTimeout(this.pumpLater, Math.max(1, ms));
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
      job.queuedAt = Date.now();
      // The next part of a message already under way goes before messages not yet started.
      this.queue.unshift(job);
    } else {
      job.resolve({ connectorId: this.id, parts: job.outcomes });
    }
  }

  private unknownOutcome(job: SendJob, error: CodedError): void {
    if (this.config.unknownOutcome === 'resend-once' && !job.resent && !this.closing) {
      job.resent = true;
      this.counters.submit_resent = (this.counters.submit_resent ?? 0) + 1;
      this.queue.unshift(job);
      return;
    }
    this.count('submit_unknown');
    this.settlePart(job, { seq: (job.parts[job.cursor] as PreparedPart).partNo, status: 'unknown', error });
  }

  // ---- what the binds report ----

  private onBound(bind: BindSession<SendJob>): void {
    this.count('binds_up');
    this.emitEvent('up', bind.id);
    this.pump();
  }

  private onDown(bind: BindSession<SendJob>, reason: CodedError, wasBound: boolean, lost: SendJob[]): void {
    if (wasBound) this.counters.binds_up = Math.max(0, (this.counters.binds_up ?? 0) - 1);
    else this.count('bind_attempts_failed');
    this.emitEvent('down', bind.id, `${reason.code}: ${reason.message}`);
    const lostError = smppError('SMPP_CONNECTION_LOST', `${reason.code} on ${bind.id}`, {
      bind: bind.id,
      reason: reason.code,
    });
    for (const job of lost) this.unknownOutcome(job, lostError);
    if (!this.closing) {
      this.count('reconnects');
      const delay = reconnectDelay(this.config.reconnect, Math.max(0, bind.failedAttempts - 1));
      const timer = setTimeout(() => {
        this.reconnectTimers.delete(bind);
        if (!this.closing) bind.open(Date.now());
      }, wasBound ? Math.min(delay, this.config.reconnect.initialMs) : delay);
      this.reconnectTimers.set(bind, timer);
    }
    this.pump();
  }

  private onSubmitAnswered(bind: BindSession<SendJob>, job: SendJob, status: number, messageId: string): void {
    const partNo = (job.parts[job.cursor] as PreparedPart).partNo;
    if (status === STATUS.ESME_ROK && messageId.trim() === '') {
      // The SMSC took the part but named it nothing: no receipt or query can find it, and a resend would duplicate it.
      this.count('submit_unknown');
      this.count('submit_empty_id');
      const error = smppError('SMPP_EMPTY_MESSAGE_ID', `on ${bind.id}`, { bind: bind.id, part: partNo });
      this.settlePart(job, { seq: partNo, status: 'unknown', error });
    } else if (status === STATUS.ESME_ROK) {
      const carrierMessageId = this.remember(messageId);
      this.count('submit_ok');
      this.settlePart(job, { seq: partNo, status: 'submitted', carrierMessageId, via: bind.id });
    } else if (status === STATUS.ESME_RTHROTTLED || status === STATUS.ESME_RMSGQFUL) {
      this.count('throttled');
      this.count(`submit_status_${commandStatus(status).name}`);
      const now = Date.now();
      const rate = this.rate.throttled(now);
      if (rate !== undefined) this.emitEvent('throttled', rate);
      if (job.throttleRetries >= this.config.throttle.maxRetries) {
        this.count('submit_failed');
        const error = submitStatusError(status, { bind: bind.id, part: partNo, retries: job.throttleRetries });
        this.settlePart(job, { seq: partNo, status: 'failed', error: smppError('SMPP_THROTTLED', error.message, error.details), raw: { commandStatus: status } });
      } else {
        job.throttleRetries += 1;
        job.readyAt = now + this.config.throttle.pauseMs;
        this.delayed.push(job);
        this.schedulePump(this.config.throttle.pauseMs);
      }
    } else {
      this.count('submit_failed');
      this.count(`submit_status_${commandStatus(status).name}`);
      this.settlePart(job, { seq: partNo, status: 'failed', error: submitStatusError(status, { bind: bind.id, part: partNo }), raw: { commandStatus: status } });
    }
    this.pump();
  }

  private onSubmitTimedOut(bind: BindSession<SendJob>, job: SendJob): void {
    this.unknownOutcome(
      job,
      smppError('SMPP_SUBMIT_TIMEOUT', `after ${this.config.submitTimeoutMs} ms on ${bind.id}`, {
        bind: bind.id,
        timeoutMs: this.config.submitTimeoutMs,
      }),
    );
    this.pump();
  }

  private onDelivery(bind: BindSession<SendJob>, generation: number, frame: Buffer): void {
    const seq = frame.readUInt32BE(12);
    let decoded: DecodedDelivery;
    try {
      decoded = decodeDelivery(frame);
    } catch {
      // Malformed beyond reading: a retry of the same octets cannot succeed.
      this.count('inbound_malformed');
      bind.answerDelivery(generation, seq, STATUS.ESME_RX_P_APPN);
      return;
    }
    const now = new Date();
    if (decoded.kind === 'receipt') {
      const receipt = receiptOf(decoded, this.id, this.knownIds, now);
      if (receipt === undefined) {
        this.count('receipts_unmatched');
        bind.answerDelivery(generation, seq, STATUS.ESME_RX_P_APPN);
        return;
      }
      this.count('receipts');
      this.emitEvent('receipt', receipt);
      this.hand(this.toSink('receipt', receipt), bind, generation, seq);
      return;
    }
    this.count('inbound_parts');
    const result = this.reassembler.add(decoded.part, now.getTime());
    for (const evicted of result.evicted) this.deliverLoose(evicted);
    if (result.message === undefined) {
      // A part held for reassembly is acknowledged now; the whole message waits for its last part's answer.
      bind.answerDelivery(generation, seq, STATUS.ESME_ROK);
      return;
    }
    const message = inboundMessage(this.id, result.message, now);
    this.count('inbound');
    this.emitEvent('inbound', message);
    this.hand(this.toSink('inbound', message), bind, generation, seq);
  }

  // ---- receiving ----

  private hand(promise: Promise<void>, bind: BindSession<SendJob>, generation: number, seq: number): void {
    promise.then(
      () => bind.answerDelivery(generation, seq, STATUS.ESME_ROK),
      () => {
        this.count('sink_failures');
        bind.answerDelivery(generation, seq, STATUS.ESME_RX_T_APPN);
      },
    );
  }

  /** The sink's promise; a sink that throws instead of rejecting is treated alike, never as a broken PDU. */
  private toSink(kind: 'receipt', value: Receipt): Promise<void>;
  private toSink(kind: 'inbound', value: InboundMessage): Promise<void>;
  private toSink(kind: 'receipt' | 'inbound', value: Receipt | InboundMessage): Promise<void> {
    const sink = this.sink;
    if (sink === undefined) return Promise.resolve();
    try {
      return kind === 'receipt' ? sink.receipt(value as Receipt) : sink.inbound(value as InboundMessage);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private deliverLoose(message: ReassembledMessage): void {
    const inbound = inboundMessage(this.id, message, new Date());
    this.count('inbound');
    this.count('inbound_incomplete');
    this.emitEvent('inbound', inbound);
    this.toSink('inbound', inbound).catch(() => this.count('sink_failures'));
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

  /**
   * One query_sm on a bound transmitter or transceiver (round-robin), taking a token of the shared rate like a
   * submit but no room in the submit window. The id goes out exactly as submit_sm_resp gave it while the connector
   * remembers it (`receiptIdMemory`), else in its normalized form (hex lowercased, leading zeros dropped).
   */
  private async querySm(request: QueryRequest): Promise<QueryOutcome> {
    const details = { connector: this.id, carrierMessageId: request.carrierMessageId };
    this.count('queries');
    const failed = (error: CodedError): QueryOutcome => {
      this.count('queries_failed');
      return { status: 'failed', error };
    };
    if (this.closing) return failed(smppError('SMPP_CLOSED', undefined, details));
    if (!this.started) return failed(smppError('SMPP_NOT_BOUND', 'connector not started', details));
    const messageId = this.knownIds.get(normalizeMessageId(request.carrierMessageId)) ?? request.carrierMessageId.trim();
    if (messageId === '' || messageId.length > MAX_MESSAGE_ID || !/^[\x20-\x7e]+$/.test(messageId)) {
      return failed(smppError('SMPP_INVALID_REQUEST', 'carrierMessageId cannot be a query_sm message_id', { ...details, field: 'carrierMessageId' }));
    }
    let source: SmppAddress;
    try {
      source = smppAddress(request.from, this.config.addressing, 'from');
    } catch (error) {
      return failed(isCodedError(error) ? error : smppError('SMPP_INVALID_ADDRESS', String(error), { ...details, field: 'from' }));
    }
    const deadline = Date.now() + this.config.submitTimeoutMs;
    for (;;) {
      if (this.closing) return failed(smppError('SMPP_CLOSED', undefined, details));
      if (!this.senders.some((b) => b.canRequest)) return failed(smppError('SMPP_NOT_BOUND', 'no bind up for query_sm', details));
      const now = Date.now();
      const wait = this.rate.take(now);
      if (wait === 0) break;
      if (now + wait > deadline) return failed(smppError('SMPP_QUERY_TIMEOUT', 'no rate token in time', { ...details, timeoutMs: this.config.submitTimeoutMs }));
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const bind = this.pickBind((bind) => bind.canRequest) as BindSession<SendJob>;
    const outcome = await new Promise<QueryOutcome>((resolve) => {
      const pending: PendingRequest = {
        sentAt: 0,
        answered: (frame) => {
          try {
            resolve(judgeQueryAnswer(decodeQueryAnswer(frame), request.carrierMessageId, { ...details, bind: bind.id, messageId }));
          } catch (error) {
            resolve({ status: 'failed', error: isCodedError(error) ? error : smppError('SMPP_PROTOCOL', String(error), { ...details, bind: bind.id }) });
          }
        },
        timedOut: () =>
          resolve({
            status: 'failed',
            error: smppError('SMPP_QUERY_TIMEOUT', `after ${this.config.submitTimeoutMs} ms on ${bind.id}`, { ...details, bind: bind.id, timeoutMs: this.config.submitTimeoutMs }),
          }),
        lost: (reason) =>
          resolve({
            status: 'failed',
            error: smppError('SMPP_CONNECTION_LOST', `${reason.code} on ${bind.id}`, { ...details, bind: bind.id, reason: reason.code }),
          }),
      };
      bind.request(pending, encodeQuerySm({ messageId, sourceTon: source.ton, sourceNpi: source.npi, sourceAddr: source.addr }), Date.now());
    });
    if (outcome.status === 'failed') this.count('queries_failed');
    return outcome;
  }

  // ---- time and shutdown ----

  private onSweep(): void {
    const now = Date.now();
    for (const bind of this.binds) bind.tick(now);
    for (const message of this.reassembler.expire(now)) this.deliverLoose(message);
    if (this.queue.length > 0 && !this.senders.some((bind) => bind.state === 'bound')) {
      const expired = this.queue.removeWhere((job) => now - job.queuedAt >= this.config.queueTimeoutMs);
      for (const job of expired) this.failRest(job, smppError('SMPP_NOT_BOUND', `no bind up for ${this.config.queueTimeoutMs} ms`, { connector: this.id }));
    }
    if (this.delayed.length > 0) this.pump();
    if (this.drained !== undefined && this.idle()) this.drained();
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.delayed.length === 0 && this.senders.every((bind) => bind.window.size === 0);
  }

  private failRest(job: SendJob, error: CodedError): void {
    while (job.cursor < job.parts.length) {
      this.count('submit_failed');
      job.outcomes.push({ seq: (job.parts[job.cursor] as PreparedPart).partNo, status: 'failed', error });
      job.cursor += 1;
    }
    job.resolve({ connectorId: this.id, parts: job.outcomes });
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    if (this.started && !this.idle() && this.senders.some((bind) => bind.state === 'bound')) {
      await new Promise<void>((resolve) => {
        const limit = setTimeout(resolve, this.config.submitTimeoutMs + SWEEP_MS * 2);
        this.drained = () => {
          clearTimeout(limit);
          resolve();
        };
      });
      this.drained = undefined;
    }
    const closedError = smppError('SMPP_CLOSED', undefined, { connector: this.id });
    for (const job of [...this.delayed.splice(0), ...this.queue.removeWhere(() => true)]) this.failRest(job, closedError);
    for (const timer of this.reconnectTimers.values()) clearTimeout(timer);
    this.reconnectTimers.clear();
    if (this.pumpTimer !== undefined) clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    const now = Date.now();
    await Promise.all(this.binds.map((bind) => bind.close(now)));
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const message of this.reassembler.drain()) this.deliverLoose(message);
  }

  private count(name: string): void {
    this.counters[name] = (this.counters[name] ?? 0) + 1;
  }
}
