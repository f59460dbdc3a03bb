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
 * package (its lib/defs.js has this grammar), the answer by pdu-writer.ts. Decoders never throw and never judge a
 * command_status: problems come back as data.
 */
import { COMMAND_ID } from './commands.ts';
import { PduCursor, type PduProblem } from './pdu-cursor.ts';
import { Pdu } from './smpp-lib.ts';

export interface QuerySm {
  readonly messageId: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly sourceAddr: string;
}

/** The query_sm PDU; an ESME patches sequence_number when it writes it. */
export function encodeQuerySm(fields: QuerySm, sequence = 1): Buffer {
  return new Pdu('query_sm', {
    sequence_number: sequence,
    message_id: fields.messageId,
    source_addr_ton: fields.sourceTon,
    source_addr_npi: fields.sourceNpi,
    source_addr: fields.sourceAddr,
  }).toBuffer();
}

const NO_PROBLEMS: readonly PduProblem[] = [];

/** Reads a query_sm; `request` is undefined when a field could not be read at all. */
export function decodeQuerySm(frame: Buffer): { readonly request: QuerySm | undefined; readonly problems: readonly PduProblem[] } {
  const at = new PduCursor(frame);
  const messageId = at.cString('message_id', 65);
  if (messageId === '' && !at.fatal) at.note('message_id', 'empty');
  const sourceTon = at.octet('source_addr_ton');
  const sourceNpi = at.octet('source_addr_npi');
  const sourceAddr = at.cString('source_addr', 21);
  if (!at.fatal && at.offset !== frame.length) at.note('source_addr', 'trailing');
  return { request: at.fatal ? undefined : { messageId, sourceTon, sourceNpi, sourceAddr }, problems: at.problems ?? NO_PROBLEMS };
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
  /** Present when the command_status is ESME_ROK, the command is query_sm_resp and every field could be read. */
  readonly body?: QuerySmRespBody;
  /** A command_id that answers no query_sm, a field cut short or too long: the answer cannot be trusted. */
  readonly problems: readonly PduProblem[];
}

/** Reads a query_sm_resp or generic_nack frame. */
export function decodeQueryAnswer(frame: Buffer): QueryAnswer {
  const commandId = frame.readUInt32BE(4);
  const status = frame.readUInt32BE(8);
  const sequence = frame.readUInt32BE(12);
  const command = commandId === COMMAND_ID.query_sm_resp ? 'query_sm_resp' : 'generic_nack';
  if (commandId !== COMMAND_ID.query_sm_resp && commandId !== COMMAND_ID.generic_nack) {
    return { command, status, sequence, problems: [{ field: 'command_id', kind: 'unexpected' }] };
  }
  if (command === 'generic_nack' || status !== 0) return { command, status, sequence, problems: NO_PROBLEMS };
  const at = new PduCursor(frame);
  const messageId = at.cString('message_id', 65);
  const finalDate = at.cString('final_date', 17);
  const messageState = at.octet('message_state');
  const errorCode = at.octet('error_code');
  if (at.problems !== undefined) return { command, status, sequence, problems: at.problems };
  return { command, status, sequence, body: { messageId, finalDate, messageState, errorCode }, problems: NO_PROBLEMS };
}
