import {
  COMMAND_ID,
  FrameReader,
  Pdu,
  PduCursor,
  RESPONSE_BIT,
  STATUS,
  commandStatus,
  encodeHeaderOnly,
  encodeMessageIdResp,
  responseId,
} from '../smpp-protocol/index.ts';
import type { BindDeps, BindOwner, BindRole, BindState, InFlight, PendingRequest } from './bind-types.ts';
import type { SmppConfig } from './config.ts';
import { smppError, type SmppError } from './errors.ts';
import type { SmppSocket } from './socket-factory.ts';
import { WriteBatch } from './write-batch.ts';

const BIND_COMMAND: Record<BindRole, string> = {
  transceiver: 'bind_transceiver',
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
};

/** deliver_sm_resp / data_sm_resp: a NULL message_id when accepted, no body with an error status (section 4.6.2). */
function deliveryResponse(commandId: number, seq: number, status: number): Buffer {
  const resp = responseId(commandId);
  return status === STATUS.ESME_ROK ? encodeMessageIdResp(resp, seq, '') : encodeHeaderOnly(resp, status, seq);
}

/** How long a peer gets to close after we ended our side (unbind exchange, unbind by peer). */
const CLOSE_GRACE_MS = 2000;

/**
 * One SMPP session over one TCP (or TLS) connection, reopened by the connector after loss.
 * Owns: bind life cycle, the submit window, enquire_link, answering the SMSC's requests, and inbound
 * backpressure. Time is checked by `tick`, which the connector calls from its one periodic sweep: there is no
 * timer per PDU. The socket comes from the injected factory and the time from the injected clock.
 */
export class BindSession<J extends InFlight> {
  state: BindState = 'idle';
  /** Incremented per connection, so late answers to a previous connection's deliveries are dropped. */
  generation = 0;
  /** Outstanding submit_sm by sequence_number, in the order written (Map keeps insertion order). */
  readonly window = new Map<number, J>();
  /** Outstanding requests other than submits, by sequence_number, in the order written. */
  private readonly requests = new Map<number, PendingRequest>();
  lastError: SmppError | undefined;
  failedAttempts = 0;
  boundSince: number | undefined;

  private socket: SmppSocket | undefined;
  private reader = new FrameReader();
  private readonly out = new WriteBatch();
  private sequence = 0;
  private stateSince = 0;
  private lastReceived = 0;
  private enquireSeq = 0;
  private enquireSentAt = 0;
  private bindSeq = 0;
  private unbindSeq = 0;
  private closeReason: SmppError | undefined;
  private wasBound = false;
  /** Deliveries handed to the owner and not answered yet: sequence_number -> deadline. */
  private readonly pendingDeliveries = new Map<number, { deadline: number; commandId: number }>();
  private readingPaused = false;
  private readonly onData = (chunk: Buffer): void => {
    this.lastReceived = this.deps.clock.now();
    this.reader.push(chunk);
    this.drainFrames();
  };

  constructor(
    readonly id: string,
    readonly role: BindRole,
    private readonly config: SmppConfig,
    private readonly owner: BindOwner<J, BindSession<J>>,
    private readonly deps: BindDeps,
  ) {}

  get canSubmit(): boolean {
    return this.state === 'bound' && this.role !== 'receiver' && this.window.size < this.config.windowSize;
  }

  get pendingInbound(): number {
    return this.pendingDeliveries.size;
  }

  get paused(): boolean {
    return this.readingPaused;
  }

  /** Opens a connection and binds; the outcome arrives through `owner.bound` or `owner.down`. */
  open(now: number): void {
    if (this.state !== 'idle') return;
    this.generation += 1;
    this.reader = new FrameReader();
    this.out.clear();
    this.sequence = 0;
    this.enquireSeq = 0;
    this.unbindSeq = 0;
    this.closeReason = undefined;
    this.wasBound = false;
    this.readingPaused = false;
    this.setState('connecting', now);
    const { host, port, tls } = this.config;
    const socket = this.deps.connect({ host, port, tls }, () => this.sendBind());
    this.socket = socket;
    this.out.socket = socket;
    socket.on('data', this.onData);
    socket.on('error', (error: Error) => {
      this.closeReason ??=
        this.state === 'connecting'
          ? smppError('SMPP_CONNECT_FAILED', error.message, { host, port }, { cause: error })
          : smppError('SMPP_CONNECTION_LOST', error.message, { bind: this.id }, { cause: error });
    });
    socket.on('close', () => this.closed(socket));
  }

  /** Writes one submit_sm whose encoded PDU is `pdu` (sequence_number patched in here). */
  submit(job: J, pdu: Buffer, now: number): number {
    const seq = this.nextSequence();
    pdu.writeUInt32BE(seq, 12);
    job.sentAt = now;
    this.window.set(seq, job);
    this.write(pdu);
    return seq;
  }

  /** True when bound in a role that may send requests (transmitter or transceiver). */
  get canRequest(): boolean {
    return this.state === 'bound' && this.role !== 'receiver';
  }

  /** Writes one request whose encoded PDU is `pdu` (sequence_number patched in here); the answer goes to `pending`. */
  request(pending: PendingRequest, pdu: Buffer, now: number): number {
    const seq = this.nextSequence();
    pdu.writeUInt32BE(seq, 12);
    pending.sentAt = now;
    this.requests.set(seq, pending);
    this.write(pdu);
    return seq;
  }

  /** Answers a deliver_sm / data_sm once the sink has settled (or the sweep gave up on it). */
  answerDelivery(generation: number, seq: number, status: number): void {
    if (generation !== this.generation) return;
    const pending = this.pendingDeliveries.get(seq);
    if (pending === undefined) return;
    this.pendingDeliveries.delete(seq);
    this.write(deliveryResponse(pending.commandId, seq, status));
    if (this.readingPaused && this.pendingDeliveries.size < this.config.inbound.maxPendingPerBind) {
      this.readingPaused = false;
      this.drainFrames();
      if (!this.readingPaused) this.socket?.resume();
    }
  }

  /** Called from the connector's sweep: connect and bind deadlines, enquire_link, submit and sink timeouts. */
  tick(now: number): void {
    switch (this.state) {
      case 'connecting':
      case 'binding':
        if (now - this.stateSince > this.config.connectTimeoutMs) {
          this.destroy(
            this.state === 'connecting'
              ? smppError('SMPP_CONNECT_FAILED', 'connect timeout', { bind: this.id })
              : smppError('SMPP_BIND_TIMEOUT', `no ${BIND_COMMAND[this.role]}_resp`, { bind: this.id }),
          );
        }
        return;
      case 'unbinding':
      case 'closing':
        if (now - this.stateSince > CLOSE_GRACE_MS) this.destroy(this.closeReason ?? smppError('SMPP_CLOSED'));
        return;
      case 'bound':
        break;
      default:
        return;
    }
    if (this.readingPaused) {
      // Not reading (backpressure), so an answer could not be seen: liveness is judged again once reading resumes.
      if (this.enquireSeq !== 0) this.enquireSentAt = now;
      this.lastReceived = now;
    } else if (this.enquireSeq !== 0) {
      if (now - this.enquireSentAt > this.config.enquireLinkTimeoutMs) {
        this.destroy(smppError('SMPP_ENQUIRE_LINK_TIMEOUT', `no enquire_link_resp in ${this.config.enquireLinkTimeoutMs} ms`, { bind: this.id }));
        return;
      }
    } else if (now - this.lastReceived >= this.config.enquireLinkIntervalMs) {
      this.enquireSeq = this.nextSequence();
      this.enquireSentAt = now;
      this.write(encodeHeaderOnly(COMMAND_ID.enquire_link, 0, this.enquireSeq));
    }
    const timeout = this.config.submitTimeoutMs;
    for (const [seq, job] of this.window) {
      // Insertion order is send order and every submit has the same timeout: stop at the first live one.
      if (now - job.sentAt < timeout) break;
      this.window.delete(seq);
      this.owner.submitTimedOut(this, job);
    }
    for (const [seq, pending] of this.requests) {
      if (now - pending.sentAt < timeout) break;
      this.requests.delete(seq);
      pending.timedOut();
    }
    for (const [seq, pending] of this.pendingDeliveries) {
      if (pending.deadline <= now) this.answerDelivery(this.generation, seq, STATUS.ESME_RX_T_APPN);
    }
  }

  /** Clean end: unbind, wait for unbind_resp (bounded), close. Resolves once the socket is gone. */
  close(now: number): Promise<void> {
    const socket = this.socket;
    if (socket === undefined || this.state === 'idle') return Promise.resolve();
    const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (this.state === 'bound') {
      this.closeReason = smppError('SMPP_CLOSED', 'unbound by the connector', { bind: this.id });
      this.unbindSeq = this.nextSequence();
      this.write(encodeHeaderOnly(COMMAND_ID.unbind, 0, this.unbindSeq));
      this.setState('unbinding', now);
    } else if (this.state !== 'unbinding' && this.state !== 'closing') {
      this.destroy(smppError('SMPP_CLOSED', 'closed before bound', { bind: this.id }));
    }
    return gone;
  }

  /** Drops the connection at once (dead peer, protocol error, shutdown timeout): never a half-open socket. */
  destroy(reason: SmppError): void {
    this.closeReason ??= reason;
    this.socket?.destroy();
  }

  private sendBind(): void {
    this.setState('binding', this.deps.clock.now());
    this.bindSeq = this.nextSequence();
    const c = this.config;
    this.write(
      new Pdu(BIND_COMMAND[this.role], {
        sequence_number: this.bindSeq,
        system_id: c.systemId,
        password: c.password,
        system_type: c.systemType,
        interface_version: c.interfaceVersion,
        addr_ton: 0,
        addr_npi: 0,
        address_range: c.addressRange,
      }).toBuffer(),
    );
  }

  private drainFrames(): void {
    while (!this.readingPaused) {
      const frame = this.reader.next();
      if (frame === undefined) break;
      this.handle(frame);
    }
    const problem = this.reader.problem;
    if (problem !== undefined) {
      // The stream cannot be re-synchronized after an impossible command_length.
      this.destroy(smppError('SMPP_PROTOCOL', problem.message, { bind: this.id, field: problem.field, value: problem.value }));
    }
  }

  private handle(frame: Buffer): void {
    const commandId = frame.readUInt32BE(4);
    const status = frame.readUInt32BE(8);
    const seq = frame.readUInt32BE(12);
    switch (commandId) {
      case COMMAND_ID.submit_sm_resp: {
        const job = this.window.get(seq);
        if (job === undefined) return; // answered after its timeout: already reported unknown
        this.window.delete(seq);
        this.owner.submitAnswered(this, job, status, status === STATUS.ESME_ROK ? new PduCursor(frame).cString('message_id', 65) : '');
        return;
      }
      case COMMAND_ID.query_sm_resp: {
        const pending = this.requests.get(seq);
        if (pending === undefined) return; // answered after its timeout
        this.requests.delete(seq);
        pending.answered(frame);
        return;
      }
      case COMMAND_ID.generic_nack: {
        const job = this.window.get(seq);
        const pending = this.requests.get(seq);
        if (job !== undefined) {
          this.window.delete(seq);
          this.owner.submitAnswered(this, job, status === STATUS.ESME_ROK ? STATUS.ESME_RSYSERR : status, '');
        } else if (pending !== undefined) {
          this.requests.delete(seq);
          pending.answered(frame);
        } else if (seq === this.enquireSeq) {
          this.enquireSeq = 0; // the peer is alive, even if it does not know enquire_link
        }
        return;
      }
      case COMMAND_ID.enquire_link:
        this.write(encodeHeaderOnly(COMMAND_ID.enquire_link_resp, 0, seq));
        return;
      case COMMAND_ID.enquire_link_resp:
        if (seq === this.enquireSeq) this.enquireSeq = 0;
        return;
      case COMMAND_ID.deliver_sm:
      case COMMAND_ID.data_sm:
        this.pendingDeliveries.set(seq, { deadline: this.deps.clock.now() + this.config.inbound.sinkTimeoutMs, commandId });
        if (this.pendingDeliveries.size >= this.config.inbound.maxPendingPerBind) {
          // Bounded backpressure: stop reading; TCP pushes back on the SMSC until the sink catches up.
          this.readingPaused = true;
          this.socket?.pause();
        }
        this.owner.delivery(this, this.generation, frame);
        return;
      case COMMAND_ID.unbind:
        this.write(encodeHeaderOnly(COMMAND_ID.unbind_resp, 0, seq));
        this.closeReason ??= smppError('SMPP_UNBOUND_BY_PEER', undefined, { bind: this.id });
        this.endSoon();
        return;
      case COMMAND_ID.unbind_resp:
        if (seq === this.unbindSeq) this.endSoon();
        return;
      case COMMAND_ID.bind_transceiver_resp:
      case COMMAND_ID.bind_transmitter_resp:
      case COMMAND_ID.bind_receiver_resp:
        if (seq !== this.bindSeq || this.state !== 'binding') return;
        if (status !== STATUS.ESME_ROK) {
          const row = commandStatus(status);
          this.destroy(
            smppError('SMPP_BIND_REJECTED', `${row.name}: ${row.message}`, {
              bind: this.id,
              systemId: this.config.systemId,
              commandStatus: status,
              statusName: row.name,
            }),
          );
          return;
        }
        this.setState('bound', this.deps.clock.now());
        this.wasBound = true;
        this.failedAttempts = 0;
        this.lastError = undefined;
        this.boundSince = this.deps.clock.now();
        this.owner.bound(this);
        return;
      case COMMAND_ID.alert_notification:
        return; // no response is defined for it
      default:
        if ((commandId & RESPONSE_BIT) === 0) {
          this.write(encodeHeaderOnly(COMMAND_ID.generic_nack, STATUS.ESME_RINVCMDID, seq));
        }
    }
  }

  private write(buffer: Buffer): void {
    this.out.write(buffer);
  }

  private endSoon(): void {
    this.setState('closing', this.deps.clock.now());
    this.out.flush();
    this.socket?.end();
  }

  private closed(socket: SmppSocket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.out.socket = undefined;
    const reason =
      this.closeReason ??
      (this.state === 'connecting'
        ? smppError('SMPP_CONNECT_FAILED', 'connection closed', { bind: this.id })
        : smppError('SMPP_CONNECTION_LOST', 'connection closed by peer', { bind: this.id }));
    const wasBound = this.wasBound;
    if (!wasBound) this.failedAttempts += 1;
    this.lastError = reason;
    this.boundSince = undefined;
    this.setState('idle', this.deps.clock.now());
    const lost = [...this.window.values()];
    this.window.clear();
    const requests = [...this.requests.values()];
    this.requests.clear();
    for (const pending of requests) pending.lost(reason);
    this.pendingDeliveries.clear();
    this.readingPaused = false;
    this.owner.down(this, reason, wasBound, lost);
  }

  private setState(state: BindState, now: number): void {
    this.state = state;
    this.stateSince = now;
    if (state === 'bound') this.lastReceived = now;
  }

  private nextSequence(): number {
    this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    return this.sequence;
  }
}
