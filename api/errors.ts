/**
 * API errors and the one table that maps every error code the API can return to its HTTP status.
 * Bodies are always `{ code, message, field?, details? }`.
 */
import { CodedError, errorFactory, isCodedError, type ErrorTable } from '../common/index.ts';
import { errorSchema } from './schemas.ts';

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
  API_METHOD_NOT_ALLOWED: { message: 'the path does not take this method', retriable: false },
  API_MALFORMED_REQUEST: { message: 'malformed HTTP request', retriable: false },
  API_HEADERS_TOO_LARGE: { message: 'request headers are too large', retriable: false },
  API_REQUEST_TIMEOUT: { message: 'the request did not arrive in time', retriable: true },
  API_EXPECTATION_FAILED: { message: 'unsupported Expect header: only 100-continue is understood', retriable: false },
  API_INVALID_URL: { message: 'the URL is not valid', retriable: false },
  API_PATH_PARAM_TOO_LONG: { message: 'a path parameter is too long', retriable: false },
  API_INVALID_HEADER: { message: 'request headers do not match the schema', retriable: false },
  API_INVALID_JSON: { message: 'request body is not valid JSON', retriable: false },
  API_EMPTY_BODY: { message: 'request body is empty', retriable: false },
  API_UNSUPPORTED_MEDIA_TYPE: { message: 'unsupported Content-Type: send application/json', retriable: false },
  API_BODY_TOO_LARGE: { message: 'request body is too large', retriable: false },
  API_INVALID_CSV: { message: 'the CSV file cannot be read (encoding, quoting, header row or size)', retriable: false },
  API_INVALID_CSV_ROW: { message: 'a CSV row was not applied (its line and column are named)', retriable: false },
  API_SHUTTING_DOWN: { message: 'the gateway is stopping; try again (another instance, or this one once restarted)', retriable: true },
  API_INTERNAL: { message: 'internal error', retriable: true },
  API_RELOAD_REFUSED: { message: 'the reloaded configuration was refused; the one in force stays', retriable: false },
  API_CSRF_INVALID: { message: 'the form carried no valid CSRF token (reload the page and try again)', retriable: false },
  API_CONSOLE_SIGNED_OUT: { message: 'the console session is missing, expired or no longer valid; sign in again', retriable: false },
  API_ROLE_FORBIDDEN: { message: "the console user's role does not allow this (viewers read only)", retriable: false },
} as const satisfies ErrorTable<string>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends CodedError<ApiErrorCode> {}

export const apiError = errorFactory<ApiErrorCode, ApiError>(API_ERRORS, ApiError);

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
  API_METHOD_NOT_ALLOWED: 405,
  API_MALFORMED_REQUEST: 400,
  API_HEADERS_TOO_LARGE: 431,
  API_REQUEST_TIMEOUT: 408,
  API_EXPECTATION_FAILED: 417,
  API_INVALID_URL: 400,
  API_PATH_PARAM_TOO_LONG: 414,
  API_INVALID_HEADER: 400,
  API_INVALID_JSON: 400,
  API_EMPTY_BODY: 400,
  API_UNSUPPORTED_MEDIA_TYPE: 415,
  API_BODY_TOO_LARGE: 413,
  API_INVALID_CSV: 400,
  API_INVALID_CSV_ROW: 400,
  API_SHUTTING_DOWN: 503,
  API_INTERNAL: 500,
  API_RELOAD_REFUSED: 422,
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
  GW_RECIPIENT_SUPPRESSED: 422,
  GW_SIGN_IN_FAILED: 401,
  GW_SIGN_IN_LIMITED: 429,
  API_CSRF_INVALID: 403,
  API_CONSOLE_SIGNED_OUT: 401,
  API_ROLE_FORBIDDEN: 403,
  GW_STORE_UNAVAILABLE: 503,
  GW_EVENTS_UNAVAILABLE: 503,
  GW_EVENTS_BACKLOGGED: 503,
  GW_BACKLOG_FULL: 503,
  GW_CORRUPT_RECORD: 500,
  GW_DRIVER_FAILED: 502,
  GW_QUOTA_EXCEEDED: 429,
  GW_INVALID_USAGE_QUERY: 400,
  ROUTE_NO_HEALTHY_CONNECTOR: 503,
  ROUTE_PORTING_UNAVAILABLE: 503,
  ROUTE_HLR_FAILED: 503,
  ROUTE_NO_RULE: 422,
  ROUTE_UNKNOWN_ROUTE: 500,
  ROUTE_CONFIG_INVALID: 500,
  ROUTE_SENDER_NOT_ALLOWED: 422,
  CODEC_TOO_MANY_PARTS: 422,
  VERIFY_NOT_FOUND: 404,
  VERIFY_INVALID_REQUEST: 400,
  VERIFY_EXPIRED: 410,
  VERIFY_MAX_ATTEMPTS: 409,
  VERIFY_ALREADY_APPROVED: 409,
  VERIFY_CANCELED: 409,
  VERIFY_RESEND_TOO_SOON: 429,
  VERIFY_RATE_LIMITED: 429,
  VERIFY_FRAUD_SUSPECTED: 403,
  VERIFY_COUNTRY_NOT_ALLOWED: 403,
  VERIFY_NOT_CONFIGURED: 503,
  CAMPAIGN_INVALID_REQUEST: 400,
  CAMPAIGN_INVALID_CSV: 400,
  CAMPAIGN_NO_PHONE_COLUMN: 400,
  CAMPAIGN_TOO_MANY_ROWS: 413,
  CAMPAIGN_INVALID_TEMPLATE: 400,
  CAMPAIGN_UNKNOWN_VARIABLE: 400,
  CAMPAIGN_LINKS_NOT_CONFIGURED: 422,
  // Row codes: listed per row in a 200 answer, never a request's status; 422 should one ever be thrown.
  CAMPAIGN_INVALID_ROW: 422,
  CAMPAIGN_INVALID_NUMBER: 422,
  CAMPAIGN_MISSING_VARIABLE: 422,
  CAMPAIGN_INVALID_TEXT: 422,
  CAMPAIGN_TOO_MANY_PARTS: 422,
  CAMPAIGN_NOT_ROUTABLE: 422,
  CAMPAIGN_RECIPIENT_SUPPRESSED: 422,
  CAMPAIGN_DUPLICATE_NUMBER: 422,
  CAMPAIGN_NOT_FOUND: 404,
  CAMPAIGN_BAD_STATE: 409,
  CAMPAIGN_NO_VALID_ROWS: 422,
  CAMPAIGN_MISSING_LINK_TARGET: 422,
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

/**
 * Fastify's own errors a client can cause, by their `FST_ERR_*` code: they answer with these API codes, so no
 * framework code ever reaches a client.
 */
export const FASTIFY_ERROR_CODES: Readonly<Record<string, ApiErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'API_INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'API_EMPTY_BODY',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'API_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'API_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'API_MALFORMED_REQUEST',
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: 'API_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_BAD_URL: 'API_INVALID_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'API_PATH_PARAM_TOO_LONG',
  FST_ERR_NOT_FOUND: 'API_NOT_FOUND',
};

/** Schema validation failures by where they were found (fastify's `validationContext`). */
export const VALIDATION_ERROR_CODES: Readonly<Record<string, ApiErrorCode>> = {
  body: 'API_INVALID_BODY',
  querystring: 'API_INVALID_QUERY',
  headers: 'API_INVALID_HEADER',
  params: 'API_INVALID_URL',
};

/** Node's HTTP parser errors (the server's 'clientError' event), by their `code`. */
export function parserErrorCode(nodeCode: string | undefined): ApiErrorCode {
  if (nodeCode === 'HPE_HEADER_OVERFLOW') return 'API_HEADERS_TOO_LARGE';
  if (nodeCode === 'ERR_HTTP_REQUEST_TIMEOUT') return 'API_REQUEST_TIMEOUT';
  return 'API_MALFORMED_REQUEST';
}

/**
 * Other 4xx answers of fastify or its plugins (the docs pages' static files) that carry no code of ours: the
 * closest API code by status; the answer then has that code's documented status.
 */
export function codeForClientStatus(status: number): ApiErrorCode {
  if (status === 404) return 'API_NOT_FOUND';
  if (status === 405) return 'API_METHOD_NOT_ALLOWED';
  if (status === 413) return 'API_BODY_TOO_LARGE';
  if (status === 415) return 'API_UNSUPPORTED_MEDIA_TYPE';
  if (status === 417) return 'API_EXPECTATION_FAILED';
  if (status === 431) return 'API_HEADERS_TOO_LARGE';
  return 'API_MALFORMED_REQUEST';
}

export interface ClientErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** The detail keys a client may see: the Error schema declares them (and so the OpenAPI documents them). */
const CLIENT_DETAIL_KEYS: readonly string[] = Object.keys(errorSchema.properties.details.properties);

/**
 * The body a client gets for a coded error. Only the details the Error schema declares go out, and only as
 * scalars: a layer may put anything in its details (a store's error text, a config file, the number or text at
 * fault) for logs and callers inside the process, and none of that reaches a client unless declared here. The
 * field at fault is the error's `field`, else its details' `field`.
 */
export function clientErrorBody(error: { readonly code: string; readonly message: string; readonly field?: string; readonly details?: Readonly<Record<string, unknown>> }): ClientErrorBody {
  const details: Record<string, string | number | boolean> = {};
  for (const key of CLIENT_DETAIL_KEYS) {
    const value = error.details?.[key];
    if (typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 64)) details[key] = value;
  }
  const detailField = error.details?.field;
  const field = error.field ?? (typeof detailField === 'string' ? detailField : undefined);
  return {
    code: error.code,
    message: error.message,
    ...(field === undefined ? {} : { field }),
    ...(Object.keys(details).length === 0 ? {} : { details }),
  };
}

/** What anything thrown becomes for a client: a coded error its own body, anything else (a bug) API_INTERNAL. */
export function errorForClient(error: unknown): ClientErrorBody {
  return isCodedError(error) ? clientErrorBody(error) : { code: 'API_INTERNAL', message: API_ERRORS.API_INTERNAL.message };
}
