import { CodedError, errorFactory, type ErrorTable } from '../../common/index.ts';
import { STATUS, commandStatus, type PduProblem } from '../smpp-protocol/index.ts';

/**
 * Every way the SMPP driver reports a problem. Rows for SMSC answers are split by whether the
 * command_status is retriable (see the protocol's `command-status.ts`), so `retriable` of the code and of the error agree.
 */
export const SMPP_ERRORS = {
  SMPP_INVALID_CONFIG: { message: 'invalid SMPP connector configuration', retriable: false },
  SMPP_INVALID_ADDRESS: { message: 'address cannot be carried in SMPP', retriable: false },
  SMPP_INVALID_REQUEST: { message: 'send request cannot be carried by this connector', retriable: false },
  SMPP_SUBMIT_REJECTED: { message: 'SMSC rejected the submit_sm permanently', retriable: false },
  SMPP_SUBMIT_TEMPORARY: { message: 'SMSC refused the submit_sm for now', retriable: true },
  SMPP_THROTTLED: { message: 'SMSC kept throttling the submit_sm', retriable: true },
  SMPP_SUBMIT_TIMEOUT: { message: 'no submit_sm_resp within the submit timeout', retriable: true },
  SMPP_CONNECTION_LOST: { message: 'connection lost before the SMSC answered', retriable: true },
  SMPP_NOT_BOUND: { message: 'no bind could take the PDU in time', retriable: true },
  // Accepted (ESME_ROK) without an id: the part left, yet nothing can match its receipt; a resend would duplicate it.
  SMPP_EMPTY_MESSAGE_ID: { message: 'SMSC accepted the submit_sm but gave no message_id', retriable: false },
  SMPP_QUERY_NOT_SUPPORTED: { message: 'query_sm is not offered by this connector or its SMSC', retriable: false },
  SMPP_QUERY_FAILED: { message: 'SMSC could not query the message (unknown or expired id)', retriable: false },
  SMPP_QUERY_REJECTED: { message: 'SMSC refused the query_sm permanently', retriable: false },
  SMPP_QUERY_TEMPORARY: { message: 'SMSC refused the query_sm for now', retriable: true },
  SMPP_QUERY_TIMEOUT: { message: 'no query_sm_resp within the submit timeout', retriable: true },
  SMPP_CLOSED: { message: 'connector closed before the part was sent', retriable: true },
  SMPP_BIND_REJECTED: { message: 'SMSC refused the bind', retriable: false },
  SMPP_BIND_TIMEOUT: { message: 'no bind response within the timeout', retriable: true },
  SMPP_CONNECT_FAILED: { message: 'cannot connect to the SMSC', retriable: true },
  SMPP_ENQUIRE_LINK_TIMEOUT: { message: 'SMSC did not answer enquire_link in time', retriable: true },
  SMPP_UNBOUND_BY_PEER: { message: 'SMSC unbound the session', retriable: true },
  SMPP_PROTOCOL: { message: 'malformed or unexpected PDU from the SMSC', retriable: true },
} as const satisfies ErrorTable<string>;

export type SmppErrorCode = keyof typeof SMPP_ERRORS;

export class SmppError extends CodedError<SmppErrorCode> {}

/** The one way driver modules build their errors: `details` names the bad field or value. */
export const smppError = errorFactory<SmppErrorCode, SmppError>(SMPP_ERRORS, SmppError);

/** Judges a non-zero command_status of a submit_sm_resp or generic_nack (decode and judge stay apart). */
export function submitStatusError(status: number, details: Record<string, unknown> = {}): SmppError {
  const row = commandStatus(status);
  const code: SmppErrorCode = row.retriable ? 'SMPP_SUBMIT_TEMPORARY' : 'SMPP_SUBMIT_REJECTED';
  return smppError(code, `${row.name} (0x${status.toString(16).padStart(2, '0')}): ${row.message}`, {
    ...details,
    commandStatus: status,
    statusName: row.name,
  });
}

/**
 * Judges a non-zero command_status answering a query_sm (in query_sm_resp or generic_nack): a command the SMSC does
 * not offer, an id it does not know, or the retriable split of the rest.
 */
export function queryStatusError(status: number, details: Record<string, unknown> = {}): SmppError {
  const row = commandStatus(status);
  let code: SmppErrorCode;
  if (status === STATUS.ESME_RINVCMDID || status === STATUS.ESME_RPROHIBITED) code = 'SMPP_QUERY_NOT_SUPPORTED';
  else if (status === STATUS.ESME_RQUERYFAIL || status === STATUS.ESME_RINVMSGID) code = 'SMPP_QUERY_FAILED';
  else code = row.retriable ? 'SMPP_QUERY_TEMPORARY' : 'SMPP_QUERY_REJECTED';
  return smppError(code, `${row.name} (0x${status.toString(16).padStart(2, '0')}): ${row.message}`, {
    ...details,
    commandStatus: status,
    statusName: row.name,
  });
}

/**
 * Judges what a decoder reported about a PDU the SMSC sent: SMPP_PROTOCOL naming the first problem. An ESME reads
 * SMSC PDUs tolerantly, so only problems that left a field unreadable reach here.
 */
export function protocolError(problems: readonly PduProblem[], details: Record<string, unknown> = {}): SmppError {
  const first = problems[0];
  const field = first?.field ?? 'PDU';
  const what = first?.kind === 'unexpected' ? `${field} does not answer the request` : `${field} overruns the PDU (${first?.kind ?? 'unreadable'})`;
  return smppError('SMPP_PROTOCOL', what, { ...details, field });
}
