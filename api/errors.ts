/**
 * API errors and the one table that maps every error code the API can return to its HTTP status.
 * Bodies are always `{ code, message, field? }`.
 */
import { CodedError, type ErrorTable } from '../common/index.ts';

export const API_ERRORS = {
  API_UNAUTHORIZED: { message: 'missing or unknown API key', retriable: false },
  API_RATE_LIMITED: { message: 'rate limit exceeded', retriable: true },
  API_INVALID_BODY: { message: 'request body does not match the schema', retriable: false },
  API_INVALID_QUERY: { message: 'query parameters do not match the schema', retriable: false },
  API_BODY_NOT_UTF8: { message: 'request body is not valid UTF-8', retriable: false },
  API_BATCH_TOO_LARGE: { message: 'a batch holds at most 10,000 messages', retriable: false },
  API_NOT_FOUND: { message: 'no such resource', retriable: false },
  API_IP_NOT_ALLOWED: { message: "the client address is not in the account's allowedIps", retriable: false },
  API_BATCH_EXCEEDS_BURST: { message: "the batch holds more messages than the account's rate limit can ever admit at once", retriable: false },
  API_INTERNAL: { message: 'internal error', retriable: true },
} as const satisfies ErrorTable<string>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends CodedError<ApiErrorCode> {}

export function apiError(code: ApiErrorCode, detail?: string, details?: Record<string, unknown>): ApiError {
  return new ApiError(code, API_ERRORS[code], detail, details);
}

/** HTTP status per code; prefixes cover whole tables where every row shares a status. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  API_UNAUTHORIZED: 401,
  API_RATE_LIMITED: 429,
  API_INVALID_BODY: 400,
  API_INVALID_QUERY: 400,
  API_BODY_NOT_UTF8: 400,
  API_BATCH_TOO_LARGE: 413,
  API_NOT_FOUND: 404,
  API_IP_NOT_ALLOWED: 403,
  API_BATCH_EXCEEDS_BURST: 413,
  API_INTERNAL: 500,
  GW_NOT_FOUND: 404,
  GW_NOT_CANCELABLE: 409,
  GW_INVALID_CURSOR: 400,
  GW_INVALID_REQUEST: 400,
  GW_SCHEDULE_TOO_FAR: 400,
  GW_SCHEDULE_IN_PAST: 400,
  GW_CONTROL_CHARACTER: 400,
  GW_IDEMPOTENCY_CONFLICT: 409,
  GW_CALLBACK_URL_REFUSED: 400,
  GW_CALLBACK_WITHOUT_SECRET: 422,
  GW_STORE_UNAVAILABLE: 503,
  GW_EVENTS_UNAVAILABLE: 503,
  GW_EVENTS_BACKLOGGED: 503,
  GW_BACKLOG_FULL: 503,
  GW_CORRUPT_RECORD: 500,
  GW_DRIVER_FAILED: 502,
  ROUTE_NO_HEALTHY_CONNECTOR: 503,
  ROUTE_PORTING_UNAVAILABLE: 503,
  ROUTE_HLR_FAILED: 503,
  ROUTE_NO_RULE: 422,
  ROUTE_UNKNOWN_ROUTE: 500,
  ROUTE_CONFIG_INVALID: 500,
  ROUTE_SENDER_NOT_ALLOWED: 422,
  CODEC_TOO_MANY_PARTS: 422,
};

const STATUS_BY_PREFIX: readonly [string, number][] = [
  ['ROUTE_', 400],
  ['CODEC_', 400],
];

export function httpStatusFor(code: string): number {
  const exact = STATUS_BY_CODE[code];
  if (exact !== undefined) return exact;
  for (const [prefix, status] of STATUS_BY_PREFIX) if (code.startsWith(prefix)) return status;
  return 500;
}
