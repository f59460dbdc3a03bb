/**
 * One simulated carrier: an SMPP 3.4 server on its own port (the `smpp` package's server), its accounts, its
 * current behaviour, the records of what it accepted, and the routing of deliver_sm (receipts, MO) to binds.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Behaviour } from './behaviour.ts';
import { applyBehaviourPatch } from './behaviour-schema.ts';
import { newCounters, type CarrierContext, type CarrierCounters, type DeliverTarget, type SmscAccount } from './carrier-context.ts';
import type { DeliverItem, DeliverOutcome } from './deliver-queue.ts';
import { DueQueue } from './due-queue.ts';
import { simError } from './errors.ts';
import { EsmeConnection, type BindInfo } from './esme-connection.ts';
import { MessageIdCounter } from './message-ids.ts';
import { MessageRecords, type RecordedMessage, type RecordFilter } from './message-records.ts';
import { buildMoParts, checkMoRequest } from './mo-messages.ts';
import { seededRandom } from './random.ts';
import { RateWindow } from './rate-window.ts';
import { scenarioBehaviour } from './scenarios.ts';
import { STATUS, knownStatusName } from '../../drivers/smpp-protocol/index.ts';
import { smpp, type SmppServer, type SmppSession } from './smpp-server.ts';

export interface SmscCarrierOptions {
  /** Carrier name (used in records and the control API). Default `smsc`. */
  readonly name?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** SMPP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** system_id in bind responses. Default `SMSC`. */
  readonly systemId?: string;
  /** Default one account `test` / `test` with 10 binds. */
  readonly accounts?: readonly SmscAccount[];
  /** Named behaviour to start from (default `happy`). */
  readonly scenario?: string;
  /** Patch over the scenario (same shape as `PATCH /behaviour`). */
  readonly behaviour?: unknown;
  /** Messages kept for inspection (oldest evicted first). Default 10,000. */
  readonly maxRecords?: number;
  /** How long a concatenated message waits for missing parts before it is recorded incomplete. Default 60 s. */
  readonly concatTimeoutMs?: number;
  /** Receipts kept per account while no receiver is bound. Default 100,000. */
  readonly maxPendingDeliveries?: number;
  /** First message id number. */
  readonly firstMessageId?: number;
}

export const DEFAULT_ACCOUNTS: readonly SmscAccount[] = [{ systemId: 'test', password: 'test', maxBinds: 10 }];

export interface CarrierCounts extends Omit<CarrierCounters, 'received' | 'sent' | 'submitStatuses'> {
  readonly received: Readonly<Record<string, number>>;
  readonly sent: Readonly<Record<string, number>>;
  readonly submitStatuses: Readonly<Record<string, number>>;
  readonly messagesRecorded: number;
  readonly concatPending: number;
  readonly deliveriesWaiting: number;
}

export interface MoPartResult {
  readonly seq: number;
  readonly status?: number;
  readonly statusName?: string;
  readonly failed?: 'timeout' | 'closed' | 'dropped';
}

export interface MoResult {
  readonly carrier: string;
  readonly parts: readonly MoPartResult[];
  /** True when every part was answered with ESME_ROK. */
  readonly acknowledged: boolean;
}

export class SmscCarrier implements CarrierContext {
  readonly name: string;
  readonly host: string;
  readonly systemId: string;
  behaviour: Behaviour;
  random: () => number;
  readonly scheduler = new DueQueue();
  readonly ids: MessageIdCounter;
  readonly records: MessageRecords;
  counters: CarrierCounters = newCounters();
  private readonly accounts: ReadonlyMap<string, SmscAccount>;
  private readonly connections = new Set<EsmeConnection>();
  private readonly accountThrottles = new Map<string, RateWindow>();
  private readonly waiting = new Map<string, DeliverItem[]>();
  private readonly rotation = new Map<string, number>();
  readonly maxPendingDeliveries: number;
  private readonly expiryTimer: NodeJS.Timeout;
  private nextConnectionId = 1;
  private moRef = 0;
  private closed = false;
  private server: SmppServer | undefined;
  port = 0;

  private constructor(options: SmscCarrierOptions) {
    this.name = options.name ?? 'smsc';
    this.host = options.host ?? '127.0.0.1';
    this.systemId = options.systemId ?? 'SMSC';
    const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
    this.accounts = new Map(accounts.map((a) => [a.systemId, a]));
    this.behaviour = scenarioBehaviour(options.scenario ?? 'happy', options.behaviour);
    this.random = seededRandom(this.behaviour.seed);
    this.ids = new MessageIdCounter(options.firstMessageId);
    this.records = new MessageRecords(this.name, options.maxRecords ?? 10_000, options.concatTimeoutMs ?? 60_000);
    this.maxPendingDeliveries = options.maxPendingDeliveries ?? 100_000;
    this.expiryTimer = setInterval(() => this.records.expire(Date.now()), 1000);
    this.expiryTimer.unref();
  }

  static async start(options: SmscCarrierOptions = {}): Promise<SmscCarrier> {
    const carrier = new SmscCarrier(options);
    await carrier.listen(options.port ?? 0);
    return carrier;
  }

  private async listen(port: number): Promise<void> {
    const server = smpp.createServer({}, (session: SmppSession) => this.accept(session));
    this.server = server;
    server.listen(port, this.host);
    try {
      await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
    } catch (error: unknown) {
      clearInterval(this.expiryTimer);
      this.scheduler.close();
      throw simError('SIM_LISTEN_FAILED', `${this.host}:${port}: ${error instanceof Error ? error.message : String(error)}`, { field: 'port', value: port }, { cause: error });
    }
    this.port = (server.address() as AddressInfo).port;
  }

  private accept(session: SmppSession): void {
    if (this.closed) {
      session.destroy();
      return;
    }
    const connection = new EsmeConnection(this.nextConnectionId++, this, session);
    this.connections.add(connection);
    session.socket.once('close', () => this.connections.delete(connection));
  }

  // --- CarrierContext -------------------------------------------------------------------------------------

  authorize(systemId: string, password: string): number {
    const account = this.accounts.get(systemId);
    if (account === undefined || account.password !== password) return STATUS.ESME_RBINDFAIL;
    let binds = 0;
    for (const c of this.connections) if (c.systemId === systemId && c.mode !== undefined) binds++;
    return binds >= account.maxBinds ? STATUS.ESME_RBINDFAIL : 0;
  }

  accountThrottle(systemId: string): RateWindow | undefined {
    const throttle = this.behaviour.throttle;
    if (throttle === null) return undefined;
    let window = this.accountThrottles.get(systemId);
    if (window === undefined || window.limit !== throttle.tps) {
      window = new RateWindow(throttle.tps);
      this.accountThrottles.set(systemId, window);
    }
    return window;
  }

  routeDeliver(systemId: string, item: DeliverItem, preferred?: DeliverTarget): void {
    if (this.closed) {
      item.done?.({ failed: 'closed' });
      return;
    }
    const target = this.receiverFor(systemId, preferred);
    if (target !== undefined) {
      target.deliver(item);
      return;
    }
    if (item.kind === 'mo') {
      item.done?.({ failed: 'closed' });
      return;
    }
    let queue = this.waiting.get(systemId);
    if (queue === undefined) {
      queue = [];
      this.waiting.set(systemId, queue);
    }
    if (queue.length >= this.maxPendingDeliveries) {
      queue.shift();
      this.counters.pendingOverflow++;
    }
    queue.push(item);
  }

  receiverReady(target: DeliverTarget): void {
    if (target.systemId === undefined) return;
    const queue = this.waiting.get(target.systemId);
    if (queue === undefined) return;
    this.waiting.delete(target.systemId);
    for (const item of queue) target.deliver(item);
  }

  connectionClosed(target: DeliverTarget, undelivered: readonly DeliverItem[]): void {
    if (target.systemId === undefined) return;
    for (const item of undelivered) this.routeDeliver(target.systemId, item);
  }

  private receiverFor(systemId: string | undefined, preferred?: DeliverTarget): DeliverTarget | undefined {
    if (preferred !== undefined && preferred.open && preferred.mode === 'transceiver' && preferred.systemId === systemId) return preferred;
    const candidates: EsmeConnection[] = [];
    for (const c of this.connections) {
      if (c.open && (c.mode === 'receiver' || c.mode === 'transceiver') && (systemId === undefined || c.systemId === systemId)) candidates.push(c);
    }
    if (candidates.length === 0) return undefined;
    const key = systemId ?? '';
    const turn = this.rotation.get(key) ?? 0;
    this.rotation.set(key, turn + 1);
    return candidates[turn % candidates.length];
  }

  // --- Control --------------------------------------------------------------------------------------------

  /** Replaces the behaviour with a named scenario (plus an optional patch). */
  useScenario(name: string, patch?: unknown): Behaviour {
    return this.setBehaviour(scenarioBehaviour(name, patch));
  }

  /** Applies a partial behaviour over the current one. */
  patchBehaviour(patch: unknown): Behaviour {
    return this.setBehaviour(applyBehaviourPatch(this.behaviour, patch));
  }

  private setBehaviour(behaviour: Behaviour): Behaviour {
    if (behaviour.seed !== this.behaviour.seed) this.random = seededRandom(behaviour.seed);
    this.behaviour = behaviour;
    this.accountThrottles.clear();
    for (const c of this.connections) c.behaviourChanged();
    return behaviour;
  }

  /** Sends one enquire_link to every bind now. Returns how many were sent. */
  enquireLinkAll(): number {
    let sent = 0;
    for (const c of this.connections) if (c.sendEnquireLink()) sent++;
    return sent;
  }

  /** Sends unbind to every bind (an SMSC-initiated unbind). Returns how many were sent. */
  unbindAll(): number {
    let sent = 0;
    for (const c of this.connections) if (c.requestUnbind()) sent++;
    return sent;
  }

  binds(): BindInfo[] {
    const out: BindInfo[] = [];
    for (const c of this.connections) {
      const info = c.info();
      if (info !== undefined) out.push(info);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  counts(): CarrierCounts {
    let waiting = 0;
    for (const queue of this.waiting.values()) waiting += queue.length;
    return {
      ...this.counters,
      received: { ...this.counters.received },
      sent: { ...this.counters.sent },
      submitStatuses: { ...this.counters.submitStatuses },
      messagesRecorded: this.records.total,
      concatPending: this.records.pendingGroups,
      deliveriesWaiting: waiting,
    };
  }

  messages(filter?: RecordFilter): RecordedMessage[] {
    return this.records.list(filter);
  }

  message(id: string): RecordedMessage | undefined {
    return this.records.byMessageId(id);
  }

  /** Clears records, counts and receipts waiting for a receiver; binds stay. */
  reset(): void {
    this.records.reset();
    this.counters = newCounters();
    this.waiting.clear();
    this.accountThrottles.clear();
  }

  /** Closes every ESME connection at once (no unbind). Returns how many. */
  dropConnections(): number {
    const n = this.connections.size;
    for (const c of this.connections) c.drop();
    return n;
  }

  /** Sends a mobile-originated message to a receiving bind and resolves when every part is answered or failed. */
  async injectMo(body: unknown): Promise<MoResult> {
    if (this.closed) throw simError('SIM_CLOSED', this.name);
    const request = checkMoRequest(body);
    const refSize = request.refSize ?? 8;
    const ref = request.ref ?? this.moRef++ % (refSize === 8 ? 256 : 65536);
    const parts = buildMoParts(request, ref);
    if (this.receiverFor(request.systemId) === undefined) {
      throw simError('SIM_NO_RECEIVER', request.systemId === undefined ? this.name : `${this.name} account ${request.systemId}`, {
        carrier: this.name,
        systemId: request.systemId,
      });
    }
    const target = this.receiverFor(request.systemId);
    const outcomes = await Promise.all(
      parts.map(
        (fields) =>
          new Promise<DeliverOutcome>((resolve) => {
            const item: DeliverItem = { kind: 'mo', fields, attempts: 0, done: resolve };
            if (target === undefined) resolve({ failed: 'closed' });
            else target.deliver(item);
          }),
      ),
    );
    const results: MoPartResult[] = outcomes.map((outcome, i) => {
      const seq = request.order === 'reverse' ? parts.length - i : i + 1;
      if ('status' in outcome) {
        return { seq, status: outcome.status, statusName: knownStatusName(outcome.status) ?? `0x${outcome.status.toString(16)}` };
      }
      return { seq, failed: outcome.failed };
    });
    const acknowledged = results.every((r) => r.status === 0);
    this.counters.moPartsAcknowledged += results.filter((r) => r.status === 0).length;
    return { carrier: this.name, parts: results, acknowledged };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.expiryTimer);
    this.scheduler.close();
    for (const queue of this.waiting.values()) for (const item of queue) item.done?.({ failed: 'closed' });
    this.waiting.clear();
    const server = this.server;
    if (server === undefined) return;
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of this.connections) c.drop();
    await closing;
  }
}
