/**
 * The network behind the virtual modem: what it holds for the modem (injected messages as SMS-DELIVER parts,
 * status reports for submitted parts) until the modem can receive, and how each reaches the line as AT+CNMI and
 * AT+CMGF ask (TS 27.005 clause 3.4.1): +CMT / +CMTI for messages, +CDS / +CDSI for status reports, or stored.
 */
import { textTimestamp } from '../../drivers/at-protocol/index.ts';
import { buildStatusReportPdu } from '../../drivers/codec/index.ts';
import { inboundPdus, type DeliverPdu, type InboundMessage } from './inbound-pdus.ts';
import type { ModemContext } from './modem-context.ts';
import { textForCharset } from './sms-commands.ts';

export interface InjectResult {
  readonly parts: number;
  /** Parts handed to the modem now (the rest wait in the network until the modem can receive). */
  readonly delivered: number;
  readonly pdus: readonly string[];
}

export interface StatusReportRecord {
  readonly mr: number;
  readonly to: string;
  readonly status: number;
  readonly at: string;
  /** How it reached the line: +CDS, +CDSI (stored), or discarded because AT+CNMI <ds> was 0. */
  readonly via: 'cds' | 'cdsi' | 'discarded';
}

/** Network-side events waiting for the modem to be able to receive them. */
type Pending = { readonly kind: 'deliver'; readonly pdu: DeliverPdu; readonly from: string; readonly scts: Date; readonly flash: boolean } | {
  readonly kind: 'report';
  readonly mr: number;
  readonly to: string;
  readonly submittedAt: Date;
  readonly status: number;
};

const DEFAULT_STATUS: Readonly<Record<'delivered' | 'failed' | 'expired', number>> = { delivered: 0x00, failed: 0x41, expired: 0x46 };

export interface NetworkDeps {
  readonly modem: ModemContext;
  /** Registered and powered: the network hands over what it holds. */
  readonly canReceive: () => boolean;
  readonly urc: (text: string) => void;
  readonly timer: (ms: number, task: () => void) => void;
}

export class ModemNetwork {
  readonly #deps: NetworkDeps;
  readonly #modem: ModemContext;
  readonly #pending: Pending[] = [];
  readonly #reports: StatusReportRecord[] = [];
  #concatRef = 0;

  constructor(deps: NetworkDeps) {
    this.#deps = deps;
    this.#modem = deps.modem;
  }

  /** Events the network still holds for the modem. */
  get held(): number {
    return this.#pending.length;
  }

  statusReports(): StatusReportRecord[] {
    return [...this.#reports];
  }

  clearReports(): void {
    this.#reports.length = 0;
  }

  /** Builds SMS-DELIVER parts for `message` and hands them to the modem as the network would. */
  inject(message: InboundMessage): InjectResult {
    const ordered = inboundPdus(message, {
      concatRef: (this.#concatRef = (this.#concatRef + 1) & 0xff),
      smsc: this.#modem.smsc,
      scts: this.#modem.now(),
      tzQuarterHours: this.#modem.identity.carrier.tzQuarterHours,
    });
    const scts = this.#modem.now();
    for (const pdu of ordered) this.#pending.push({ kind: 'deliver', pdu, from: message.from, scts, flash: message.flash === true });
    this.drain();
    // The network delivers in order, so whatever is still held includes the newest parts first.
    const delivered = ordered.length - Math.min(this.#pending.length, ordered.length);
    return { parts: ordered.length, delivered, pdus: ordered.map((pdu) => pdu.hex) };
  }

  scheduleStatusReport(mr: number, to: string, submittedAt: Date): void {
    const report = this.#modem.behaviour.statusReport;
    if (report.outcome === 'none') return;
    const status = report.status ?? DEFAULT_STATUS[report.outcome];
    this.#deps.timer(report.delayMs, () => {
      this.#pending.push({ kind: 'report', mr, to, submittedAt, status });
      this.drain();
    });
  }

  drain(): void {
    while (this.#pending.length > 0 && this.#deps.canReceive()) {
      const next = this.#pending[0] as Pending;
      const handled = next.kind === 'deliver' ? this.#receiveDeliver(next) : this.#receiveReport(next);
      if (!handled) return;
      this.#pending.shift();
    }
  }

  /** TS 27.005 clause 3.4.1 <mt>: 2 routes class 0/1/none directly (+CMT), 3 only class 3; the rest is stored. */
  #receiveDeliver(pending: Extract<Pending, { kind: 'deliver' }>): boolean {
    const mt = this.#modem.settings.cnmi[1];
    const { pdu } = pending;
    if (mt === 2) {
      if (this.#modem.settings.cmgf === 0) this.#deps.urc(`+CMT: ,${pdu.tpduLength}\r\n${pdu.hex}`);
      else this.#deps.urc(`+CMT: "${pending.from}",,"${this.#timestamp(pending.scts)}"\r\n${textForCharset(this.#modem, pdu.text)}`);
      return true;
    }
    const storageName = this.#modem.settings.cpms[2];
    const stored = this.#modem.storage(storageName).store({
      stat: 0,
      pdu: pdu.hex,
      tpduLength: pdu.tpduLength,
      address: pending.from,
      timestamp: this.#timestamp(pending.scts),
      text: pdu.text,
      kind: 'deliver',
    });
    // Memory full: the network keeps the message and tries again later (TS 23.040 memory capacity exceeded).
    if (stored === undefined) return false;
    if (mt > 0) this.#deps.urc(`+CMTI: "${storageName}",${stored.index}`);
    return true;
  }

  /** TS 27.005 clause 3.4.1 <ds>: 1 +CDS directly, 2 stored with +CDSI, 0 none. */
  #receiveReport(pending: Extract<Pending, { kind: 'report' }>): boolean {
    const ds = this.#modem.settings.cnmi[3];
    const now = this.#modem.now();
    const record = (via: StatusReportRecord['via']): true => {
      this.#reports.push({ mr: pending.mr, to: pending.to, status: pending.status, at: now.toISOString(), via });
      return true;
    };
    if (ds === 0) return record('discarded');
    const built = buildStatusReportPdu({
      messageReference: pending.mr,
      recipient: pending.to,
      scts: pending.submittedAt,
      discharge: now,
      status: pending.status,
      smsc: this.#modem.smsc,
      tzQuarterHours: this.#modem.identity.carrier.tzQuarterHours,
    });
    const pdu = { ...built, firstOctet: built.bytes[built.bytes.length - built.tpduLength] as number };
    if (ds === 1) {
      if (this.#modem.settings.cmgf === 0) this.#deps.urc(`+CDS: ${pdu.tpduLength}\r\n${pdu.hex}`);
      else {
        const toa = pending.to.startsWith('+') ? 145 : 129;
        this.#deps.urc(
          `+CDS: ${pdu.firstOctet},${pending.mr},"${pending.to}",${toa},"${this.#timestamp(pending.submittedAt)}","${this.#timestamp(now)}",${pending.status}`,
        );
      }
      return record('cds');
    }
    const stored = this.#modem.storage('SR').store({
      stat: 0,
      pdu: pdu.hex,
      tpduLength: pdu.tpduLength,
      address: pending.to,
      timestamp: this.#timestamp(pending.submittedAt),
      text: '',
      kind: 'status-report',
      report: { firstOctet: pdu.firstOctet, mr: pending.mr, dischargeTime: this.#timestamp(now), status: pending.status },
    });
    if (stored === undefined) return false;
    this.#deps.urc(`+CDSI: "SR",${stored.index}`);
    return record('cdsi');
  }

  #timestamp(date: Date): string {
    return textTimestamp(date, this.#modem.identity.carrier.tzQuarterHours);
  }
}
