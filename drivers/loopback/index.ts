/**
 * The loopback driver: a strict in-memory `Driver` for gateway and API tests whose subject is not a carrier's wire.
 * Nothing in the gateway, the API or the CLI wires it; tests build it and hand it to `new Gateway({ drivers })`.
 */
export { LoopbackDriver } from './loopback-driver.ts';
export type { LoopbackOptions, LoopbackPending } from './loopback-driver.ts';
export { failed, submitted, unknown } from './script.ts';
export type { PartAnswer, QueryScript, ReceiptScript, SendScript } from './script.ts';
export { LOOPBACK_ERRORS, LoopbackError, loopbackError } from './errors.ts';
export type { LoopbackErrorCode } from './errors.ts';
