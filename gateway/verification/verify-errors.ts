import { CodedError, errorFactory, type ErrorTable } from '../../common/index.ts';

/**
 * Errors of the verification service (one-time codes by SMS). `final` marks the refusals that end a verification:
 * a client seeing one starts a new verification rather than asking again.
 */
export const VERIFY_ERRORS = {
  VERIFY_NOT_FOUND: { message: 'no such verification', retriable: false, final: true },
  VERIFY_INVALID_REQUEST: { message: 'invalid verification request', retriable: false, final: false },
  VERIFY_EXPIRED: { message: 'the verification expired before it was approved', retriable: false, final: true },
  VERIFY_MAX_ATTEMPTS: { message: 'every attempt of the verification has been used', retriable: false, final: true },
  VERIFY_ALREADY_APPROVED: { message: 'the verification was already approved and cannot be checked again', retriable: false, final: true },
  VERIFY_CANCELED: { message: 'the verification was canceled', retriable: false, final: true },
  VERIFY_RESEND_TOO_SOON: { message: 'a code was sent to this number too recently', retriable: true, final: false },
  VERIFY_RATE_LIMITED: { message: 'too many verifications for this number or account; try again later', retriable: true, final: false },
  VERIFY_FRAUD_SUSPECTED: { message: 'verifications to this number range are refused: their rate looks like SMS pumping', retriable: true, final: false },
  VERIFY_COUNTRY_NOT_ALLOWED: { message: "the number's country is not allowed for this account's verifications", retriable: false, final: false },
  VERIFY_NOT_CONFIGURED: { message: 'verifications need a shared secret in this mode (SMSGW_VERIFY_SECRET)', retriable: false, final: false },
} as const satisfies ErrorTable<string, { message: string; retriable: boolean; final: boolean }>;

export type VerifyErrorCode = keyof typeof VERIFY_ERRORS;

export class VerifyError extends CodedError<VerifyErrorCode> {}

export const verifyError = errorFactory<VerifyErrorCode, VerifyError>(VERIFY_ERRORS, VerifyError);
