import { CodedError, errorFactory, type ErrorTable } from '../../common/index.ts';

/** Every way the SMSC simulator refuses its configuration, a control request or an injection. */
export const SIM_ERRORS = {
  SIM_INVALID_CONFIG: { message: 'invalid simulator configuration', retriable: false },
  SIM_CONFIG_FILE: { message: 'cannot read the simulator configuration file', retriable: false },
  SIM_UNKNOWN_SCENARIO: { message: 'unknown scenario', retriable: false },
  SIM_UNKNOWN_CARRIER: { message: 'unknown carrier', retriable: false },
  SIM_INVALID_REQUEST: { message: 'invalid control request', retriable: false },
  SIM_MESSAGE_NOT_FOUND: { message: 'no recorded message with this id', retriable: false },
  SIM_NO_RECEIVER: { message: 'no bound receiver or transceiver to deliver to', retriable: true },
  SIM_MO_ENCODING: { message: 'the mobile-originated text cannot be encoded', retriable: false },
  SIM_LISTEN_FAILED: { message: 'cannot listen on the requested address', retriable: false },
  SIM_CLOSED: { message: 'the simulator is closed', retriable: false },
} as const satisfies ErrorTable<string>;

export type SimErrorCode = keyof typeof SIM_ERRORS;

export class SimError extends CodedError<SimErrorCode> {}

/** The one way simulator modules build their errors: `details` names the bad field or value. */
export const simError = errorFactory<SimErrorCode, SimError>(SIM_ERRORS, SimError);
