/**
 * query_sm and its answer, SMPP 3.4 section 4.8:
 *   query_sm (0x00000003)       message_id      C-Octet String, max 65 (as submit_sm_resp gave it)
 *                               source_addr_ton Integer, 1
 *                               source_addr_npi Integer, 1
 *                               source_addr     C-Octet String, max 21 (the originator of the queried message)
 *   query_sm_resp (0x80000003)  message_id      C-Octet String, max 65
 *                               final_date      C-Octet String, 1 or 17 (section 7.1.1; NULL while not final)
 *                               message_state   Integer, 1 (section 5.2.28)
 *                               error_code      Integer, 1 (network error code of a failed delivery)
 * An answer with a non-zero command_status, and a generic_nack, carry no body. The request is encoded by the smpp
 * package (its lib/defs.js has this grammar); the answer is read here so final_date stays as the SMSC wrote it.
 * `decodeQueryAnswer` never throws on a command_status; `judgeQueryAnswer` turns an answer into an outcome.
 */
import { MESSAGE_STATE_TO_RECEIPT_STATE, isFinalState } from '../codec/index.ts';
import type { QueryOutcome } from '../transport/index.ts';
import { parseAbsoluteTime } from './absolute-time.ts';
import type { SmppAddress } from './addressing.ts';
import { ESME_RINVCMDID, ESME_ROK } from './command-status.ts';
import { queryStatusError, smppError } from './errors.ts';
import { CMD, Pdu } from './smpp-lib.ts';

/** Section 5.2.23: message_id is at most 64 characters (65 octets with its NUL). */
export const MAX_MESSAGE_ID = 64;

export interface QuerySmFields {
  readonly messageId: string;
  readonly source: SmppAddress;
}

/** The query_sm PDU; the bind patches sequence_number when it writes it. */
export function encodeQuerySm(fields: QuerySmFields, sequence = 1): Buffer {
  return new Pdu('query_sm', {
    sequence_number: sequence,
    message_id: fields.messageId,
    source_addr_ton: fields.source.ton,
    source_addr_npi: fields.source.npi,
    source_addr: fields.source.addr,
  }).toBuffer();
}

/** The body of an ESME_ROK query_sm_resp, field for field. */
export interface QuerySmRespBody {
  readonly messageId: string;
  /** As sent: '' (NULL) or the 16-character absolute time. */
  readonly finalDate: string;
  readonly messageState: number;
  readonly errorCode: number;
}

/** What answered a query_sm: its query_sm_resp, or a generic_nack. */
export interface QueryAnswer {
  readonly command: 'query_sm_resp' | 'generic_nack';
  readonly status: number;
  readonly sequence: number;
  /** Present when the command_status is ESME_ROK and the command is query_sm_resp. */
  readonly body?: QuerySmRespBody;
}

/** Reads a query_sm_resp or generic_nack frame; throws SMPP_PROTOCOL only when a body field overruns the PDU. */
export function decodeQueryAnswer(frame: Buffer): QueryAnswer {
  const commandId = frame.readUInt32BE(4);
  const status = frame.readUInt32BE(8);
  const sequence = frame.readUInt32BE(12);
  if (commandId !== CMD.query_sm_resp && commandId !== CMD.generic_nack) {
    throw smppError('SMPP_PROTOCOL', `0x${commandId.toString(16).padStart(8, '0')} does not answer a query_sm`, { commandId });
  }
  const command = commandId === CMD.query_sm_resp ? 'query_sm_resp' : 'generic_nack';
  if (command === 'generic_nack' || status !== ESME_ROK) return { command, status, sequence };
  let offset = 16;
  const overrun = (field: string): never => {
    throw smppError('SMPP_PROTOCOL', `${field} overruns the query_sm_resp`, { field, commandId });
  };
  // SMPP 3.4 5.2.23 / 7.1.1: message_id is at most 65 octets, final_date 17, each with its NUL.
  const cString = (field: string, max: number): string => {
    const nul = frame.subarray(offset, offset + max).indexOf(0);
    if (nul < 0) overrun(field);
    const value = frame.toString('latin1', offset, offset + nul);
    offset += nul + 1;
    return value;
  };
  const octet = (field: string): number => (offset < frame.length ? (frame[offset++] as number) : overrun(field));
  const messageId = cString('message_id', 65);
  const finalDate = cString('final_date', 17);
  const messageState = octet('message_state');
  const errorCode = octet('error_code');
  return { command, status, sequence, body: { messageId, finalDate, messageState, errorCode } };
}

/**
 * The outcome of a query for `carrierMessageId` (the normalized id the gateway knows, kept in the outcome whatever
 * spelling travelled). A message_state outside section 5.2.28 is state `unknown`, not final: nothing says it ended.
 */
export function judgeQueryAnswer(answer: QueryAnswer, carrierMessageId: string, details: Record<string, unknown> = {}): QueryOutcome {
  const body = answer.body;
  if (body === undefined) {
    // A generic_nack without a status still says the command was not understood.
    const status = answer.command === 'generic_nack' && answer.status === ESME_ROK ? ESME_RINVCMDID : answer.status;
    return { status: 'failed', error: queryStatusError(status, { ...details, command: answer.command }) };
  }
  const known = MESSAGE_STATE_TO_RECEIPT_STATE[body.messageState];
  const state = known ?? 'unknown';
  const doneAt = parseAbsoluteTime(body.finalDate);
  return {
    status: 'found',
    carrierMessageId,
    state,
    final: known !== undefined && isFinalState(state),
    raw: {
      messageState: body.messageState,
      errorCode: body.errorCode,
      ...(body.finalDate === '' ? {} : { finalDate: body.finalDate }),
    },
    ...(doneAt === undefined ? {} : { doneAt }),
  };
}
