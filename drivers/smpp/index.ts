/**
 * The SMPP transport: an ESME connector (bind pool, window, per-segment throttling) behind the Driver interface, an
 * I/O shell over the pure protocol in drivers/smpp-protocol.
 */
import { SmppConnector } from './smpp-connector.ts';

export { SmppConnector } from './smpp-connector.ts';
export type { SmppConnectorOptions } from './smpp-connector.ts';
export { realClock } from './clock.ts';
export type { Cancel, Schedule, SmppClock } from './clock.ts';
export { connectSocket } from './socket-factory.ts';
export type { SmppEndpoint, SmppSocket, SocketFactory } from './socket-factory.ts';
export { parseSmppConfig } from './config.ts';
export type {
  AddressRule,
  AddressingConfig,
  BindMode,
  CarriageForm,
  InboundConfig,
  ReconnectConfig,
  SmppConfig,
  ThrottleConfig,
  TlsConfig,
  UnknownOutcomePolicy,
} from './config.ts';
export { SMPP_ERRORS, SmppError, queryStatusError, smppError, submitStatusError } from './errors.ts';
export type { SmppErrorCode } from './errors.ts';
export { smppAddress, addressFromSmpp } from './addressing.ts';
export type { SmppAddress } from './addressing.ts';
export { reconnectDelay } from './backoff.ts';
export { AdaptiveRate } from './adaptive-rate.ts';
export { judgeQueryAnswer } from './query-judge.ts';

/** Builds a connector from an unvalidated configuration (throws SMPP_INVALID_CONFIG naming the field). */
export function createSmppConnector(config: unknown): SmppConnector {
  return new SmppConnector(config);
}
