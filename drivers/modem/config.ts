import { Ajv, type ErrorObject } from 'ajv';
import { describeSchemaError } from '../../common/index.ts';
import { modemError } from './errors.ts';
import type { SelectionStrategy } from './select-modem.ts';

/**
 * Configuration of one modem pool (one connector). Validated once by `parseModemPoolConfig`, which fills the
 * defaults, so the rest of the driver reads only the resolved shape.
 */

export interface ModemQuirks {
  readonly init?: readonly string[];
  readonly iccidCommand?: string | null;
  readonly cnmi?: string;
  readonly storage?: readonly [string, string, string];
  readonly commandDelayMs?: number;
  readonly ackDirect?: boolean;
  readonly softReset?: string;
  readonly eps?: boolean;
}

export interface ModemConfig {
  /** Name in logs and health; default the IMEI once known. */
  readonly id?: string;
  /** Where to look first (best a /dev/serial/by-id link); the modem is still re-found by identity. */
  readonly path?: string;
  /** The modem's identity: a port answering another IMEI / ICCID is not this modem. */
  readonly imei?: string;
  readonly iccid?: string;
  /** SIM PIN, entered once when the SIM asks; a rejected PIN is never entered again. */
  readonly pin?: string;
  /** The SIM's own number, reported as the destination of inbound messages. */
  readonly msisdn?: string;
  /** Other names of the SIM's carrier (as routing names it), beside the network name from AT+COPS?. */
  readonly carriers: readonly string[];
  /** Profile name; default chosen from AT+CGMI / AT+CGMM. */
  readonly profile?: string;
  readonly quirks: ModemQuirks;
  /** Parts (SMS) per minute; default the pool's. */
  readonly ratePerMinute?: number;
  /** Parts per UTC day for this SIM; default the pool's. */
  readonly dailyCap?: number;
}

export interface ModemPoolConfig {
  readonly id: string;
  readonly modems: readonly ModemConfig[];
  /** Patterns rescanned to re-find a modem that went away ("*" and "?" in the last segment). */
  readonly scan: readonly string[];
  readonly strategy: SelectionStrategy;
  readonly ratePerMinute: number;
  /** Parts per UTC day per SIM; null for no cap. */
  readonly dailyCap: number | null;
  readonly baudRate: number;
  /** Timeout overrides by command name ("+CMGS", "default", ...), in ms. */
  readonly timeouts: Readonly<Record<string, number>>;
  readonly promptTimeoutMs: number;
  readonly reconnect: { readonly initialMs: number; readonly maxMs: number };
  /** Consecutive command timeouts (in use or during start-up) after which the soft reset command is sent. */
  readonly softResetAfter: number;
  /** How long start-up waits for network registration before the modem counts as down. */
  readonly registrationWaitMs: number;
  /** Signal and registration poll; 0 disables it. */
  readonly pollMs: number;
  /** How long a sent part is remembered to match its status report. */
  readonly receiptTtlMs: number;
  /** Parts of a concatenated inbound message older than this are handed on as incomplete. */
  readonly reassemblyTimeoutMs: number;
}

const QUIRKS = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    init: { type: 'array', items: { type: 'string', pattern: '^AT' } },
    iccidCommand: { type: ['string', 'null'], pattern: '^AT' },
    cnmi: { type: 'string', pattern: '^AT\\+CNMI=' },
    storage: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'string', pattern: '^[A-Z]{2}$' } },
    commandDelayMs: { type: 'integer', minimum: 0, maximum: 10000 },
    ackDirect: { type: 'boolean' },
    softReset: { type: 'string', pattern: '^AT' },
    eps: { type: 'boolean' },
  },
} as const;

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'modems'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' },
    modems: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' },
          path: { type: 'string', minLength: 1 },
          imei: { type: 'string', pattern: '^\\d{14,16}$' },
          iccid: { type: 'string', pattern: '^[0-9A-Fa-f]{18,22}$' },
          pin: { type: 'string', pattern: '^\\d{4,8}$' },
          msisdn: { type: 'string', pattern: '^\\+?\\d{3,15}$' },
          carriers: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
          profile: { enum: ['generic', 'huawei', 'quectel', 'simcom', 'sierra'] },
          quirks: QUIRKS,
          ratePerMinute: { type: 'number', exclusiveMinimum: 0, maximum: 600 },
          dailyCap: { type: 'integer', minimum: 1 },
        },
      },
    },
    scan: { type: 'array', items: { type: 'string', minLength: 1 }, default: ['/dev/serial/by-id/*', '/dev/ttyUSB*', '/dev/ttyACM*'] },
    strategy: { enum: ['round-robin', 'carrier-affinity'], default: 'carrier-affinity' },
    ratePerMinute: { type: 'number', exclusiveMinimum: 0, maximum: 600, default: 10 },
    dailyCap: { type: ['integer', 'null'], minimum: 1, default: null },
    baudRate: { type: 'integer', minimum: 300, default: 115200 },
    timeouts: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 }, default: {} },
    promptTimeoutMs: { type: 'integer', minimum: 1, default: 10000 },
    reconnect: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        initialMs: { type: 'integer', minimum: 1, default: 1000 },
        maxMs: { type: 'integer', minimum: 1, default: 60000 },
      },
    },
    softResetAfter: { type: 'integer', minimum: 1, default: 3 },
    registrationWaitMs: { type: 'integer', minimum: 0, default: 30000 },
    pollMs: { type: 'integer', minimum: 0, default: 30000 },
    receiptTtlMs: { type: 'integer', minimum: 1, default: 3 * 86_400_000 },
    reassemblyTimeoutMs: { type: 'integer', minimum: 1, default: 300000 },
  },
} as const;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(SCHEMA);

function describe(error: ErrorObject): { field: string; problem: string } {
  return describeSchemaError(error, '(root)');
}

/** Validates a modem pool configuration and fills its defaults; throws MODEM_INVALID_CONFIG naming the field. */
export function parseModemPoolConfig(input: unknown): ModemPoolConfig {
  const candidate: unknown = structuredClone(input);
  if (!validate(candidate)) {
    const described = (validate.errors ?? []).map(describe);
    const first = described[0] ?? { field: '(root)', problem: 'invalid' };
    throw modemError('MODEM_INVALID_CONFIG', `${first.field} ${first.problem}`, { field: first.field, problems: described });
  }
  const config = candidate as ModemPoolConfig;
  if (config.reconnect.maxMs < config.reconnect.initialMs) {
    throw modemError('MODEM_INVALID_CONFIG', 'reconnect.maxMs is below reconnect.initialMs', { field: 'reconnect.maxMs' });
  }
  const seen = new Set<string>();
  config.modems.forEach((modem, i) => {
    if (modem.path === undefined && modem.imei === undefined) {
      throw modemError('MODEM_INVALID_CONFIG', `modems.${i} needs a path or an imei`, { field: `modems.${i}.path` });
    }
    for (const key of [modem.imei, modem.iccid, modem.id].filter((k): k is string => k !== undefined)) {
      if (seen.has(key)) throw modemError('MODEM_INVALID_CONFIG', `modems.${i} repeats ${key}`, { field: `modems.${i}`, value: key });
      seen.add(key);
    }
  });
  return config;
}
