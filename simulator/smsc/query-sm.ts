/**
 * query_sm as the simulated SMSC answers it, SMPP 3.4 section 4.8:
 *   query_sm       message_id (C-Octet String, max 65), source_addr_ton, source_addr_npi, source_addr (max 21)
 *   query_sm_resp  message_id (max 65), final_date (C-Octet String, NULL or 16 characters of section 7.1.1.1),
 *                  message_state (1 octet, section 5.2.28), error_code (1 octet)
 * A message is found by the id submit_sm_resp gave it, for the account that submitted it and the originator it was
 * submitted from; anything else is ESME_RQUERYFAIL, as an SMSC answers for an id it does not know.
 */
import { formatReceiptDate } from '../../drivers/codec/index.ts';
import type { PartState } from './message-records.ts';
import type { QuerySmRespFields } from './pdu-writer.ts';
import { Reader } from './sm-body.ts';
import { MESSAGE_STATE_BY_STAT, STATUS } from './smpp-constants.ts';

export interface QuerySmRequest {
  readonly messageId: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly sourceAddr: string;
}

export type QueryBodyResult =
  | { readonly ok: true; readonly request: QuerySmRequest }
  | { readonly ok: false; readonly status: number; readonly problem: string };

/** Reads a query_sm body whose fields start at `start` (16 in a whole PDU, 12 after command_length). */
export function parseQueryBody(pdu: Buffer, start = 16): QueryBodyResult {
  const r = new Reader(pdu, start);
  const messageId = r.cstring(65);
  if (messageId === undefined || messageId === '') return { ok: false, status: STATUS.ESME_RINVMSGID, problem: 'message_id' };
  const sourceTon = r.u8();
  const sourceNpi = r.u8();
  const sourceAddr = r.cstring(21);
  if (sourceTon === undefined || sourceNpi === undefined || sourceAddr === undefined) return { ok: false, status: STATUS.ESME_RINVSRCADR, problem: 'source_addr' };
  if (r.offset !== pdu.length) return { ok: false, status: STATUS.ESME_RINVCMDLEN, problem: 'octets after source_addr' };
  return { ok: true, request: { messageId, sourceTon, sourceNpi, sourceAddr } };
}

/** Section 7.1.1.1 absolute time in UTC: "YYMMDDhhmmsst00+". */
export function absoluteTime(ms: number): string {
  const d = new Date(ms);
  return `${formatReceiptDate(d, true)}${Math.floor(d.getUTCMilliseconds() / 100)}00+`;
}

/** The answer to a query: the state of the part, or the command_status when it is not this account's to know. */
export function queryAnswer(request: QuerySmRequest, state: PartState | undefined, systemId: string): { status: 0; fields: QuerySmRespFields } | { status: number } {
  const stripPlus = (a: string): string => (a.startsWith('+') ? a.slice(1) : a);
  if (state === undefined || state.systemId !== systemId || stripPlus(state.from) !== stripPlus(request.sourceAddr)) {
    return { status: STATUS.ESME_RQUERYFAIL };
  }
  return {
    status: 0,
    fields: {
      messageId: request.messageId,
      finalDate: state.doneAt === undefined ? '' : absoluteTime(state.doneAt),
      messageState: MESSAGE_STATE_BY_STAT[state.stat],
      // Appendix B `err` runs to 999; error_code is one octet.
      errorCode: Math.min(state.err, 0xff),
    },
  };
}
