/**
 * 3GPP TS 23.040 clause 9.2.2.3 SMS-STATUS-REPORT, preceded by the SMSC information of TS 27.005 clause 3.1,
 * as a modem prints it in +CDS or +CMGR. Fields in order (no TP-PI, so no optional PID / DCS / UD):
 *   first octet: TP-MTI (bits 1-0 = 10), TP-MMS (bit 2, 1 = no more messages), TP-SRQ (bit 5, 0 = reports a SUBMIT)
 *   TP-MR   the message reference of the SMS-SUBMIT reported on
 *   TP-RA   recipient address (the submit's TP-DA)
 *   TP-SCTS when the SC received the submit
 *   TP-DT   discharge time: delivered, or last attempt / given up
 *   TP-ST   status (clause 9.2.3.15): 0x00 delivered, 0x2x temporary still trying, 0x4x permanent, 0x6x temporary stopped
 */
import { encodeScts, encodeSmscAddress, encodeTpAddress, toHex } from '../../drivers/codec/index.ts';

export interface StatusReportOptions {
  readonly messageReference: number;
  readonly recipient: string;
  readonly submittedAt: Date;
  readonly dischargedAt: Date;
  readonly status: number;
  readonly smsc?: string;
  readonly tzQuarterHours?: number;
}

export interface StatusReportPdu {
  readonly hex: string;
  readonly tpduLength: number;
  readonly firstOctet: number;
}

const MTI_STATUS_REPORT = 0x02;
const MMS_NO_MORE = 0x04;

export function buildStatusReportPdu(options: StatusReportOptions): StatusReportPdu {
  const smsc = encodeSmscAddress(options.smsc);
  const recipient = encodeTpAddress(options.recipient, 'TP-RA');
  const tz = options.tzQuarterHours ?? 0;
  const scts = encodeScts(options.submittedAt, tz);
  const dt = encodeScts(options.dischargedAt, tz);
  const firstOctet = MTI_STATUS_REPORT | MMS_NO_MORE;
  const bytes = new Uint8Array(smsc.length + 2 + recipient.length + scts.length + dt.length + 1);
  let i = 0;
  bytes.set(smsc, i);
  i += smsc.length;
  bytes[i++] = firstOctet;
  bytes[i++] = options.messageReference & 0xff;
  bytes.set(recipient, i);
  i += recipient.length;
  bytes.set(scts, i);
  i += scts.length;
  bytes.set(dt, i);
  i += dt.length;
  bytes[i] = options.status & 0xff;
  return { hex: toHex(bytes), tpduLength: bytes.length - smsc.length, firstOctet };
}
