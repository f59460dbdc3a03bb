/**
 * SMPP 3.4 as data and pure functions, shared by the ESME driver (drivers/smpp) and the simulated SMSC
 * (simulator/smsc): command ids, command statuses with `retriable`, TLV tags and body values, the frame reader, the
 * message body decoder and encoders, query_sm, section 7.1.1 times, and the `smpp` package's PDU class. No I/O and
 * no clock. Decoders read tolerantly and report problems as data; each side judges them (`problemStatus` for an
 * SMSC's answer, the driver's SMPP_* errors for an ESME).
 */
export { COMMAND_ID, COMMAND_NAME_BY_ID, RESPONSE_BIT, responseId } from './commands.ts';
export type { CommandName } from './commands.ts';
export { COMMAND_STATUSES, STATUS, commandStatus, commandStatusByName, knownStatusName, statusValue } from './command-status.ts';
export type { CommandStatusRow, StatusName } from './command-status.ts';
export { ESM_CLASS, MAX_MESSAGE_ID, MAX_SHORT_MESSAGE, MESSAGE_STATE_BY_STAT, TLV_TAG } from './fields.ts';
export type { ReceiptStat } from './fields.ts';
export { FrameReader, HEADER_LENGTH, MAX_PDU_LENGTH } from './frame-reader.ts';
export type { FrameProblem } from './frame-reader.ts';
export { PduCursor } from './pdu-cursor.ts';
export type { PduProblem, ProblemKind } from './pdu-cursor.ts';
export { decodeMessageBody } from './message-body.ts';
export type { DecodedMessageBody, MessageBody, MessageFields, SarFields } from './message-body.ts';
export { problemStatus } from './problem-status.ts';
export { cstringValue, encodeBindResp, encodeHeaderOnly, encodeMessageIdResp, encodeMessagePdu, encodeQuerySmResp } from './pdu-writer.ts';
export type { MessagePduFields, Tlv } from './pdu-writer.ts';
export { decodeQueryAnswer, decodeQuerySm, encodeQuerySm } from './query-sm.ts';
export type { QueryAnswer, QuerySm, QuerySmRespBody } from './query-sm.ts';
export { formatAbsoluteTime, parseAbsoluteTime, relativeValidity } from './smpp-time.ts';
export { Pdu, makePdu } from './smpp-lib.ts';
export type { SmppPdu, SmppPduClass } from './smpp-lib.ts';
