import { CodedError, errorFactory, type ErrorTable } from '../common/index.ts';

/**
 * Every way the router refuses input or cannot decide. Retriable only where waiting can change the answer:
 * a connector coming back up, or the porting store / HLR service answering again.
 */
export const ROUTE_ERRORS = {
  ROUTE_NUMBER_UNPARSABLE: { message: 'destination is not a phone number', retriable: false },
  ROUTE_NUMBER_NO_COUNTRY: { message: 'national number without a default country, or unknown country calling code', retriable: false },
  ROUTE_NUMBER_TOO_SHORT: { message: 'number is too short', retriable: false },
  ROUTE_NUMBER_TOO_LONG: { message: 'number is too long', retriable: false },
  ROUTE_NUMBER_INVALID: { message: 'number is not valid for its region', retriable: false },
  ROUTE_NUMBER_NOT_MOBILE: { message: 'number is not a mobile number and the account requires one', retriable: false },
  ROUTE_SENDER_INVALID: { message: 'invalid originator', retriable: false },
  ROUTE_SENDER_NOT_ALLOWED: { message: 'no connector of the route accepts this originator and no rewrite applies', retriable: false },
  ROUTE_NO_RULE: { message: 'no routing rule matches', retriable: false },
  ROUTE_UNKNOWN_ROUTE: { message: 'rule names a route that does not exist', retriable: false },
  ROUTE_NO_HEALTHY_CONNECTOR: { message: 'every connector of the route is down', retriable: true },
  ROUTE_CONFIG_INVALID: { message: 'invalid routing configuration', retriable: false },
  ROUTE_RANGE_DATA_INVALID: { message: 'invalid carrier range data', retriable: false },
  ROUTE_PORTING_ROW_INVALID: { message: 'invalid number portability row', retriable: false },
  ROUTE_PORTING_UNAVAILABLE: { message: 'number portability store is unavailable', retriable: true },
  ROUTE_HLR_FAILED: { message: 'external HLR/MNP lookup failed', retriable: true },
  ROUTE_INVALID_OPTION: { message: 'invalid router option', retriable: false },
} as const satisfies ErrorTable<string>;

export type RouteErrorCode = keyof typeof ROUTE_ERRORS;

export class RouteError extends CodedError<RouteErrorCode> {}

/** The one way router modules build their errors: `details` names the bad field or value. */
export const routeError = errorFactory<RouteErrorCode, RouteError>(ROUTE_ERRORS, RouteError);
