/**
 * A strict in-memory driver for tests of the gateway and the API whose subject is not a carrier's wire: no sockets,
 * no timers of its own. It answers only the traffic the test scripted (`expectSend`, `answerEverySend`,
 * `expectQuery`); anything else (a send nobody scripted, a send while every link is down, traffic before start or
 * after close) rejects and is kept as a violation, which `assertIdle()` reports beside any script left unused and
 * any receipt still on its way. Receipts and inbound messages are stamped with the injected clock.
 */
import { EventEmitter } from 'node:events';
import { isFinalState, RECEIPT_STATE_TO_STAT } from '../codec/index.ts';
import type {
  Driver,
  DriverEvents,
  DriverHealth,
  DriverSink,
  InboundMessage,
  PartOutcome,
  QueryOutcome,
  QueryRequest,
  Receipt,
  ReceiptState,
  SendRequest,
  SendResult,
  TransportKind,
} from '../transport/index.ts';
import { loopbackError, type LoopbackError, type LoopbackErrorCode } from './errors.ts';
import type { PartAnswer, QueryScript, ReceiptScript, SendScript } from './script.ts';

export interface LoopbackOptions {
  readonly id?: string;
  /** What health() reports; the gateway treats both kinds alike. Default 'smpp'. */
  readonly kind?: TransportKind;
  /** The link that comes up on start (unless `upOnStart` is false) and that `up()`/`down()` name by default. */
  readonly link?: string;
  /** Default true: the link is up once start() resolves, as a bind that comes up at once. */
  readonly upOnStart?: boolean;
  /** Offer `query` (SMPP query_sm); each query must be scripted with `expectQuery`. Default false. */
  readonly query?: boolean;
  /** Clock for the times the driver stamps (receipt and inbound `receivedAt`). Default Date.now. */
  readonly now?: () => number;
}

/** What is still open; `assertIdle()` wants every count at zero. */
export interface LoopbackPending {
  /** Sends scripted with `expectSend` that no send has used yet. */
  readonly scriptedSends: number;
  readonly scriptedQueries: number;
  /** Sends taken and not yet answered (a `before` hook still running). */
  readonly inFlightSends: number;
  /** Receipts and inbound messages handed to the sink that it has not settled. */
  readonly inFlightDeliveries: number;
}

export class LoopbackDriver implements Driver {
  readonly id: string;
  readonly kind: TransportKind;
  readonly query?: (request: QueryRequest) => Promise<QueryOutcome>;

  private readonly emitter = new EventEmitter();
  private readonly now: () => number;
  private readonly defaultLink: string;
  private readonly upOnStart: boolean;
  private readonly links = new Set<string>();
  private readonly sendScripts: SendScript[] = [];
  private readonly queryScripts: QueryScript[] = [];
  private standing: SendScript | undefined;
  private sink: DriverSink | undefined;
  private closed = false;
  private nextCarrierId = 1;
  private readonly sendsInFlight = new Set<Promise<unknown>>();
  private readonly deliveriesInFlight = new Set<Promise<unknown>>();
  private readonly sentLog: SendRequest[] = [];
  private readonly queryLog: QueryRequest[] = [];
  private readonly violationLog: LoopbackError[] = [];
  private readonly refused: { readonly what: string; readonly error: unknown }[] = [];
  private readonly sendWaiters: { readonly count: number; readonly resolve: (sent: readonly SendRequest[]) => void }[] = [];

  constructor(options: LoopbackOptions = {}) {
    this.id = options.id ?? 'loopback';
    this.kind = options.kind ?? 'smpp';
    this.now = options.now ?? Date.now;
    this.defaultLink = options.link ?? `${this.id}/1`;
    this.upOnStart = options.upOnStart ?? true;
    if (options.query === true) this.query = (request) => this.answerQuery(request);
  }

  // --- the test's side -------------------------------------------------------------------------------------------

  /** The next send is answered by `script` (sends use scripts in the order they were given). */
  expectSend(script: SendScript = {}): this {
    this.sendScripts.push(script);
    return this;
  }

  /** Every send with no `expectSend` script left is answered by `script`; `undefined` makes such sends violations again. */
  answerEverySend(script: SendScript | undefined = {}): this {
    this.standing = script;
    return this;
  }

  expectQuery(script: QueryScript): this {
    this.queryScripts.push(script);
    return this;
  }

  up(link = this.defaultLink): void {
    this.links.add(link);
    this.emitter.emit('up', link);
  }

  down(link = this.defaultLink, reason = 'loopback: link taken down by the test'): void {
    this.links.delete(link);
    this.emitter.emit('down', link, reason);
  }

  /** Hands a receipt to the sink now, as the carrier would; resolves or rejects as the sink answered. */
  receipt(carrierMessageId: string, script: ReceiptState | ReceiptScript): Promise<void> {
    const sink = this.sinkFor('receipt');
    return this.track(this.deliveriesInFlight, sink.receipt(this.receiptFor(carrierMessageId, script)));
  }

  /** Hands an inbound message to the sink now; defaults: GSM 7-bit, one complete part, received now. */
  inbound(message: Pick<InboundMessage, 'from' | 'to' | 'text'> & Partial<InboundMessage>): Promise<void> {
    const sink = this.sinkFor('inbound message');
    return this.track(this.deliveriesInFlight, sink.inbound({ connectorId: this.id, encoding: 'gsm7', parts: 1, complete: true, receivedAt: new Date(this.now()), ...message }));
  }

  /** Every send the driver took, in order (violations included). */
  sent(): readonly SendRequest[] {
    return this.sentLog;
  }

  /** Resolves once the driver has taken `count` sends in all (an awaited event, instead of polling `sent()`). */
  whenSent(count = 1): Promise<readonly SendRequest[]> {
    if (this.sentLog.length >= count) return Promise.resolve(this.sentLog);
    return new Promise((resolve) => this.sendWaiters.push({ count, resolve }));
  }

  queries(): readonly QueryRequest[] {
    return this.queryLog;
  }

  violations(): readonly LoopbackError[] {
    return this.violationLog;
  }

  /** Scripted receipts the sink refused (the gateway asks the carrier to try again); not a violation. */
  refusedDeliveries(): readonly { readonly what: string; readonly error: unknown }[] {
    return this.refused;
  }

  pending(): LoopbackPending {
    return {
      scriptedSends: this.sendScripts.length,
      scriptedQueries: this.queryScripts.length,
      inFlightSends: this.sendsInFlight.size,
      inFlightDeliveries: this.deliveriesInFlight.size,
    };
  }

  /** Resolves once no send is being answered and the sink has settled every receipt and inbound message handed to it. */
  async settled(): Promise<void> {
    while (this.sendsInFlight.size + this.deliveriesInFlight.size > 0) await Promise.allSettled([...this.sendsInFlight, ...this.deliveriesInFlight]);
  }

  /** Throws LOOPBACK_NOT_IDLE naming every violation and everything still pending. */
  assertIdle(): void {
    const pending = this.pending();
    const open = Object.entries(pending).filter(([, count]) => count > 0);
    if (this.violationLog.length === 0 && open.length === 0) return;
    const said = [...this.violationLog.map((error) => `${error.code}: ${error.message}`), ...open.map(([what, count]) => `${what}: ${count}`)];
    throw loopbackError('LOOPBACK_NOT_IDLE', `${this.id}: ${said.join('; ')}`, { violations: this.violationLog.map((error) => error.code), pending });
  }

  // --- the gateway's side (Driver) -------------------------------------------------------------------------------

  start(sink: DriverSink): Promise<void> {
    if (this.closed) return Promise.reject(this.violation('LOOPBACK_CLOSED', 'start() after close()'));
    this.sink = sink;
    if (this.upOnStart) this.up();
    return Promise.resolve();
  }

  send(request: SendRequest): Promise<SendResult> {
    this.sentLog.push(request);
    for (const waiter of this.sendWaiters.filter((w) => this.sentLog.length >= w.count)) {
      this.sendWaiters.splice(this.sendWaiters.indexOf(waiter), 1);
      waiter.resolve(this.sentLog);
    }
    const refusal = this.refusal(request);
    if (refusal !== undefined) return Promise.reject(refusal);
    const script = this.sendScripts.shift() ?? this.standing;
    if (script === undefined) return Promise.reject(this.violation('LOOPBACK_UNEXPECTED_SEND', `message ${request.messageId} to ${request.to}`));
    return this.track(this.sendsInFlight, this.answer(request, script));
  }

  health(): DriverHealth {
    return {
      connectorId: this.id,
      kind: this.kind,
      up: this.links.size > 0,
      links: [...this.links].map((id) => ({ id, up: true, detail: {} })),
      counters: { sent: this.sentLog.length, queried: this.queryLog.length, violations: this.violationLog.length },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.settled();
    for (const link of [...this.links]) this.down(link, 'loopback: closed');
  }

  on<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    this.emitter.on(event, listener);
    return this;
  }

  off<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    this.emitter.off(event, listener);
    return this;
  }

  // --- inside ----------------------------------------------------------------------------------------------------

  private refusal(request: SendRequest): LoopbackError | undefined {
    if (this.closed) return this.violation('LOOPBACK_CLOSED', `send of message ${request.messageId}`);
    if (this.sink === undefined) return this.violation('LOOPBACK_NOT_STARTED', `send of message ${request.messageId}`);
    if (this.links.size === 0) return this.violation('LOOPBACK_LINK_DOWN', `send of message ${request.messageId}`);
    return undefined;
  }

  private async answer(request: SendRequest, script: SendScript): Promise<SendResult> {
    await script.before?.(request);
    const seqs = request.onlyParts ?? request.encoded.parts.map((part) => part.seq);
    const parts = seqs.map((seq) => this.outcome(seq, request, script));
    const receipt = script.receipt;
    if (receipt !== undefined) {
      // After the answer, as an SMSC sends deliver_sm after submit_sm_resp (the gateway holds one that overtakes).
      const ids = parts.flatMap((part) => (part.status === 'submitted' ? [part.carrierMessageId] : []));
      const afterAnswer = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        for (const id of ids) this.deliverScripted(id, receipt);
      });
      void this.track(this.deliveriesInFlight, afterAnswer);
    }
    return { connectorId: this.id, parts };
  }

  private outcome(seq: number, request: SendRequest, script: SendScript): PartOutcome {
    const answer: PartAnswer = typeof script.answer === 'function' ? script.answer(seq, request) : (script.answer ?? { status: 'submitted' });
    if (answer.status !== 'submitted') return { seq, ...answer };
    const via = [...this.links][0] ?? this.defaultLink;
    return { seq, status: 'submitted', carrierMessageId: answer.carrierMessageId ?? `${this.id}-${this.nextCarrierId++}`, via };
  }

  private deliverScripted(carrierMessageId: string, script: ReceiptState | ReceiptScript): void {
    if (this.sink === undefined) return;
    const delivery = this.track(this.deliveriesInFlight, this.sink.receipt(this.receiptFor(carrierMessageId, script)));
    delivery.catch((error: unknown) => this.refused.push({ what: `receipt for ${carrierMessageId}`, error }));
  }

  private receiptFor(carrierMessageId: string, script: ReceiptState | ReceiptScript): Receipt {
    const { state, final, raw, doneAt } = typeof script === 'string' ? { state: script, final: undefined, raw: undefined, doneAt: undefined } : script;
    return {
      connectorId: this.id,
      carrierMessageId,
      state,
      final: final ?? isFinalState(state),
      raw: raw ?? { stat: RECEIPT_STATE_TO_STAT[state], err: '000' },
      ...(doneAt === undefined ? {} : { doneAt }),
      receivedAt: new Date(this.now()),
    };
  }

  private answerQuery(request: QueryRequest): Promise<QueryOutcome> {
    this.queryLog.push(request);
    if (this.closed) return Promise.reject(this.violation('LOOPBACK_CLOSED', `query of ${request.carrierMessageId}`));
    const script = this.queryScripts.shift();
    if (script === undefined) return Promise.reject(this.violation('LOOPBACK_UNEXPECTED_QUERY', `query of ${request.carrierMessageId}`));
    return Promise.resolve(typeof script === 'function' ? script(request) : script);
  }

  private sinkFor(what: string): DriverSink {
    if (this.closed) throw this.violation('LOOPBACK_CLOSED', `${what} after close()`);
    if (this.sink === undefined) throw this.violation('LOOPBACK_NOT_STARTED', `${what} before start()`);
    return this.sink;
  }

  private track<T>(set: Set<Promise<unknown>>, promise: Promise<T>): Promise<T> {
    set.add(promise);
    const forget = (): void => void set.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private violation(code: LoopbackErrorCode, detail: string): LoopbackError {
    const error = loopbackError(code, `${this.id}: ${detail}`);
    this.violationLog.push(error);
    return error;
  }
}
