import { CodedError, type ErrorTable } from '../../common/index.ts';
import { commandStatus } from './command-status.ts';

/**
 * Every way the SMPP driver reports a problem. Rows for SMSC answers are split by whether the
 * command_status is retriable (see `command-status.ts`), so `retriable` of the code and of the error agree.
 */
export const SMPP_ERRORS = {
  SMPP_INVALID_CONFIG: { message: 'invalid SMPP connector configuration', retriable: false },
  SMPP_INVALID_ADDRESS: { message: 'address cannot be carried in SMPP', retriable: false },
  SMPP_INVALID_REQUEST: { message: 'send request cannot be carried by this connector', retriable: false },
  SMPP_SUBMIT_REJECTED: { message: 'SMSC rejected the submit_sm permanently', retriable: false },
  SMPP_SUBMIT_TEMPORARY: { message: 'SMSC refused the submit_sm for now', retriable: true },
  SMPP_THROTTLED: { message: 'SMSC kept throttling the submit_sm', retriable: true },
  SMPP_SUBMIT_TIMEOUT: { message: 'no submit_sm_resp within the submit timeout', retriable: true },
  SMPP_CONNECTION_LOST: { message: 'connection lost before the submit_sm_resp arrived', retriable: true },
  SMPP_NOT_BOUND: { message: 'no bind could take the part in time', retriable: true },
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
export function smppError(
  code: SmppErrorCode,
  detail?: string,
  details?: Record<string, unknown>,
  options?: ErrorOptions,
): SmppError {
  return new SmppError(code, SMPP_ERRORS[code], detail, details, options);
}

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
