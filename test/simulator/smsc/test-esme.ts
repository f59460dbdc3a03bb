/**
 * A bare `smpp` client session for simulator tests (not the gateway's driver): binds, sends PDUs and awaits their
 * answers, answers deliver_sm on request, and keeps every octet the simulator sent so tests can check each PDU
 * with the independent well-formedness checker and read deliver_sm fields exactly as they travelled.
 */
import { makePdu, type SmppPdu } from '../../../drivers/smpp-protocol/index.ts';
import { smpp, type SmppSession } from '../../../simulator/smsc/smpp-server.ts';
import { waitFor } from '../../support/wait-for.ts';
import { checkPdu, splitPdus, type CheckedPdu } from './pdu-well-formed.ts';

export type BindCommand = 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver';

export class TestEsme {
  private readonly chunks: Buffer[] = [];
  /** null: leave deliver_sm unanswered; a number: answer with that command_status. */
  deliverResponse: number | null = 0;
  answerEnquireLink = true;
  answerUnbind = true;
  closed = false;
  /** Sequence numbers for `burst`, far from the package's own counter. */
  private ownSequence = 1_000_000;

  private constructor(readonly session: SmppSession) {
    // With a 'readable' listener in charge (the package's), 'data' sees exactly the chunks the package reads.
    session.socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    session.socket.setNoDelay(true);
    session.on('deliver_sm', (pdu: SmppPdu) => {
      if (this.deliverResponse !== null) session.send(pdu.response({ command_status: this.deliverResponse }));
    });
    session.on('enquire_link', (pdu: SmppPdu) => {
      if (this.answerEnquireLink) session.send(pdu.response());
    });
    session.on('unbind', (pdu: SmppPdu) => {
      if (this.answerUnbind) session.send(pdu.response());
    });
    session.on('close', () => {
      this.closed = true;
    });
    session.on('error', () => undefined);
  }

  static connect(port: number): Promise<TestEsme> {
    return new Promise((resolve, reject) => {
      const session = smpp.connect({ host: '127.0.0.1', port }, () => resolve(new TestEsme(session)));
      session.once('error', reject);
    });
  }

  static async bound(port: number, command: BindCommand = 'bind_transceiver', systemId = 'test', password = 'test'): Promise<TestEsme> {
    const esme = await TestEsme.connect(port);
    const resp = await esme.request(command, { system_id: systemId, password });
    if (resp.command_status !== 0) throw new Error(`bind failed with 0x${resp.command_status.toString(16)}`);
    return esme;
  }

  /** Sends a PDU and resolves with its answer (rejects when none comes in time or the connection closes). */
  request(command: string, fields: Record<string, unknown> = {}, timeoutMs = 5000): Promise<SmppPdu> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('connection closed'));
        return;
      }
      const timer = setTimeout(() => reject(new Error(`no answer to ${command}`)), timeoutMs);
      const onClose = (): void => {
        clearTimeout(timer);
        reject(new Error('connection closed'));
      };
      this.session.once('close', onClose);
      this.session.send(makePdu(command, fields), (resp) => {
        clearTimeout(timer);
        this.session.off('close', onClose);
        resolve(resp);
      });
    });
  }

  /** Sends without waiting; the answer is looked up later in `fromSimulator()`. Returns the sequence_number. */
  fire(command: string, fields: Record<string, unknown> = {}): number {
    const pdu = makePdu(command, fields);
    this.session.send(pdu);
    return pdu.sequence_number;
  }

  /**
   * Writes several PDUs in one socket write, so the simulator reads them together whatever the machine's load,
   * and resolves with the answers (as captured octets) in the same order.
   */
  async burst(command: string, fieldsList: readonly Record<string, unknown>[], timeoutMs = 5000): Promise<CheckedPdu[]> {
    const sequences = fieldsList.map(() => this.ownSequence++);
    const octets = Buffer.concat(fieldsList.map((fields, i) => makePdu(command, { ...fields, sequence_number: sequences[i] }).toBuffer()));
    this.session.socket.write(octets);
    return waitFor(
      () => {
        const answers = this.fromSimulator().filter((p) => (p.commandId & 0x80000000) !== 0);
        const found = sequences.map((seq) => answers.find((a) => a.sequence === seq));
        return found.every((a) => a !== undefined) ? (found) : undefined;
      },
      `answers to ${fieldsList.length} ${command}`,
      timeoutMs,
    );
  }

  submit(fields: Record<string, unknown>): Promise<SmppPdu> {
    return this.request('submit_sm', { data_coding: 0, short_message: Buffer.alloc(0), ...fields });
  }

  /** Every complete PDU the simulator sent so far, checked. */
  fromSimulator(): CheckedPdu[] {
    return splitPdus(Buffer.concat(this.chunks)).pdus.map(checkPdu);
  }

  deliveries(): CheckedPdu[] {
    return this.fromSimulator().filter((p) => p.command === 'deliver_sm');
  }

  waitForDeliveries(count: number, timeoutMs = 5000): Promise<CheckedPdu[]> {
    return waitFor(
      () => {
        const list = this.deliveries();
        return list.length >= count ? list : undefined;
      },
      `${count} deliver_sm`,
      timeoutMs,
    );
  }

  /** Well-formedness problems of everything received, each prefixed with its command. */
  problems(): string[] {
    return this.fromSimulator().flatMap((p) => p.problems.map((problem) => `${p.command} #${p.sequence}: ${problem}`));
  }

  waitClosed(timeoutMs = 5000): Promise<true> {
    return waitFor(() => this.closed, 'the connection to close', timeoutMs);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.session.destroy(() => resolve()));
  }
}
