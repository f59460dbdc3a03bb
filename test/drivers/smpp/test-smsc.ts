/**
 * A minimal, strict SMSC for driver tests, on raw TCP with the smpp package's PDU codec: it records
 * the exact octets of every submit_sm (the smpp Session would hand them over lossily decoded), counts
 * outstanding submits per session, and has a few switches for failure modes.
 */
import net from 'node:net';
import tls from 'node:tls';
import { FrameReader, Pdu, decodeMessageBody, type MessageBody, type SmppPdu } from '../../../drivers/smpp-protocol/index.ts';

export interface TestSmscOptions {
  systemId?: string;
  password?: string;
  /** Hold every submit_sm_resp this long. */
  respondDelayMs?: number;
  /** Answer ESME_RTHROTTLED to submits beyond this many per rolling second. */
  throttleAboveTps?: number;
  /** Destroy the connection (without answering) when this many submits are outstanding, once. */
  dropWhenOutstanding?: number;
  /** Never answer enquire_link. */
  silentEnquireLink?: boolean;
  /** Send a delivery receipt for every submit asking for one, with the id in this form. */
  receiptIds?: 'hex' | 'decimal';
  /** message_id form in submit_sm_resp. */
  responseIds?: 'hex' | 'decimal';
  /** Answer every submit_sm with a generic_nack of this command_status. */
  nackSubmits?: number;
  /** Answer query_sm with DELIVERED at 2026-01-15 10:30 UTC, or never; by default generic_nack as any unknown command. */
  querySm?: 'delivered' | 'silent';
  /** Serve SMPP over TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export interface RecordedSubmit {
  readonly at: number;
  readonly session: number;
  readonly messageId: string;
  readonly sourceAddr: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly destinationAddr: string;
  readonly destTon: number;
  readonly destNpi: number;
  readonly esmClass: number;
  readonly dataCoding: number;
  readonly registeredDelivery: number;
  readonly shortMessage: Buffer;
  readonly messagePayload?: Buffer;
  readonly sar?: { ref: number; total: number; seq: number };
  readonly validityPeriod: string;
}

interface Conn {
  readonly id: number;
  readonly socket: net.Socket;
  bound: boolean;
  outstanding: number;
  system: string;
}

export interface TestSmsc {
  readonly port: number;
  readonly submits: RecordedSubmit[];
  /** Every query_sm received, fields as they travelled. */
  readonly queries: { messageId: string; sourceTon: number; sourceNpi: number; sourceAddr: string }[];
  readonly bindAttempts: { at: number; systemId: string; command: string; ok: boolean }[];
  readonly commands: Map<string, number>;
  /** Highest number of unanswered submit_sm seen on one connection. */
  maxOutstanding: number;
  throttled: number;
  options: TestSmscOptions;
  boundSessions(): number;
  deliver(fields: Record<string, unknown>, onResp?: (status: number) => void): void;
  /** Sends any request PDU to the first bound session; `onResp` gets the answer's command name and status. */
  request(command: string, fields: Record<string, unknown>, onResp: (command: string, status: number) => void): void;
  unbindAll(): void;
  close(): Promise<void>;
}

export async function startTestSmsc(options: TestSmscOptions = {}): Promise<TestSmsc> {
  const conns = new Set<Conn>();
  let nextConn = 0;
  let nextId = 0x10000;
  let deliverSeq = 0;
  const recent: number[] = [];
  const respWaiters = new Map<number, (status: number, command: string) => void>();
  const smsc: TestSmsc = {
    port: 0,
    submits: [],
    queries: [],
    bindAttempts: [],
    commands: new Map(),
    maxOutstanding: 0,
    throttled: 0,
    options,
    boundSessions: () => [...conns].filter((c) => c.bound).length,
    deliver(fields, onResp) {
      const target = [...conns].find((c) => c.bound && c.system !== 'transmitter');
      if (target === undefined) throw new Error('no bound receiving session');
      deliverSeq += 1;
      if (onResp) respWaiters.set(deliverSeq, onResp);
      target.socket.write(new Pdu('deliver_sm', { ...fields, sequence_number: deliverSeq }).toBuffer());
    },
    request(command, fields, onResp) {
      const target = [...conns].find((c) => c.bound);
      if (target === undefined) throw new Error('no bound session');
      deliverSeq += 1;
      respWaiters.set(deliverSeq, (status, name) => onResp(name, status));
      target.socket.write(new Pdu(command, { ...fields, sequence_number: deliverSeq }).toBuffer());
    },
    unbindAll() {
      for (const c of conns) if (c.bound) c.socket.write(new Pdu('unbind', { sequence_number: 999999 }).toBuffer());
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.socket.destroy();
        server.close(() => resolve());
      }),
  };

  const formatId = (n: number, form: 'hex' | 'decimal' | undefined): string =>
    form === 'hex' ? n.toString(16).toUpperCase().padStart(10, '0') : String(n);

  const handle = (conn: Conn, frame: Buffer): void => {
    const pdu = Pdu.fromBuffer(frame) as SmppPdu;
    smsc.commands.set(pdu.command, (smsc.commands.get(pdu.command) ?? 0) + 1);
    const reply = (command: string, fields: Record<string, unknown> = {}): void => {
      if (!conn.socket.destroyed) conn.socket.write(new Pdu(command, { ...fields, sequence_number: pdu.sequence_number }).toBuffer());
    };
    switch (pdu.command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver': {
        const ok = pdu.system_id === (options.systemId ?? 'test') && pdu.password === (options.password ?? 'secret');
        smsc.bindAttempts.push({ at: Date.now(), systemId: String(pdu.system_id), command: pdu.command, ok });
        conn.bound = ok;
        conn.system = pdu.command.replace('bind_', '');
        reply(`${pdu.command}_resp`, ok ? { system_id: 'TESTSMSC' } : { command_status: 0x0e });
        return;
      }
      case 'enquire_link':
        if (!options.silentEnquireLink) reply('enquire_link_resp');
        return;
      case 'unbind':
        reply('unbind_resp');
        conn.socket.end();
        return;
      case 'deliver_sm_resp':
      case 'enquire_link_resp':
      case 'generic_nack':
        respWaiters.get(pdu.sequence_number)?.(pdu.command_status, pdu.command);
        respWaiters.delete(pdu.sequence_number);
        return;
      case 'query_sm':
        if (options.querySm === undefined) break;
        smsc.queries.push({
          messageId: String(pdu.message_id),
          sourceTon: Number(pdu.source_addr_ton),
          sourceNpi: Number(pdu.source_addr_npi),
          sourceAddr: String(pdu.source_addr),
        });
        if (options.querySm === 'delivered') {
          reply('query_sm_resp', { message_id: pdu.message_id, final_date: '260115103000000+', message_state: 2, error_code: 0 });
        }
        return;
      case 'submit_sm': {
        if (options.nackSubmits !== undefined) {
          reply('generic_nack', { command_status: options.nackSubmits });
          return;
        }
        const raw = decodeMessageBody(frame).body as MessageBody;
        const now = Date.now();
        conn.outstanding += 1;
        smsc.maxOutstanding = Math.max(smsc.maxOutstanding, conn.outstanding);
        while (recent.length > 0 && now - (recent[0] as number) >= 1000) recent.shift();
        if (options.throttleAboveTps !== undefined && recent.length >= options.throttleAboveTps) {
          smsc.throttled += 1;
          conn.outstanding -= 1;
          reply('submit_sm_resp', { command_status: 0x58 });
          return;
        }
        recent.push(now);
        nextId += 1;
        const id = nextId;
        const messageId = formatId(id, options.responseIds);
        const sar =
          typeof pdu.sar_msg_ref_num === 'number'
            ? { ref: pdu.sar_msg_ref_num, total: Number(pdu.sar_total_segments), seq: Number(pdu.sar_segment_seqnum) }
            : undefined;
        smsc.submits.push({
          at: now,
          session: conn.id,
          messageId,
          sourceAddr: String(pdu.source_addr),
          sourceTon: Number(pdu.source_addr_ton),
          sourceNpi: Number(pdu.source_addr_npi),
          destinationAddr: String(pdu.destination_addr),
          destTon: Number(pdu.dest_addr_ton),
          destNpi: Number(pdu.dest_addr_npi),
          esmClass: Number(pdu.esm_class),
          dataCoding: Number(pdu.data_coding),
          registeredDelivery: Number(pdu.registered_delivery),
          shortMessage: Buffer.from(raw.shortMessage),
          ...(raw.messagePayload === undefined ? {} : { messagePayload: Buffer.from(raw.messagePayload) }),
          ...(sar === undefined ? {} : { sar }),
          validityPeriod: typeof pdu.validity_period === 'string' ? pdu.validity_period : '',
        });
        if (options.dropWhenOutstanding !== undefined && conn.outstanding >= options.dropWhenOutstanding) {
          options.dropWhenOutstanding = undefined;
          conn.socket.destroy();
          return;
        }
        const answer = (): void => {
          if (conn.socket.destroyed) return;
          conn.outstanding -= 1;
          reply('submit_sm_resp', { message_id: messageId });
          if (options.receiptIds !== undefined && (Number(pdu.registered_delivery) & 0x03) !== 0) {
            deliverSeq += 1;
            const receiptId = formatId(id, options.receiptIds);
            const text = `id:${receiptId} sub:001 dlvrd:001 submit date:2601010000 done date:2601010001 stat:DELIVRD err:000 text:`;
            conn.socket.write(
              new Pdu('deliver_sm', {
                sequence_number: deliverSeq,
                source_addr: String(pdu.destination_addr),
                destination_addr: String(pdu.source_addr),
                esm_class: 0x04,
                short_message: Buffer.from(text, 'latin1'),
              }).toBuffer(),
            );
          }
        };
        if (options.respondDelayMs) setTimeout(answer, options.respondDelayMs);
        else answer();
        return;
      }
      default:
        break;
    }
    if (!pdu.command.endsWith('_resp')) reply('generic_nack', { command_status: 0x03 });
  };

  const onConnection = (socket: net.Socket): void => {
    nextConn += 1;
    const conn: Conn = { id: nextConn, socket, bound: false, outstanding: 0, system: '' };
    conns.add(conn);
    const reader = new FrameReader();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      for (let frame = reader.next(); frame !== undefined; frame = reader.next()) handle(conn, frame);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => conns.delete(conn));
  };
  const server = options.tls === undefined ? net.createServer(onConnection) : tls.createServer(options.tls, onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (smsc as { port: number }).port = (server.address() as net.AddressInfo).port;
  return smsc;
}
