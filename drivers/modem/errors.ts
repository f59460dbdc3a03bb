import { CodedError, errorFactory, type ErrorSpec, type ErrorTable } from '../../common/index.ts';

/**
 * Every way the modem driver reports a problem. Device codes (+CMS ERROR, +CME ERROR) are looked up in the AT
 * protocol's `CMS_CODES` / `CME_CODES` (drivers/at-protocol) and land on one of these codes, with the device number
 * and its 3GPP name in `details`, so callers still match on `code` and decide retries from `retriable`.
 * `linkLost`: the modem or its port stopped answering (no reply, no prompt, a reply that cannot be read, the
 * port gone), so the modem goes down and a part already written has an unknown outcome.
 */
export interface ModemErrorSpec extends ErrorSpec {
  readonly linkLost?: boolean;
}

export const MODEM_ERRORS = {
  MODEM_INVALID_CONFIG: { message: 'invalid modem configuration', retriable: false },
  MODEM_PORT_OPEN_FAILED: { message: 'could not open the serial port', retriable: true },
  MODEM_PORT_CLOSED: { message: 'the serial port closed or failed', retriable: true, linkLost: true },
  MODEM_TIMEOUT: { message: 'the modem did not answer the command in time', retriable: true, linkLost: true },
  MODEM_NO_PROMPT: { message: 'the modem did not give the "> " prompt for the PDU', retriable: true, linkLost: true },
  MODEM_COMMAND_ERROR: { message: 'the modem answered ERROR', retriable: false },
  MODEM_UNEXPECTED_REPLY: { message: 'the modem gave a reply the driver cannot read', retriable: true, linkLost: true },
  MODEM_CME_ERROR: { message: 'the modem refused the command (+CME ERROR)', retriable: false },
  MODEM_CME_TEMPORARY: { message: 'the modem could not do the command now (+CME ERROR)', retriable: true },
  MODEM_CMS_ERROR: { message: 'the message service refused (+CMS ERROR)', retriable: false },
  MODEM_CMS_TEMPORARY: { message: 'the message service failed for now (+CMS ERROR)', retriable: true },
  MODEM_SIM_NOT_INSERTED: { message: 'no SIM card in the modem', retriable: false },
  MODEM_SIM_PIN_REQUIRED: { message: 'the SIM needs a PIN and none is configured', retriable: false },
  MODEM_SIM_PIN_WRONG: { message: 'the SIM refused the configured PIN; it is not retried', retriable: false },
  MODEM_SIM_PUK_REQUIRED: { message: 'the SIM is blocked and needs its PUK', retriable: false },
  MODEM_SIM_FAILURE: { message: 'the SIM failed or is in an unexpected state', retriable: false },
  MODEM_NOT_REGISTERED: { message: 'the modem is not registered on a network', retriable: true },
  MODEM_REGISTRATION_DENIED: { message: 'the network denied registration', retriable: false },
  MODEM_IDENTITY_MISMATCH: { message: 'the port holds a different modem than configured', retriable: true },
  MODEM_NOT_FOUND: { message: 'no serial port holds the configured modem', retriable: true },
  MODEM_DOWN: { message: 'the modem is not up', retriable: true },
  MODEM_NOT_SENT: { message: 'the part was not written to the modem', retriable: true },
  MODEM_OUTCOME_UNKNOWN: {
    message: 'the part was written to the modem but no answer came: it may have been sent',
    retriable: false,
  },
  MODEM_NO_MODEM_AVAILABLE: { message: 'no modem of the pool is up now', retriable: true },
  MODEM_RATE_LIMITED: { message: 'the modem reached its messages-per-minute limit', retriable: true },
  MODEM_DAILY_CAP_REACHED: { message: 'the SIM reached its daily message cap; it sends again the next UTC day', retriable: true },
  MODEM_PDU_UNDECODABLE: { message: 'a PDU from the modem could not be decoded', retriable: false },
  MODEM_CLOSED: { message: 'the modem driver is closed; nothing was sent', retriable: true },
} as const satisfies ErrorTable<string, ModemErrorSpec>;

export type ModemErrorCode = keyof typeof MODEM_ERRORS;

/** Facts the modem's own steps branch on, typed beside the error rather than read from `details` (logs, clients). */
export interface ModemErrorFacts {
  /** The port open was given up on time but has not settled: its device stays claimed until it does. */
  readonly stillOpening?: true;
  /** The SIM refused the configured PIN (or asks for the PUK after it): the PIN is never sent again. */
  readonly pinRejected?: true;
}

export class ModemError extends CodedError<ModemErrorCode> {
  facts: ModemErrorFacts = {};
}

/** The one way modem modules build their errors: `details` names the bad field, command or device code. */
export const modemError = errorFactory<ModemErrorCode, ModemError>(MODEM_ERRORS, ModemError);

/** A modem error that carries facts its caller branches on. */
export function modemErrorWith(facts: ModemErrorFacts, ...args: Parameters<typeof modemError>): ModemError {
  const error = modemError(...args);
  error.facts = facts;
  return error;
}

/** True when the error means the modem or its port stopped answering (the table's `linkLost` column). */
export function isLinkLost(code: ModemErrorCode): boolean {
  const spec: ModemErrorSpec = MODEM_ERRORS[code];
  return spec.linkLost === true;
}
