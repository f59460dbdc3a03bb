/**
 * The gateway's own configuration sections: `server`, `accounts`, `connectors` and `dispatch`. The routing
 * sections (`carriers`, `routes`, `rules`, `senderRules`, `mnp`) of the same file belong to the router, and
 * each connector's body to its driver; each part validates its own and names the file and field when refusing.
 */
import { Ajv } from 'ajv';
import { describeSchemaError, isCodedError } from '../../common/index.ts';
import { parseOriginator } from '../../router/index.ts';
import { gatewayError } from '../errors.ts';
import { knownSections, unknownSections } from './config-sections.ts';
import { checkKeywordConfigs, KEYWORDS_SCHEMA } from './keywords-config.ts';
import type { AccountConfig } from '../accounts/account-registry.ts';
import type { KafkaSettings } from '../adapters/kafka/kafka-settings.ts';
import { AddressList } from '../net/address-list.ts';
import { UsageCalendar } from '../usage/usage-calendar.ts';
import type { LinkSettings } from '../short-links/link-service.ts';
import { SUPPRESSION_SETTINGS_SCHEMA } from '../suppressions/suppression-settings.ts';
import { VERIFY_SETTINGS_SCHEMA } from '../verification/verification-settings.ts';
import { WebhookTargets } from '../webhooks/webhook-targets.ts';
import { SEND_WINDOW_SCHEMA, sendWindowProblem } from '../windows/send-windows.ts';

export interface ConnectorEntry {
  readonly id: string;
  readonly type: 'smpp' | 'modem';
  /** The driver's own configuration (validated by the driver). */
  readonly [field: string]: unknown;
}

export interface GatewayConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** How long a client may take to send a request's headers, and the whole request (headers and body). */
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    /** How long an idle keep-alive connection stays open. */
    readonly keepAliveTimeoutMs: number;
    /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
    readonly metricsToken?: string;
    /** SHA-256 hex of the admin API's token (never the token itself); absent, the admin API is off. */
    readonly adminTokenHash?: string;
    /**
     * Load balancers in front (addresses or CIDR ranges) whose X-Forwarded-For is believed: a request from one of
     * them counts as coming from the address it forwarded for (allow-lists, per-address limits). Empty: none.
     */
    readonly trustProxy: readonly string[];
  };
  /** Webhook targets allowed beyond public unicast addresses: CIDR ranges, addresses, host names. */
  readonly webhooks: { readonly allow: readonly string[] };
  readonly accounts: readonly AccountConfig[];
  readonly connectors: readonly ConnectorEntry[];
  readonly dispatch: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly reclaimIdleMs: number;
    readonly leaseMs: number;
    readonly receiptTimeoutSeconds: number;
    readonly defaultValiditySeconds: number;
    readonly maxBacklogPerConnector: number;
  };
  /** Present when the file configures Kafka; KAFKA_BROKERS in the environment can supply or replace `brokers`. */
  readonly kafka?: Partial<Omit<KafkaSettings, 'topics'>> & { readonly topics?: Partial<KafkaSettings['topics']> };
  /** Usage reports and quotas: the IANA time zone of their days and months. */
  readonly usage: { readonly timeZone: string };
  /** The bounds of the memory mode (no REDIS_URL); ignored with Redis. See README "Memory mode limits". */
  readonly memory: MemorySettings;
  /** Short links (`/l/{code}`): see LinkSettings; without `baseUrl` links are made on the address the API listens on. */
  readonly links: LinkSettings;
  /** The web console at /console (see api/console). */
  readonly console: ConsoleConfig;
}

export interface MemorySettings {
  /** Finished messages kept for reads (the oldest finished go first). */
  readonly maxFinalMessages: number;
  /** Messages on their way at most; at it new ones get GW_BACKLOG_FULL (bound "store"). */
  readonly maxPendingMessages: number;
  /** Usage `once` markers kept against double counting. */
  readonly maxUsageMarkers: number;
  /** Carrier ids of lately submitted parts held beside the store. */
  readonly recentCorrelations: number;
}

export interface ConsoleConfig {
  readonly enabled: boolean;
  /** Seals the session cookies; processes behind one address need the same one (else each has its own random key). */
  readonly sessionSecret?: string;
  readonly sessionTtlMinutes: number;
  /** The cookie's Secure flag; browsers keep Secure cookies on http://localhost and 127.0.0.1 too. */
  readonly secureCookie: boolean;
}

const SCHEMA = {
  type: 'object',
  required: ['accounts', 'connectors'],
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
        headersTimeoutMs: { type: 'integer', minimum: 1, default: 10000 },
        trustProxy: { type: 'array', items: { type: 'string' }, default: [] },
        requestTimeoutMs: { type: 'integer', minimum: 1, default: 60000 },
        keepAliveTimeoutMs: { type: 'integer', minimum: 1, default: 5000 },
        metricsToken: { type: 'string', minLength: 32 },
        adminTokenHash: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
      },
    },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { allow: { type: 'array', items: { type: 'string' }, default: [] } },
    },
    accounts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'apiKeyHashes'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
          name: { type: 'string' },
          apiKeyHashes: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } },
          defaultCountry: { type: 'string', pattern: '^[A-Z]{2}$' },
          requireMobile: { type: 'boolean' },
          maxParts: { type: 'integer', minimum: 1, maximum: 255 },
          shiftTables: { type: 'boolean' },
          defaultSender: { type: 'string', minLength: 1, maxLength: 32 },
          verify: VERIFY_SETTINGS_SCHEMA,
          callbackUrl: { type: 'string', pattern: '^https?://' },
          callbackSecret: { type: 'string', minLength: 16 },
          inboundUrl: { type: 'string', pattern: '^https?://' },
          numbers: { type: 'array', items: { type: 'string', pattern: '^\\+?[0-9]{3,15}$' } },
          allowedIps: { type: 'array', minItems: 1, items: { type: 'string' } },
          sendWindow: SEND_WINDOW_SCHEMA,
          suppression: SUPPRESSION_SETTINGS_SCHEMA,
          limits: {
            type: 'object',
            additionalProperties: false,
            properties: { requestsPerSecond: { type: 'number', exclusiveMinimum: 0 }, messagesPerSecond: { type: 'number', exclusiveMinimum: 0 } },
          },
          keywords: KEYWORDS_SCHEMA,
          timeZone: { type: 'string', minLength: 1 },
          consoleUsers: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'passwordHash', 'role'],
              properties: {
                name: { type: 'string', pattern: '^[A-Za-z0-9_.@-]{1,64}$' },
                passwordHash: { type: 'string', pattern: '^\\$argon2(id|i|d)\\$' },
                role: { enum: ['operator', 'viewer'] },
              },
            },
          },
          quotas: {
            type: 'object',
            additionalProperties: false,
            properties: { daily: { $ref: '#/$defs/quota' }, monthly: { $ref: '#/$defs/quota' } },
          },
        },
      },
    },
    connectors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'type'],
        properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' }, type: { enum: ['smpp', 'modem'] } },
      },
    },
    dispatch: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxAttempts: { type: 'integer', minimum: 1, maximum: 100, default: 12 },
        baseDelayMs: { type: 'integer', minimum: 1, default: 2000 },
        maxDelayMs: { type: 'integer', minimum: 1, default: 300000 },
        reclaimIdleMs: { type: 'integer', minimum: 1000, default: 60000 },
        leaseMs: { type: 'integer', minimum: 1000, maximum: 600000, default: 30000 },
        receiptTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 2592000, default: 259200 },
        defaultValiditySeconds: { type: 'integer', minimum: 60, maximum: 2592000, default: 172800 },
        maxBacklogPerConnector: { type: 'integer', minimum: 1, default: 1000000 },
      },
    },
    usage: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { timeZone: { type: 'string', minLength: 1, default: 'UTC' } },
    },
    memory: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxFinalMessages: { type: 'integer', minimum: 1, maximum: 10000000, default: 10000 },
        maxPendingMessages: { type: 'integer', minimum: 1, maximum: 10000000, default: 200000 },
        maxUsageMarkers: { type: 'integer', minimum: 2, maximum: 10000000, default: 20000 },
        recentCorrelations: { type: 'integer', minimum: 2, maximum: 10000000, default: 10000 },
      },
    },
    links: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        baseUrl: { type: 'string', pattern: '^https?://[^/?#\\s]+/?$' },
        codeLength: { type: 'integer', minimum: 8, maximum: 32, default: 10 },
        defaultTtlSeconds: { type: 'integer', minimum: 60, maximum: 31622400, default: 2592000 },
        graceSeconds: { type: 'integer', minimum: 0, maximum: 31622400, default: 2592000 },
        appendToken: { type: 'boolean', default: false },
        tokenParam: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,32}$', default: 't' },
      },
    },
    console: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        sessionSecret: { type: 'string', minLength: 32 },
        sessionTtlMinutes: { type: 'integer', minimum: 5, maximum: 10080, default: 480 },
        secureCookie: { type: 'boolean', default: true },
      },
    },
    kafka: {
      type: 'object',
      additionalProperties: false,
      properties: {
        brokers: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[^\\s:]+:[0-9]{1,5}$' } },
        clientId: { type: 'string', minLength: 1 },
        createTopics: { type: 'boolean' },
        partitions: { type: 'integer', minimum: 1, maximum: 1000 },
        replicationFactor: { type: 'integer', minimum: 1, maximum: 10 },
        compression: { enum: ['none', 'gzip'] },
        groupPrefix: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' },
        eventGroups: { enum: ['shared', 'separate'] },
        outboxLimit: { type: 'integer', minimum: 1 },
        receiptHoldMs: { type: 'integer', minimum: 0, maximum: 3600000 },
        fetchMinBytes: { type: 'integer', minimum: 1, maximum: 10485760 },
        fetchMaxWaitMs: { type: 'integer', minimum: 0, maximum: 5000 },
        partEvents: { enum: ['all', 'multipart'] },
        sessionTimeoutMs: { type: 'integer', minimum: 6000, maximum: 300000 },
        commitIntervalMs: { type: 'integer', minimum: 0, maximum: 60000 },
        spillAfterMs: { type: 'integer', minimum: 100, maximum: 60000 },
        topics: {
          type: 'object',
          additionalProperties: false,
          properties: {
            receipts: { $ref: '#/$defs/topic' },
            events: { $ref: '#/$defs/topic' },
            inbound: { $ref: '#/$defs/topic' },
            unmatched: { $ref: '#/$defs/topic' },
            suppressions: { $ref: '#/$defs/topic' },
            verifications: { $ref: '#/$defs/topic' },
            campaigns: { $ref: '#/$defs/topic' },
          },
        },
      },
    },
  },
  $defs: {
    topic: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,249}$' },
    quota: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { messages: { type: 'integer', minimum: 1 }, segments: { type: 'integer', minimum: 1 } },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validate = ajv.compile(SCHEMA);


/** Validates the gateway's sections of a parsed configuration document (defaults filled in). */
export function parseGatewayConfig(document: unknown, fileName: string): GatewayConfig {
  const invalid = (field: string, problem: string, details: Record<string, unknown> = {}) =>
    gatewayError('GW_INVALID_CONFIG', `${fileName}: ${field} ${problem}`, { file: fileName, field, ...details });
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalid('(root)', 'must be a mapping of sections (server, accounts, connectors, routes, ...)');
  }
  const unknown = unknownSections(document);
  if (unknown.length > 0) {
    throw invalid(unknown[0] ?? '', `${unknown.length > 1 ? `(and ${unknown.slice(1).join(', ')}) ` : ''}is not a known section; known: ${knownSections().join(', ')}`, { unknown });
  }
  const copy = structuredClone(document);
  if (!validate(copy)) {
    const described = (validate.errors ?? []).map((error) => describeSchemaError(error, '(root)'));
    const problems = described.map(({ field, problem }) => `${fileName}: ${field} ${problem}`);
    throw gatewayError('GW_INVALID_CONFIG', problems.join('; '), { file: fileName, field: described[0]?.field ?? '' });
  }
  const config = copy as unknown as GatewayConfig;
  const ids = new Set<string>();
  config.connectors.forEach((connector, index) => {
    if (ids.has(connector.id)) throw gatewayError('GW_INVALID_CONFIG', `${fileName}: connectors[${index}].id "${connector.id}" is used twice`, { file: fileName, field: `connectors[${index}].id` });
    ids.add(connector.id);
  });
  checkAccountsApart(config.accounts, invalid);
  const admin = config.server.adminTokenHash?.toLowerCase();
  config.accounts.forEach((account, a) => {
    const h = account.apiKeyHashes.findIndex((hash) => hash.toLowerCase() === admin);
    if (h >= 0) throw invalid(`accounts[${a}].apiKeyHashes[${h}]`, 'is server.adminTokenHash: the admin token must not also be an account key');
  });
  checkDefaultSenders(config.accounts, invalid);
  config.accounts.forEach((account, a) => {
    const problem = account.sendWindow === undefined ? undefined : sendWindowProblem(account.sendWindow, `accounts[${a}].sendWindow`);
    if (problem !== undefined) throw invalid(problem[0], problem[1]);
  });
    checkKeywordConfigs(config.accounts, invalid);
  if (config.dispatch.baseDelayMs > config.dispatch.maxDelayMs) {
    throw invalid('dispatch.baseDelayMs', `(${config.dispatch.baseDelayMs}) is above dispatch.maxDelayMs (${config.dispatch.maxDelayMs}): the first backoff ceiling must not exceed the last`, {
      other: 'dispatch.maxDelayMs',
    });
  }
  checkSecurity(config, fileName);
  checkConsoleUsers(config.accounts, invalid);
  try {
    new UsageCalendar(config.usage.timeZone);
  } catch (error: unknown) {
    throw invalid('usage.timeZone', isCodedError(error) ? `"${config.usage.timeZone}" is not an IANA time zone (e.g. UTC, Asia/Tokyo)` : String(error));
  }
  return config;
}

/** Each account's console users have distinct names, and an account's time zone is one Intl knows. */
function checkConsoleUsers(accounts: readonly AccountConfig[], invalid: (field: string, problem: string, details?: Record<string, unknown>) => Error): void {
  accounts.forEach((account, a) => {
    const names = new Set<string>();
    (account.consoleUsers ?? []).forEach((user, u) => {
      if (names.has(user.name)) throw invalid(`accounts[${a}].consoleUsers[${u}].name`, `"${user.name}" is used twice in this account`);
      names.add(user.name);
    });
    if (account.timeZone === undefined) return;
    try {
      new UsageCalendar(account.timeZone);
    } catch {
      throw invalid(`accounts[${a}].timeZone`, `"${account.timeZone}" is not an IANA time zone (e.g. Asia/Tokyo)`);
    }
  });
}

/**
 * Two accounts may not share an id, an API key hash or an inbound number: the gateway would silently give the
 * requests or the inbound messages of one to the other (the last one wins). The refusal names both fields.
 */
function checkAccountsApart(accounts: readonly AccountConfig[], invalid: (field: string, problem: string, details?: Record<string, unknown>) => Error): void {
  const seen = new Map<string, string>();
  const claim = (kind: string, value: string, field: string, shown: string): void => {
    const first = seen.get(`${kind}\u0000${value}`);
    if (first !== undefined) throw invalid(field, `${shown} is already used by ${first}; each account needs its own`, { other: first });
    seen.set(`${kind}\u0000${value}`, field);
  };
  accounts.forEach((account, a) => {
    claim('id', account.id, `accounts[${a}].id`, `"${account.id}"`);
    // A hash is not a secret, but the refusal needs no more than the two fields that hold it.
    account.apiKeyHashes.forEach((hash, h) => claim('key', hash.toLowerCase(), `accounts[${a}].apiKeyHashes[${h}]`, 'this API key hash'));
    (account.numbers ?? []).forEach((number, n) => claim('number', number.replace(/^\+/, ''), `accounts[${a}].numbers[${n}]`, `number "${number}"`));
  });
}

/** A default sender must be an originator the router takes (alphanumeric, short code or number), or every submit without `from` would fail. */
function checkDefaultSenders(accounts: readonly AccountConfig[], invalid: (field: string, problem: string, details?: Record<string, unknown>) => Error): void {
  accounts.forEach((account, a) => {
    if (account.defaultSender === undefined) return;
    try {
      parseOriginator(account.defaultSender, account.defaultCountry);
    } catch (error: unknown) {
      if (!isCodedError(error)) throw error;
      throw invalid(`accounts[${a}].defaultSender`, `"${account.defaultSender}" is not a valid originator (${error.message})`);
    }
  });
}

/** Address lists parse, timeouts nest, and account callbacks can be signed and go to allowed targets. */
function checkSecurity(config: GatewayConfig, fileName: string): void {
  const refuse = (field: string, problem: string): never => {
    throw gatewayError('GW_INVALID_CONFIG', `${fileName}: ${field} ${problem}`, { file: fileName, field });
  };
  if (config.server.headersTimeoutMs > config.server.requestTimeoutMs) refuse('server.headersTimeoutMs', 'must not exceed server.requestTimeoutMs');
  AddressList.parse(config.server.trustProxy, 'server.trustProxy', { file: fileName });
  const targets = new WebhookTargets(AddressList.parse(config.webhooks.allow, 'webhooks.allow', { hosts: true, file: fileName }));
  config.accounts.forEach((account, index) => {
    if (account.allowedIps !== undefined) AddressList.parse(account.allowedIps, `accounts[${index}].allowedIps`, { file: fileName });
    for (const key of ['callbackUrl', 'inboundUrl'] as const) {
      const url = account[key];
      if (url === undefined) continue;
      if (account.callbackSecret === undefined) refuse(`accounts[${index}].${key}`, 'needs accounts[].callbackSecret: callbacks are signed, and unsigned ones would be dropped');
      const refusal = targets.refusal(url);
      if (refusal !== undefined) refuse(`accounts[${index}].${key}`, refusal);
    }
  });
}
