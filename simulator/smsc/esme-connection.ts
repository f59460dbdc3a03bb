/**
 * One ESME's TCP connection to the simulated SMSC: bind state, the per-PDU behaviour (drops, enquire_link silence),
 * submits handed to its submit desk, query_sm answered from the records, and the deliver_sm window towards it. The
 * connection comes from the `smpp` package's server; PDUs are framed by the protocol module's frame reader
 * (command_length first, SMPP 3.4 section 3.2) so message octets are read raw, never decoded as the package would.
 */
import {
  COMMAND_ID,
  COMMAND_NAME_BY_ID,
  FrameReader,
  Pdu,
  STATUS,
  commandStatus,
  decodeQuerySm,
  encodeBindResp,
  encodeHeaderOnly,
  encodeMessageIdResp,
  encodeMessagePdu,
  encodeQuerySmResp,
  problemStatus,
  responseId,
} from '../../drivers/smpp-protocol/index.ts';
import type { Socket } from 'node:net';
import type { BindMode, CarrierContext, DeliverTarget } from './carrier-context.ts';
import { DeliverQueue, type DeliverItem } from './deliver-queue.ts';
import { queryAnswer } from './query-sm.ts';
import type { SmppSession } from './smpp-server.ts';
import { SubmitDesk } from './submit-desk.ts';

const BIND_MODES: Readonly<Record<string, BindMode>> = {
  bind_transmitter: 'transmitter',
  bind_receiver: 'receiver',
  bind_transceiver: 'transceiver',
};

/** One PDU as read: its header fields and its octets (command_length first). */
interface Frame {
  readonly commandId: number;
  readonly status: number;
  readonly sequence: number;
  readonly octets: Buffer;
}

export interface BindInfo {
  readonly id: number;
  readonly carrier: string;
  readonly systemId: string;
  readonly mode: BindMode;
  readonly remote: string;
  readonly boundAt: string;
  /** submit_sm / data_sm received and not yet answered. */
  readonly outstandingSubmits: number;
  /** The most that were ever outstanding at once on this bind. */
  readonly maxOutstandingSubmits: number;
  readonly outstandingDelivers: number;
  readonly queuedDelivers: number;
  readonly pdusSinceBind: number;
}

export class EsmeConnection implements DeliverTarget {
  systemId: string | undefined;
  mode: BindMode | undefined;
  open = true;
  private boundAt = 0;
  private outstandingSubmits = 0;
  private maxOutstandingSubmits = 0;
  private pdusSinceBind = 0;
  private enquireTimer: NodeJS.Timeout | undefined;
  private enquireInterval = 0;
  private unbindTimer: NodeJS.Timeout | undefined;
  private outgoing: Buffer[] = [];
  private flushScheduled = false;
  private sequence = 0;
  private readonly frames = new FrameReader();
  private readonly submits: SubmitDesk;
  private readonly delivers: DeliverQueue;
  private readonly socket: Socket;

  constructor(
    readonly id: number,
    private readonly carrier: CarrierContext,
    private readonly session: SmppSession,
  ) {
    this.socket = session.socket;
    this.socket.setNoDelay(true);
    // The package's session reads each PDU into an object and decodes short_message as text by its own rules;
    // on the hot path the simulator frames the stream itself and decodes only what it needs, with the protocol
    // module and the codec. Binds still go through the package's parser.
    this.socket.removeAllListeners('readable');
    this.socket.on('readable', this.onReadable);
    this.submits = new SubmitDesk(
      carrier,
      {
        answer: (frame, status, messageId) => this.answerSubmit(frame, status, messageId),
        nack: (frame, status) => {
          this.count(this.carrier.counters.submitStatuses, statusName(status));
          this.send(encodeHeaderOnly(COMMAND_ID.generic_nack, status, frame.readUInt32BE(12)), 'generic_nack');
        },
      },
      this,
    );
    this.delivers = new DeliverQueue(
      (item) => this.sendDeliver(item),
      () => carrier.behaviour.deliver,
      // Looked up on each use: a reset replaces the carrier's counters object.
      () => carrier.counters,
      carrier.maxPendingDeliveries,
    );
    session.on('error', () => this.socket.destroy());
    session.on('close', () => this.onClose());
  }

  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? 0}`;
  }

  info(): BindInfo | undefined {
    if (this.systemId === undefined || this.mode === undefined) return undefined;
    return {
      id: this.id,
      carrier: this.carrier.name,
      systemId: this.systemId,
      mode: this.mode,
      remote: this.remote,
      boundAt: new Date(this.boundAt).toISOString(),
      outstandingSubmits: this.submits.outstanding,
      maxOutstandingSubmits: this.submits.maxOutstanding,
      outstandingDelivers: this.delivers.outstandingCount,
      queuedDelivers: this.delivers.backlogCount,
      pdusSinceBind: this.pdusSinceBind,
    };
  }

  deliver(item: DeliverItem): void {
    this.delivers.enqueue(item);
  }

  /** Closes the TCP connection at once (no unbind), as a failing SMSC would. */
  drop(): void {
    this.socket.destroy();
  }

  private readonly onReadable = (): void => {
    const socket = this.socket;
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) this.frames.push(chunk);
    for (let octets = this.frames.next(); octets !== undefined && !socket.destroyed; octets = this.frames.next()) {
      this.onFrame({ commandId: octets.readUInt32BE(4), status: octets.readUInt32BE(8), sequence: octets.readUInt32BE(12), octets });
    }
    if (this.frames.problem !== undefined && !socket.destroyed) {
      // After an impossible command_length the stream cannot be re-synchronized (nor the PDU's sequence_number
      // known for a generic_nack): close, as SMSCs do.
      this.carrier.counters.connectionsDropped++;
      socket.destroy();
    }
  };

  private count(table: Record<string, number>, key: string): void {
    table[key] = (table[key] ?? 0) + 1;
  }

  /**
   * PDUs written in one event-loop turn leave in one socket write (one syscall, few TCP segments): a burst of
   * answers never waits on the peer's delayed ACK and never costs a write each.
   */
  private send(octets: Buffer, command: string): boolean {
    if (!this.open || this.socket.destroyed) return false;
    this.outgoing.push(octets);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flush);
    }
    this.count(this.carrier.counters.sent, command);
    return true;
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.outgoing;
    this.outgoing = [];
    if (this.socket.destroyed || batch.length === 0) return;
    this.socket.write(batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch));
  };

  /** sequence_number of the PDUs the SMSC originates: 1 to 0x7FFFFFFF, then around again. */
  private nextSequence(): number {
    this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    return this.sequence;
  }

  /** A response without a body (errors, enquire_link_resp, unbind_resp, generic_nack). */
  private respondStatus(request: Pick<Frame, 'commandId' | 'sequence'>, status: number): void {
    // A request without a response of its own (an unknown command id, outbind...) gets generic_nack.
    const respId = responseId(request.commandId);
    const respName = COMMAND_NAME_BY_ID.has(request.commandId) ? COMMAND_NAME_BY_ID.get(respId) : undefined;
    const commandId = respName === undefined ? COMMAND_ID.generic_nack : respId;
    this.send(encodeHeaderOnly(commandId, status, request.sequence), respName ?? 'generic_nack');
  }

  private onFrame(frame: Frame): void {
    const counters = this.carrier.counters;
    const command = COMMAND_NAME_BY_ID.get(frame.commandId);
    const name = command ?? `0x${frame.commandId.toString(16).padStart(8, '0')}`;
    this.count(counters.received, name);
    if (this.mode !== undefined) {
      this.pdusSinceBind++;
      const every = this.carrier.behaviour.dropEveryPdus;
      if (every > 0 && this.pdusSinceBind % every === 0) {
        counters.connectionsDropped++;
        this.drop();
        return;
      }
    }
    switch (command) {
      case 'bind_transmitter':
      case 'bind_receiver':
      case 'bind_transceiver':
        this.onBind(frame, command);
        return;
      case 'submit_sm':
      case 'data_sm':
        this.onSubmit(frame, command);
        return;
      case 'query_sm':
        this.onQuery(frame);
        return;
      case 'deliver_sm_resp':
        this.onDeliverResp(frame.sequence, frame.status);
        return;
      case 'generic_nack':
        // An ESME refusing one of our deliver_sm: treat it as an error answer to that PDU.
        this.onDeliverResp(frame.sequence, frame.status === 0 ? STATUS.ESME_RUNKNOWNERR : frame.status);
        return;
      case 'enquire_link':
        if (this.carrier.behaviour.answerEnquireLink) this.respondStatus(frame, 0);
        else counters.enquireLinksIgnored++;
        return;
      case 'unbind':
        this.respondStatus(frame, 0);
        this.flush();
        this.unbound();
        this.socket.end();
        return;
      case 'unbind_resp':
        // The answer to an unbind the SMSC sent: the session is over.
        if (this.unbindTimer !== undefined) {
          this.unbound();
          this.socket.end();
        }
        return;
      case 'enquire_link_resp':
        return;
      case undefined:
        this.respondStatus(frame, STATUS.ESME_RINVCMDID);
        return;
      default:
        if ((frame.commandId & 0x80000000) !== 0) return;
        // A command this SMSC does not offer (cancel_sm, replace_sm, submit_multi...).
        this.respondStatus(frame, this.mode === undefined ? STATUS.ESME_RINVBNDSTS : STATUS.ESME_RINVCMDID);
    }
  }

  private onBind(frame: Frame, command: 'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'): void {
    if (this.mode !== undefined) {
      this.respondStatus(frame, STATUS.ESME_RALYBND);
      return;
    }
    // Binds are rare: the package's parser reads their fields.
    const pdu = new Pdu(frame.octets);
    const systemId = typeof pdu.system_id === 'string' ? pdu.system_id : '';
    const status = this.carrier.authorize(systemId, typeof pdu.password === 'string' ? pdu.password : '');
    if (status !== 0) {
      this.carrier.counters.bindFailures++;
      this.respondStatus(frame, status);
      return;
    }
    this.systemId = systemId;
    this.mode = BIND_MODES[command];
    this.boundAt = Date.now();
    const respId = responseId(frame.commandId);
    this.send(encodeBindResp(respId, frame.sequence, this.carrier.systemId, 0x34), `${command}_resp`);
    if (this.mode !== 'transmitter') this.carrier.receiverReady(this);
    this.behaviourChanged();
  }

  /** Re-reads the behaviour parts that run on timers (the SMSC's own enquire_link). */
  behaviourChanged(): void {
    const interval = this.mode === undefined || !this.open ? 0 : this.carrier.behaviour.enquireLinkIntervalMs;
    if (interval === this.enquireInterval) return;
    if (this.enquireTimer !== undefined) clearInterval(this.enquireTimer);
    this.enquireTimer = undefined;
    this.enquireInterval = interval;
    if (interval > 0) {
      this.enquireTimer = setInterval(() => this.sendEnquireLink(), interval);
      this.enquireTimer.unref();
    }
  }

  /** Sends one enquire_link to the ESME (its answer is counted with the received PDUs). */
  sendEnquireLink(): boolean {
    if (this.mode === undefined) return false;
    const sent = this.send(encodeHeaderOnly(COMMAND_ID.enquire_link, 0, this.nextSequence()), 'enquire_link');
    if (sent) this.carrier.counters.enquireLinksSent++;
    return sent;
  }

  /** Sends unbind; the connection closes on the ESME's unbind_resp, or after 2 s without it. */
  requestUnbind(): boolean {
    if (this.mode === undefined || this.unbindTimer !== undefined) return false;
    const sent = this.send(encodeHeaderOnly(COMMAND_ID.unbind, 0, this.nextSequence()), 'unbind');
    if (!sent) return false;
    this.carrier.counters.unbindsSent++;
    this.unbindTimer = setTimeout(() => this.drop(), 2000);
    this.unbindTimer.unref();
    return true;
  }

  private onSubmit(frame: Frame, command: 'submit_sm' | 'data_sm'): void {
    if (this.mode === undefined || this.mode === 'receiver' || this.systemId === undefined) {
      this.answerSubmit(frame.octets, STATUS.ESME_RINVBNDSTS);
      return;
    }
    this.submits.submit(frame.octets, command, this.systemId);
  }

  private answerSubmit(octets: Buffer, status: number, messageId?: string): void {
    this.count(this.carrier.counters.submitStatuses, statusName(status));
    const commandId = octets.readUInt32BE(4);
    const sequence = octets.readUInt32BE(12);
    if (status !== 0 || messageId === undefined) this.respondStatus({ commandId, sequence }, status);
    else this.send(encodeMessageIdResp(responseId(commandId), sequence, messageId), `${COMMAND_NAME_BY_ID.get(commandId) ?? 'submit_sm'}_resp`);
  }

  /** query_sm: the recorded part's state, a refusal when the behaviour says this SMSC does not offer it. */
  private onQuery(frame: Frame): void {
    const carrier = this.carrier;
    if (this.mode === undefined || this.mode === 'receiver' || this.systemId === undefined) {
      this.respondStatus(frame, STATUS.ESME_RINVBNDSTS);
      return;
    }
    const refusal = carrier.behaviour.querySm;
    if (refusal === 'generic_nack') {
      this.send(encodeHeaderOnly(COMMAND_ID.generic_nack, STATUS.ESME_RINVCMDID, frame.sequence), 'generic_nack');
      return;
    }
    if (refusal === 'ESME_RINVCMDID') {
      this.respondStatus(frame, STATUS.ESME_RINVCMDID);
      return;
    }
    const { request, problems } = decodeQuerySm(frame.octets);
    if (request === undefined || problems.length > 0) {
      this.respondStatus(frame, problemStatus(problems));
      return;
    }
    const answer = queryAnswer(request, carrier.records.partState(request.messageId, Date.now()), this.systemId);
    if ('fields' in answer) this.send(encodeQuerySmResp(frame.sequence, answer.fields), 'query_sm_resp');
    else this.respondStatus(frame, answer.status);
  }

  private sendDeliver(item: DeliverItem): number | undefined {
    if (!this.open) return undefined;
    const sequence = this.nextSequence();
    return this.send(encodeMessagePdu(COMMAND_ID.deliver_sm, sequence, item.fields), 'deliver_sm') ? sequence : undefined;
  }

  private onDeliverResp(sequence: number, status: number): void {
    this.delivers.answered(sequence, status);
  }

  private unbound(): void {
    const wasBound = this.mode !== undefined;
    this.open = false;
    this.mode = undefined;
    if (this.enquireTimer !== undefined) clearInterval(this.enquireTimer);
    if (this.unbindTimer !== undefined) clearTimeout(this.unbindTimer);
    this.enquireTimer = undefined;
    const undelivered = this.delivers.close();
    if (wasBound) this.carrier.connectionClosed(this, undelivered);
  }

  private onClose(): void {
    if (this.open || this.mode !== undefined) this.unbound();
    this.open = false;
  }
}

function statusName(status: number): string {
  return commandStatus(status).name;
}
