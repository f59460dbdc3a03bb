/** The SMPP transport: an ESME connector (bind pool, window, per-segment throttling) behind the Driver interface. */
import { SmppConnector } from './smpp-connector.ts';

export { SmppConnector } from './smpp-connector.ts';
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
export { COMMAND_STATUSES, commandStatus, commandStatusByName } from './command-status.ts';
export type { CommandStatusRow } from './command-status.ts';
export { smppAddress, addressFromSmpp } from './addressing.ts';
export type { SmppAddress } from './addressing.ts';
export { reconnectDelay } from './backoff.ts';
export { AdaptiveRate } from './adaptive-rate.ts';
export { FrameReader, MAX_PDU_LENGTH } from './frame-reader.ts';
export { relativeValidity } from './validity.ts';
export { parseAbsoluteTime } from './absolute-time.ts';
export { decodeQueryAnswer, encodeQuerySm, judgeQueryAnswer, MAX_MESSAGE_ID } from './query-pdu.ts';
export type { QueryAnswer, QuerySmFields, QuerySmRespBody } from './query-pdu.ts';

/** Builds a connector from an unvalidated configuration (throws SMPP_INVALID_CONFIG naming the field). */
export function createSmppConnector(config: unknown): SmppConnector {
  return new SmppConnector(config);
}
