import { CodedError, errorFactory, type ErrorTable } from '../../common/index.ts';

/**
 * What the loopback driver reports when a test's traffic breaks its script. Each is a failed expectation of the
 * test, not a carrier answer, so none is retriable: a retry would only hide it.
 */
export const LOOPBACK_ERRORS = {
  LOOPBACK_UNEXPECTED_SEND: { message: 'a send arrived that the test did not script', retriable: false },
  LOOPBACK_UNEXPECTED_QUERY: { message: 'a query arrived that the test did not script', retriable: false },
  LOOPBACK_NOT_STARTED: { message: 'traffic before start()', retriable: false },
  LOOPBACK_CLOSED: { message: 'traffic after close()', retriable: false },
  LOOPBACK_LINK_DOWN: { message: 'a send while no link is up', retriable: false },
  LOOPBACK_NOT_IDLE: { message: 'the loopback driver is not idle', retriable: false },
} as const satisfies ErrorTable<string>;

export type LoopbackErrorCode = keyof typeof LOOPBACK_ERRORS;

export class LoopbackError extends CodedError<LoopbackErrorCode> {}

export const loopbackError = errorFactory<LoopbackErrorCode, LoopbackError>(LOOPBACK_ERRORS, LoopbackError);
