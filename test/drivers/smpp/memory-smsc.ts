/**
 * The SMPP connector with no TCP and no real time: the manual clock (test/support) drives its timers (sweep, pump,
 * throttle pauses, reconnects), and its socket factory hands it in-memory sockets whose far end is a scripted SMSC
 * built on the protocol module, so timeouts are tested to the millisecond and nothing sleeps.
 */
import { EventEmitter } from 'node:events';
import { COMMAND_ID, COMMAND_NAME_BY_ID, FrameReader, encodeHeaderOnly, encodeMessageIdResp, encodeMessagePdu, responseId, type MessagePduFields } from '../../../drivers/smpp-protocol/index.ts';
import type { ManualClock } from '../../support/manual-clock.ts';
import type { SmppSocket, SocketFactory } from '../../../drivers/smpp/socket-factory.ts';

/** What the scripted SMSC does with a request. */
export type SubmitPolicy = 'answer' | 'silent' | 'throttle';

export interface ReceivedPdu {
  readonly at: number;
  readonly command: string;
  readonly status: number;
  readonly sequence: number;
}

/** One connection as the SMSC sees it. */
class MemoryConnection extends EventEmitter implements SmppSocket {
  destroyed = false;
  paused = false;
  private readonly frames = new FrameReader();

  constructor(
    private readonly smsc: MemorySmsc,
    connected: () => void,
  ) {
    super();
    queueMicrotask(connected);
  }

  write(data: Buffer): boolean {
    const copy = Buffer.from(data);
    queueMicrotask(() => {
      if (this.destroyed) return;
      this.frames.push(copy);
      for (let frame = this.frames.next(); frame !== undefined; frame = this.frames.next()) this.smsc.handle(this, frame);
    });
    return true;
  }

  /** Octets from the SMSC to the driver. */
  toDriver(octets: Buffer): void {
    queueMicrotask(() => {
      if (!this.destroyed) this.emit('data', octets);
    });
  }

  end(): void {
    this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    queueMicrotask(() => this.emit('close'));
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }
}

export class MemorySmsc {
  readonly received: ReceivedPdu[] = [];
  readonly connections: MemoryConnection[] = [];
  submitPolicy: SubmitPolicy = 'answer';
  answerEnquireLink = true;
  private nextId = 1000;
  private sequence = 0;
  /** Submits held back by the `silent` policy, to answer late. */
  readonly unanswered: { connection: MemoryConnection; sequence: number }[] = [];

  constructor(private readonly clock: ManualClock) {}

  readonly connect: SocketFactory = (_endpoint, connected) => {
    const connection = new MemoryConnection(this, connected);
    this.connections.push(connection);
    return connection;
  };

  count(command: string): number {
    return this.received.filter((pdu) => pdu.command === command).length;
  }

  /** The connection the driver uses now. */
  get current(): MemoryConnection | undefined {
    return this.connections.findLast((c) => !c.destroyed);
  }

  handle(connection: MemoryConnection, frame: Buffer): void {
    const commandId = frame.readUInt32BE(4);
    const status = frame.readUInt32BE(8);
    const sequence = frame.readUInt32BE(12);
    const command = COMMAND_NAME_BY_ID.get(commandId) ?? 'unknown';
    this.received.push({ at: this.clock.now, command, status, sequence });
    switch (command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver':
        connection.toDriver(encodeMessageIdResp(responseId(commandId), sequence, 'MEMSMSC'));
        return;
      case 'enquire_link':
        if (this.answerEnquireLink) connection.toDriver(encodeHeaderOnly(COMMAND_ID.enquire_link_resp, 0, sequence));
        return;
      case 'unbind':
        connection.toDriver(encodeHeaderOnly(COMMAND_ID.unbind_resp, 0, sequence));
        return;
      case 'submit_sm':
        if (this.submitPolicy === 'throttle') connection.toDriver(encodeHeaderOnly(COMMAND_ID.submit_sm_resp, 0x58, sequence));
        else if (this.submitPolicy === 'silent') this.unanswered.push({ connection, sequence });
        else this.answerSubmit(connection, sequence);
        return;
      default:
        return;
    }
  }

  answerSubmit(connection: MemoryConnection, sequence: number): void {
    this.nextId += 1;
    connection.toDriver(encodeMessageIdResp(COMMAND_ID.submit_sm_resp, sequence, this.nextId.toString(16)));
  }

  /** A deliver_sm to the driver; its answer is recorded like any PDU received (`deliver_sm_resp`). */
  deliver(fields: Partial<MessagePduFields> & { readonly shortMessage: Uint8Array }): void {
    this.sequence += 1;
    this.current?.toDriver(
      encodeMessagePdu(COMMAND_ID.deliver_sm, this.sequence, {
        serviceType: '',
        sourceTon: 1,
        sourceNpi: 1,
        sourceAddr: '447700900111',
        destTon: 0,
        destNpi: 0,
        destinationAddr: '12345',
        esmClass: 0,
        protocolId: 0,
        priorityFlag: 0,
        registeredDelivery: 0,
        dataCoding: 0,
        tlvs: [],
        ...fields,
      }),
    );
  }

  /** command_status of every deliver_sm_resp, in order. */
  deliverStatuses(): number[] {
    return this.received.filter((pdu) => pdu.command === 'deliver_sm_resp').map((pdu) => pdu.status);
  }
}
