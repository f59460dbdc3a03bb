/**
 * The judge an SMSC applies to what `decodeMessageBody` and `decodeQuerySm` report: the command_status it answers a
 * body with, from the first problem in field order (SMPP 3.4 section 5.1.3 names a status for most fields).
 */
import { STATUS } from './command-status.ts';
import type { PduProblem } from './pdu-cursor.ts';

const FIELD_STATUS: Readonly<Record<string, number>> = {
  service_type: STATUS.ESME_RINVSERTYP,
  source_addr_ton: STATUS.ESME_RINVSRCADR,
  source_addr_npi: STATUS.ESME_RINVSRCADR,
  source_addr: STATUS.ESME_RINVSRCADR,
  dest_addr_ton: STATUS.ESME_RINVDSTADR,
  dest_addr_npi: STATUS.ESME_RINVDSTADR,
  destination_addr: STATUS.ESME_RINVDSTADR,
  esm_class: STATUS.ESME_RINVESMCLASS,
  schedule_delivery_time: STATUS.ESME_RINVSCHED,
  validity_period: STATUS.ESME_RINVEXPIRY,
  message_id: STATUS.ESME_RINVMSGID,
};

/** ESME_ROK when there is no problem; otherwise the status for the first one. */
export function problemStatus(problems: readonly PduProblem[]): number {
  const first = problems[0];
  if (first === undefined) return STATUS.ESME_ROK;
  switch (first.kind) {
    case 'tlv-truncated':
      return first.field === 'TLV header' ? STATUS.ESME_RINVTLVSTREAM : STATUS.ESME_RINVTLVLEN;
    case 'tlv-length':
      return STATUS.ESME_RINVTLVLEN;
    case 'sar-incomplete':
      return STATUS.ESME_RMISSINGTLV;
    case 'sar-range':
      return STATUS.ESME_RINVTLVVAL;
    case 'trailing':
      return STATUS.ESME_RINVCMDLEN;
    default:
      // The lengths and flags around short_message, and short_message itself, are a bad message length.
      return FIELD_STATUS[first.field] ?? STATUS.ESME_RINVMSGLEN;
  }
}
