import { CodedError, errorFactory, type ErrorTable } from '../../common/index.ts';

/** Every way the codec refuses input. None is retriable: the same input fails the same way. */
export const CODEC_ERRORS = {
  CODEC_UNPAIRED_SURROGATE: { message: 'text contains an unpaired UTF-16 surrogate', retriable: false },
  CODEC_NOT_GSM7: { message: 'text has characters outside the GSM 7-bit alphabet and its allowed shift tables', retriable: false },
  CODEC_LONE_ESCAPE: { message: 'GSM 7-bit data ends with an escape (0x1B) that has no following septet', retriable: false },
  CODEC_INVALID_SEPTET: { message: 'GSM 7-bit data has a value above 0x7F', retriable: false },
  CODEC_ODD_UCS2_LENGTH: { message: 'UCS-2 data has an odd number of octets', retriable: false },
  CODEC_INVALID_HEX: { message: 'invalid hexadecimal string', retriable: false },
  CODEC_TRUNCATED_PDU: { message: 'PDU ends before a field it announces', retriable: false },
  CODEC_UDL_BEYOND_DATA: { message: 'user data length exceeds the octets present', retriable: false },
  CODEC_INVALID_UDH: { message: 'malformed user data header', retriable: false },
  CODEC_UNKNOWN_DCS: { message: 'unknown or reserved data coding scheme', retriable: false },
  CODEC_UNSUPPORTED_DCS: { message: 'data coding is valid but its character set or compression is not supported', retriable: false },
  CODEC_NOT_IA5: { message: 'text has characters outside IA5 (ASCII) for data_coding 0x01', retriable: false },
  CODEC_UNSUPPORTED_PDU_TYPE: { message: 'PDU type (TP-MTI) not supported', retriable: false },
  CODEC_INVALID_ADDRESS: { message: 'invalid address', retriable: false },
  CODEC_TOO_MANY_PARTS: { message: 'message needs more parts than allowed', retriable: false },
  CODEC_PAYLOAD_TOO_LONG: { message: 'payload does not fit the carriage form', retriable: false },
  CODEC_INVALID_OPTION: { message: 'invalid codec option', retriable: false },
  CODEC_INVALID_RECEIPT: { message: 'not a delivery receipt text', retriable: false },
  CODEC_INVALID_TIMESTAMP: { message: 'invalid timestamp', retriable: false },
} as const satisfies ErrorTable<string>;

export type CodecErrorCode = keyof typeof CODEC_ERRORS;

export class CodecError extends CodedError<CodecErrorCode> {}

/** The one way codec modules build their errors: `details` names the bad field or value. */
export const codecError = errorFactory<CodecErrorCode, CodecError>(CODEC_ERRORS, CodecError);
