import { Ajv, type ErrorObject } from 'ajv';
import { describeSchemaError } from '../../common/index.ts';
import { smppError } from './errors.ts';

/**
 * Configuration of one SMPP connector (one carrier account). Validated once by `parseSmppConfig`,
 * which fills the defaults, so the rest of the driver reads only the resolved shape.
 */

export interface AddressRule {
  readonly ton: number;
  readonly npi: number;
}

export interface AddressingConfig {
  /** `+` followed by digits (E.164). */
  readonly international: AddressRule;
  /** Digits longer than `shortCodeMaxDigits`, without `+`. */
  readonly national: AddressRule;
  /** Anything with a letter (sender ids, at most 11 characters). */
  readonly alphanumeric: AddressRule;
  /** Digits, at most `shortCodeMaxDigits` of them. */
  readonly shortCode: AddressRule;
  readonly shortCodeMaxDigits: number;
}

export interface ReconnectConfig {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
  /** Fraction of each delay drawn at random (0.2 = +-20 %), so many binds do not reconnect in lockstep. */
  readonly jitter: number;
}

export interface ThrottleConfig {
  /** Pause before a throttled part is tried again. */
  readonly pauseMs: number;
  /** Multiplicative decrease of the rate on ESME_RTHROTTLED / ESME_RMSGQFUL. */
  readonly decreaseFactor: number;
  /** Additive recovery per second, as a fraction of `maxTps` (or of the rate before the first throttle). */
  readonly recoveryPerSecond: number;
  /** Lowest rate the adaptation goes down to. */
  readonly minTps: number;
  /** Throttled answers for one part before it is reported failed (SMPP_THROTTLED, retriable). */
  readonly maxRetries: number;
}

export interface InboundConfig {
  /** Deliveries handed to the sink and not yet answered, per bind; beyond it the socket is no longer read. */
  readonly maxPendingPerBind: number;
  /** A sink slower than this gets the deliver_sm answered with ESME_RX_T_APPN so the SMSC retries. */
  readonly sinkTimeoutMs: number;
  /** Parts of a concatenated MO message older than this are delivered as incomplete. */
  readonly reassemblyTimeoutMs: number;
}

export type BindMode = 'transceiver' | 'transmitter-receiver';
export type CarriageForm = 'udh' | 'sar' | 'payload';
/**
 * What happens to a part whose submit_sm was written but never answered (connection lost, timeout):
 * `never-resend` reports it `unknown` (it may have reached the SMSC); `resend-once` writes it once more
 * on a live bind, accepting a possible duplicate, and reports `unknown` only if that fails too.
 */
export type UnknownOutcomePolicy = 'never-resend' | 'resend-once';

export interface TlsConfig {
  /** Default true. */
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
  /** PEM CA bundle for private carrier CAs. */
  readonly ca?: string;
}

export interface SmppConfig {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly tls: TlsConfig | false;
  readonly systemId: string;
  readonly password: string;
  readonly systemType: string;
  readonly interfaceVersion: number;
  readonly addressRange: string;
  readonly serviceType: string;
  readonly bindMode: BindMode;
  /** Transceivers, or transmitter + receiver pairs. */
  readonly binds: number;
  readonly addressing: AddressingConfig;
  /** registered_delivery used when a receipt is asked for (0x01 final; 0x11 adds intermediate notifications). */
  readonly registeredDelivery: number;
  readonly carriage: CarriageForm;
  /** data_coding for GSM 7-bit text: 0x00 (SMSC default alphabet) or 0x01 (IA5), as the carrier wants. */
  readonly gsmDataCoding: 0 | 1;
  /** submit_sm PDUs per second for the whole connector; 0 means no cap until the SMSC pushes back. */
  readonly maxTps: number;
  /** Outstanding submit_sm per bind. */
  readonly windowSize: number;
  readonly submitTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly enquireLinkIntervalMs: number;
  readonly enquireLinkTimeoutMs: number;
  /** A part waiting this long for a bind (none up) fails with SMPP_NOT_BOUND; it was never sent. */
  readonly queueTimeoutMs: number;
  readonly reconnect: ReconnectConfig;
  readonly unknownOutcome: UnknownOutcomePolicy;
  readonly throttle: ThrottleConfig;
  readonly inbound: InboundConfig;
  /** Carrier message ids remembered to match receipts that spell them differently (hex vs decimal). */
  readonly receiptIdMemory: number;
  /** Offer `query` (SMPP query_sm) to the gateway; off by default, since many SMSCs do not implement it. */
  readonly querySm: boolean;
}

const rule = (ton: number, npi: number): object => ({
  type: 'object',
  additionalProperties: false,
  required: ['ton', 'npi'],
  properties: { ton: { type: 'integer', minimum: 0, maximum: 6 }, npi: { type: 'integer', minimum: 0, maximum: 18 } },
  default: { ton, npi },
});

/** SMPP 3.4 section 4.1: C-octet string lengths include the terminating NUL, hence the -1. */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'host', 'port', 'systemId', 'password'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' },
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    tls: {
      default: false,
      oneOf: [
        { const: false },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            rejectUnauthorized: { type: 'boolean' },
            servername: { type: 'string' },
            ca: { type: 'string' },
          },
        },
      ],
    },
    systemId: { type: 'string', minLength: 1, maxLength: 15 },
    password: { type: 'string', maxLength: 8 },
    systemType: { type: 'string', maxLength: 12, default: '' },
    interfaceVersion: { type: 'integer', minimum: 0, maximum: 255, default: 0x34 },
    addressRange: { type: 'string', maxLength: 40, default: '' },
    serviceType: { type: 'string', maxLength: 5, default: '' },
    bindMode: { enum: ['transceiver', 'transmitter-receiver'], default: 'transceiver' },
    binds: { type: 'integer', minimum: 1, maximum: 64, default: 1 },
    addressing: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        international: rule(1, 1),
        national: rule(2, 1),
        alphanumeric: rule(5, 0),
        shortCode: rule(3, 0),
        shortCodeMaxDigits: { type: 'integer', minimum: 0, maximum: 15, default: 8 },
      },
    },
    registeredDelivery: { type: 'integer', minimum: 0, maximum: 0x1f, default: 0x01 },
    carriage: { enum: ['udh', 'sar', 'payload'], default: 'udh' },
    gsmDataCoding: { enum: [0, 1], default: 0 },
    maxTps: { type: 'number', minimum: 0, default: 0 },
    windowSize: { type: 'integer', minimum: 1, maximum: 10000, default: 10 },
    submitTimeoutMs: { type: 'integer', minimum: 10, default: 30000 },
    connectTimeoutMs: { type: 'integer', minimum: 10, default: 10000 },
    enquireLinkIntervalMs: { type: 'integer', minimum: 10, default: 30000 },
    enquireLinkTimeoutMs: { type: 'integer', minimum: 10, default: 10000 },
    queueTimeoutMs: { type: 'integer', minimum: 10, default: 60000 },
    reconnect: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        initialMs: { type: 'integer', minimum: 1, default: 1000 },
        maxMs: { type: 'integer', minimum: 1, default: 60000 },
        multiplier: { type: 'number', minimum: 1, default: 2 },
        jitter: { type: 'number', minimum: 0, maximum: 1, default: 0.2 },
      },
    },
    unknownOutcome: { enum: ['never-resend', 'resend-once'], default: 'never-resend' },
    throttle: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        pauseMs: { type: 'integer', minimum: 0, default: 1000 },
        decreaseFactor: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5 },
        recoveryPerSecond: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.1 },
        minTps: { type: 'number', exclusiveMinimum: 0, default: 1 },
        maxRetries: { type: 'integer', minimum: 0, default: 20 },
      },
    },
    inbound: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxPendingPerBind: { type: 'integer', minimum: 1, default: 100 },
        sinkTimeoutMs: { type: 'integer', minimum: 1, default: 10000 },
        reassemblyTimeoutMs: { type: 'integer', minimum: 1, default: 60000 },
      },
    },
    receiptIdMemory: { type: 'integer', minimum: 0, default: 200000 },
    querySm: { type: 'boolean', default: false },
  },
} as const;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true });
const validate = ajv.compile(SCHEMA);

function describe(error: ErrorObject): { field: string; problem: string } {
  return describeSchemaError(error, '(root)');
}

/** Validates a connector configuration and fills its defaults; throws SMPP_INVALID_CONFIG naming the field. */
export function parseSmppConfig(input: unknown): SmppConfig {
  const candidate: unknown = structuredClone(input);
  if (!validate(candidate)) {
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
    const described = (errors.length > 0 ? errors : (validate.errors ?? [])).map(describe);
    const first = described[0] ?? { field: '(root)', problem: 'invalid' };
    throw smppError('SMPP_INVALID_CONFIG', `${first.field} ${first.problem}`, {
      field: first.field,
      problems: described,
    });
  }
  const config = candidate as SmppConfig;
  if (config.tls !== false) {
    // ajv cannot fill defaults inside oneOf: verify certificates unless told otherwise.
    (config as { tls: TlsConfig }).tls = { ...config.tls, rejectUnauthorized: config.tls.rejectUnauthorized ?? true };
  }
  if (config.reconnect.maxMs < config.reconnect.initialMs) {
    throw smppError('SMPP_INVALID_CONFIG', 'reconnect.maxMs is below reconnect.initialMs', { field: 'reconnect.maxMs' });
  }
  return config;
}
