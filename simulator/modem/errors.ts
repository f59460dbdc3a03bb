import { CodedError, errorFactory, type ErrorTable } from '../../common/index.ts';

/** Every way the virtual modem refuses its own configuration or control requests (not AT errors: those are replies). */
export const MODEMSIM_ERRORS = {
  MODEMSIM_INVALID_OPTION: { message: 'invalid virtual modem option', retriable: false },
  MODEMSIM_CONFIG_FILE: { message: 'virtual modem configuration file cannot be used', retriable: false },
  MODEMSIM_UNKNOWN_SCENARIO: { message: 'unknown virtual modem scenario', retriable: false },
  MODEMSIM_INVALID_INBOUND: { message: 'inbound message cannot be injected', retriable: false },
  MODEMSIM_SOCAT_MISSING: { message: 'socat is not installed (it provides the pseudo-terminal)', retriable: false },
  MODEMSIM_LINK_BUSY: { message: 'the link path exists and is not a link this modem made', retriable: false },
  MODEMSIM_LINK_FAILED: { message: 'the pseudo-terminal did not appear', retriable: true },
  MODEMSIM_CLOSED: { message: 'the virtual modem is closed', retriable: false },
  MODEMSIM_TIMEOUT: { message: 'what was waited for did not happen in time', retriable: true },
  MODEMSIM_BAD_REQUEST: { message: 'control API request not understood', retriable: false },
} as const satisfies ErrorTable<string>;

export type ModemSimErrorCode = keyof typeof MODEMSIM_ERRORS;

export class ModemSimError extends CodedError<ModemSimErrorCode> {}

/** The one way this module builds its errors: `details` names the bad field or value. */
export const modemSimError = errorFactory<ModemSimErrorCode, ModemSimError>(MODEMSIM_ERRORS, ModemSimError);
