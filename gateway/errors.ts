import { CodedError, type ErrorTable } from '../common/index.ts';

/** Errors of the gateway core. */
export const GW_ERRORS = {
  GW_INVALID_CURSOR: { message: 'the listing cursor is not one this gateway issued', retriable: false },
  GW_STORE_UNAVAILABLE: { message: 'the message store did not answer', retriable: true },
  GW_CORRUPT_RECORD: { message: 'a stored message record could not be read', retriable: false },
} as const satisfies ErrorTable<string>;

export type GatewayErrorCode = keyof typeof GW_ERRORS;

export class GatewayError extends CodedError<GatewayErrorCode> {}

export function gatewayError(code: GatewayErrorCode, detail?: string, details?: Record<string, unknown>): GatewayError {
  return new GatewayError(code, GW_ERRORS[code], detail, details);
}
