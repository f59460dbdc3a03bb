import { CodedError, errorFactory, type ErrorTable } from '../common/index.ts';

/** Errors of the gateway core. */
export const GW_ERRORS = {
  GW_INVALID_CURSOR: { message: 'the listing cursor is not one this gateway issued', retriable: false },
  GW_STORE_UNAVAILABLE: { message: 'the message store did not answer', retriable: true },
  GW_CORRUPT_RECORD: { message: 'a stored message record could not be read', retriable: false },
  GW_INVALID_REQUEST: { message: 'invalid message request', retriable: false },
  GW_SCHEDULE_TOO_FAR: { message: 'scheduleAt is too far in the future', retriable: false },
  GW_SCHEDULE_IN_PAST: { message: 'scheduleAt is in the past', retriable: false },
  GW_CONTROL_CHARACTER: { message: 'text contains a control character other than LF and CR', retriable: false },
  GW_IDEMPOTENCY_CONFLICT: { message: 'the Idempotency-Key was already used with a different request', retriable: false },
  GW_DRIVER_FAILED: { message: 'the driver failed to send', retriable: true },
  GW_INVALID_CONFIG: { message: 'invalid gateway configuration', retriable: false },
  GW_NOT_FOUND: { message: 'no such message', retriable: false },
  GW_EVENTS_UNAVAILABLE: { message: 'neither Kafka nor the event outbox could take a record', retriable: true },
  GW_EVENTS_BACKLOGGED: { message: 'the event outbox is full while Kafka is unreachable; new messages are refused until it drains', retriable: true },
  GW_NOT_CANCELABLE: { message: 'the message is past the point where it can be canceled', retriable: false },
  GW_BACKLOG_FULL: { message: 'too many messages wait for this connector; new ones are refused until the backlog shrinks', retriable: true },
  GW_CALLBACK_URL_REFUSED: { message: 'the callback URL is not an allowed webhook target', retriable: false },
  GW_CALLBACK_WITHOUT_SECRET: { message: 'the account has no callbackSecret, so its callbacks cannot be signed', retriable: false },
  GW_QUOTA_EXCEEDED: { message: "the message would cross one of the account's quotas; details name it and when it resets", retriable: true },
  GW_INVALID_USAGE_QUERY: { message: 'the usage query is not valid', retriable: false },
  GW_RECIPIENT_SUPPRESSED: { message: 'the recipient is on the account suppression list; the message was not accepted', retriable: false },
  GW_SIGN_IN_FAILED: { message: 'the account, name and password (or the API key) do not sign in', retriable: false },
  GW_SIGN_IN_LIMITED: { message: 'too many sign-in attempts; wait before trying again', retriable: true },
  GW_RECEIPT_TIMEOUT: { message: 'no final receipt came for the part by the receipt timeout; its delivery is unknown', retriable: false },
} as const satisfies ErrorTable<string>;

export type GatewayErrorCode = keyof typeof GW_ERRORS;

export class GatewayError extends CodedError<GatewayErrorCode> {}

export const gatewayError = errorFactory<GatewayErrorCode, GatewayError>(GW_ERRORS, GatewayError);
