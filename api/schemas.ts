/** JSON schemas of the API: the single source of request validation, response serialization and OpenAPI. */
import { MESSAGE_STATUSES, PART_STATUSES } from '../gateway/index.ts';

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable error code (see the README error table)' },
    message: { type: 'string' },
    field: { type: 'string', description: 'The request field that was wrong, when one was' },
    details: {
      type: 'object',
      additionalProperties: false,
      description: 'Facts about the refusal, when the code has any; only these keys are ever sent',
      properties: {
        parts: { type: 'integer', description: 'CODEC_TOO_MANY_PARTS: parts the message needs' },
        maxParts: { type: 'integer', description: "CODEC_TOO_MANY_PARTS: parts allowed (the request's, the account's or the carrier's limit, whichever is least)" },
        carrier: { type: 'string', description: 'CODEC_TOO_MANY_PARTS: the destination carrier whose profile the parts were counted for; ROUTE_SENDER_NOT_ALLOWED: the carrier whose sender rule refused' },
        carrierMaxParts: { type: 'integer', description: "CODEC_TOO_MANY_PARTS: the most parts that carrier takes (its profile)" },
        refSize: { type: 'integer', description: 'CODEC_TOO_MANY_PARTS: concatenation reference size in bits (16 leaves 66 UCS-2 characters a part, as docomo counts)' },
        encoding: { type: 'string', description: 'CODEC_TOO_MANY_PARTS: the encoding the parts were counted in' },
        index: { type: 'integer', description: 'CODEC_NOT_GSM7, CODEC_UNPAIRED_SURROGATE: UTF-16 index of the character in the field' },
        codePoint: { type: 'string', description: 'CODEC_NOT_GSM7: the character refused, as U+XXXX' },
        codeUnit: { type: 'string', description: 'CODEC_UNPAIRED_SURROGATE: the lone surrogate, as U+XXXX' },
        reason: { type: 'string', description: 'ROUTE_NUMBER_* and ROUTE_SENDER_INVALID: why the number or originator was refused; GW_RECIPIENT_SUPPRESSED: the entry reason (opt-out, manual, ...)' },
        since: { type: 'string', description: 'GW_RECIPIENT_SUPPRESSED: when the recipient was suppressed (ISO 8601)' },
        country: { type: 'string', description: 'ROUTE_NUMBER_*: the country the number was read in; VERIFY_COUNTRY_NOT_ALLOWED: the number\'s country' },
        type: { type: 'string', description: 'ROUTE_NUMBER_NOT_MOBILE: the number type found' },
        limit: { type: 'integer', description: 'API_BODY_TOO_LARGE: the body limit in bytes; GW_BACKLOG_FULL: the backlog bound; GW_QUOTA_EXCEEDED: the quota; GW_INVALID_USAGE_QUERY and VERIFY_INVALID_REQUEST (verification statistics): the most days a range covers; VERIFY_RATE_LIMITED: the limit crossed; API_INVALID_CSV: the row limit' },
        period: { type: 'string', description: 'GW_QUOTA_EXCEEDED: the quota crossed, daily or monthly' },
        unit: { type: 'string', description: 'GW_QUOTA_EXCEEDED: what the quota counts, messages or segments' },
        used: { type: 'integer', description: 'GW_QUOTA_EXCEEDED: how much of the quota the period has used' },
        resetAt: { type: 'string', format: 'date-time', description: 'GW_QUOTA_EXCEEDED: when the period ends and the quota starts again (ISO 8601, UTC)' },
        bound: { type: 'string', enum: ['connector', 'store'], description: 'GW_BACKLOG_FULL: the bound reached, `connector` (dispatch.maxBacklogPerConnector) or `store` (the memory mode\'s memory.maxPendingMessages)' },
        connector: { type: 'string', description: 'GW_BACKLOG_FULL: the connector the message would wait on' },
        retryAfter: { type: 'integer', description: 'API_RATE_LIMITED, GW_BACKLOG_FULL, GW_QUOTA_EXCEEDED, VERIFY_RESEND_TOO_SOON, VERIFY_RATE_LIMITED, VERIFY_FRAUD_SUSPECTED: seconds to wait (as the Retry-After header)' },
        senderRule: { type: 'string', description: 'ROUTE_SENDER_NOT_ALLOWED: the sender rule that refused the originator (with `carrier`)' },
        status: { type: 'string', description: 'VERIFY_EXPIRED, VERIFY_MAX_ATTEMPTS, VERIFY_ALREADY_APPROVED, VERIFY_CANCELED: the verification\'s final status' },
        id: { type: 'string', description: 'VERIFY_*: the verification' },
        scope: { type: 'string', description: 'VERIFY_RATE_LIMITED: what was over its limit, `number` (codes sent to it) or `account`' },
        signal: { type: 'string', description: 'VERIFY_FRAUD_SUSPECTED: `velocity` (too many to one number range in an hour) or `conversion` (many codes sent to the range, too few approved)' },
        range: { type: 'string', description: 'VERIFY_FRAUD_SUSPECTED: the number range refused (the number without its last digits, then …)' },
        refusedBy: { type: 'string', description: 'API_RELOAD_REFUSED: the code of the refusal (GW_INVALID_CONFIG, ROUTE_CONFIG_INVALID, ...)' },
        line: { type: 'integer', description: 'The CSV line at fault (campaign input)' },
        variable: { type: 'string', description: 'The template variable at fault (campaign input)' },
      },
    },
  },
} as const;

export const submitBodySchema = {
  $id: 'SubmitMessage',
  type: 'object',
  additionalProperties: false,
  required: ['to'],
  properties: {
    to: { type: 'string', minLength: 1, maxLength: 32, description: 'Destination; national forms use the account default country' },
    from: { type: 'string', minLength: 1, maxLength: 20, description: 'Originator: alphanumeric (1-11), short code or number' },
    text: {
      type: 'string',
      minLength: 1,
      maxLength: 10_000,
      description: 'Not empty; no control characters other than LF and CR (GW_CONTROL_CHARACTER names the first one)',
    },
    binary: { type: 'string', pattern: '^([0-9A-Fa-f]{2})+$', maxLength: 4_000, description: 'Binary payload, hex' },
    udh: { type: 'string', pattern: '^([0-9A-Fa-f]{2})+$', maxLength: 280, description: 'User data header for binary, hex, UDHL first' },
    encoding: { type: 'string', enum: ['auto', 'gsm7', 'ucs2'], default: 'auto' },
    smart: { type: 'boolean', description: 'Transliterate typographic characters so the text stays 7-bit' },
    tag: { type: 'string', maxLength: 32, description: 'e.g. otp, marketing; rules and priority lanes use it' },
    callbackUrl: { type: 'string', format: 'uri', maxLength: 2048 },
    scheduleAt: { type: 'string', format: 'date-time' },
    validityPeriod: { type: 'integer', minimum: 60, maximum: 604_800, description: 'Seconds' },
    priority: { type: 'string', enum: ['high', 'normal', 'bulk'] },
    clientRef: { type: 'string', maxLength: 128 },
    maxParts: { type: 'integer', minimum: 1, maximum: 255 },
    shortenUrls: {
      type: 'boolean',
      description:
        'Replace each http(s) URL of the text by a short link of fixed length (links.baseUrl + /l/ + code) before encoding, so `parts` counts the short links; clicks go on the message timeline (README "Links and click tracking")',
    },
  },
} as const;

export const acceptedSchema = {
  $id: 'Accepted',
  type: 'object',
  required: ['id', 'status', 'to', 'carrier', 'carrierSource', 'route', 'encoding', 'parts', 'createdAt'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    to: { type: 'string', description: 'E.164' },
    carrier: { type: 'string' },
    carrierSource: { type: 'string', enum: ['hlr', 'mnp', 'ranges', 'carrier-data', 'default'] },
    route: { type: 'string' },
    connector: { type: 'string' },
    encoding: { type: 'string', enum: ['gsm7', 'ucs2', 'binary'] },
    parts: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    notBefore: {
      type: 'string',
      format: 'date-time',
      description: "Present when the account's send window was closed at the send time: the message is `scheduled` and goes no earlier than this (README: Send windows)",
    },
    from: { type: 'string', description: 'The originator the first connector submits with, after sender rules (absent: the connector uses its own)' },
    senderRewritten: {
      type: 'object',
      required: ['rule', 'requested'],
      description: 'Present when a sender rule rewrote the originator: the rule, and the originator asked for (null: none was given)',
      properties: { rule: { type: 'string' }, requested: { type: 'string', nullable: true } },
    },
    duplicate: { type: 'boolean' },
  },
} as const;

export const batchBodySchema = {
  $id: 'SubmitBatch',
  type: 'object',
  additionalProperties: false,
  required: ['messages'],
  properties: { messages: { type: 'array', minItems: 1, items: { type: 'object' } } },
} as const;

export const batchResultSchema = {
  $id: 'BatchResult',
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    refused: { type: 'integer' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          ok: { type: 'boolean' },
          message: { $ref: 'Accepted#' },
          error: { $ref: 'Error#' },
        },
      },
    },
  },
} as const;

const partSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    status: {
      type: 'string',
      enum: PART_STATUSES,
      description: 'final: delivered, undelivered, expired, failed, unknown (may or may not have reached the handset; never resent), canceled (its message was canceled before the part was sent)',
    },
    connector: { type: 'string' },
    smscMessageId: { type: 'string' },
    raw: { type: 'object', additionalProperties: true },
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    submittedAt: { type: 'string', format: 'date-time', description: 'when the gateway recorded the submit (gateway clock)' },
    doneAt: { type: 'string', format: 'date-time', description: 'when the gateway learned the final state (gateway clock; never before submittedAt)' },
    carrierDoneAt: { type: 'string', format: 'date-time', description: "the carrier's done date from its receipt (carrier clock; may differ from the gateway's)" },
  },
} as const;

export const messageSchema = {
  $id: 'Message',
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: {
      type: 'string',
      enum: MESSAGE_STATUSES,
      description: 'final: delivered, undelivered, expired, failed, unknown, rejected, canceled (README: "Statuses and their state machine")',
    },
    to: { type: 'string' },
    from: { type: ['string', 'null'] },
    carrier: { type: 'string' },
    carrierSource: { type: 'string' },
    route: { type: 'string' },
    rule: { type: 'string' },
    tag: { type: 'string' },
    clientRef: { type: 'string' },
    encoding: { type: 'string' },
    segments: { type: 'integer' },
    price: {
      type: 'number',
      description: "What the carriers bill so far: per-segment price of the route on the connector that carried each part the carrier accepted (absent when the route has no price)",
    },
    currency: { type: 'string', description: "ISO 4217 currency of `price` (the route's `currency`)" },
    createdAt: { type: 'string', format: 'date-time' },
    scheduleAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    notBefore: {
      type: 'string',
      format: 'date-time',
      description: "When the message goes at the earliest: the send-window opening its latest `deferred` timeline event waits for (absent when never deferred)",
    },
    parts: { type: 'array', items: partSchema },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: { type: 'string', format: 'date-time' },
          event: { type: 'string' },
          seq: { type: 'integer' },
          connector: { type: 'string' },
          detail: { type: 'string' },
          until: { type: 'string', format: 'date-time', description: 'for `deferred`: when the send window opens' },
        },
      },
    },
  },
} as const;

export const messageListSchema = {
  $id: 'MessageList',
  type: 'object',
  properties: {
    items: { type: 'array', items: { $ref: 'Message#' } },
    nextCursor: { type: 'string' },
  },
} as const;

export const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    clientRef: { type: 'string', maxLength: 128 },
    to: { type: 'string', maxLength: 32 },
    status: { type: 'string', enum: MESSAGE_STATUSES },
    since: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    cursor: { type: 'string', maxLength: 512 },
  },
} as const;

export const inboundSchema = {
  $id: 'Inbound',
  type: 'object',
  properties: {
    id: { type: 'string' },
    connector: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    text: { type: 'string', description: 'Empty for a binary message (its octets are in binary)' },
    encoding: { type: 'string', enum: ['gsm7', 'ucs2', 'binary'], description: 'The data coding; binary is 8-bit data' },
    binary: { type: 'string', format: 'byte', description: 'The octets of a binary message, base64' },
    parts: { type: 'integer' },
    complete: { type: 'boolean' },
    receivedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const SHARED_SCHEMAS = [errorSchema, submitBodySchema, acceptedSchema, batchResultSchema, messageSchema, messageListSchema, inboundSchema] as const;

const accountChangeSchema = {
  type: 'object',
  required: ['id', 'fields', 'keysAdded', 'keysRemoved', 'keys'],
  properties: {
    id: { type: 'string' },
    fields: { type: 'array', items: { type: 'string' }, description: 'Names of the settings that changed (never their secret values)' },
    keysAdded: { type: 'integer' },
    keysRemoved: { type: 'integer' },
    keys: { type: 'integer', description: 'API keys the account has now' },
  },
} as const;

/** POST /v1/admin/reload: what changed (ids and counts; never keys, hashes or secrets). */
export const adminReloadSchema = {
  type: 'object',
  required: ['version', 'restartNeeded'],
  properties: {
    version: { type: 'string', description: 'Version (content hash) of the routing configuration now in force' },
    ported: { type: 'integer', description: 'Ported numbers now held, when a portability file was read' },
    accounts: {
      type: 'object',
      required: ['added', 'removed', 'changed', 'accounts'],
      properties: {
        added: { type: 'array', items: { type: 'object', required: ['id', 'keys'], properties: { id: { type: 'string' }, keys: { type: 'integer' } } } },
        removed: { type: 'array', items: { type: 'string' } },
        changed: { type: 'array', items: accountChangeSchema },
        accounts: { type: 'integer', description: 'Accounts in force after the reload' },
      },
    },
    restartNeeded: { type: 'array', items: { type: 'string' }, description: 'Sections of the file that differ from those in force but take effect only after a restart' },
  },
} as const;

/** GET /v1/admin/accounts: the accounts in force, summarized. */
export const adminAccountsSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'keys', 'numbers', 'signed'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          keys: { type: 'integer', description: 'Number of API keys (the keys and their hashes are never shown)' },
          defaultCountry: { type: 'string' },
          defaultSender: { type: 'string' },
          requireMobile: { type: 'boolean' },
          maxParts: { type: 'integer' },
          shiftTables: { type: 'boolean' },
          numbers: { type: 'array', items: { type: 'string' } },
          limits: { type: 'object', properties: { requestsPerSecond: { type: 'number' }, messagesPerSecond: { type: 'number' } } },
          allowedIps: { type: 'array', items: { type: 'string' } },
          callbackOrigin: { type: 'string', description: 'Scheme, host and port of callbackUrl (its path and query may hold a token)' },
          inboundOrigin: { type: 'string' },
          signed: { type: 'boolean', description: 'Whether a callbackSecret is set' },
          consoleUsers: {
            type: 'array',
            description: 'Console users by name and role (never their password hashes)',
            items: { type: 'object', required: ['name', 'role'], properties: { name: { type: 'string' }, role: { type: 'string', enum: ['operator', 'viewer'] } } },
          },
          timeZone: { type: 'string' },
        },
      },
    },
  },
} as const;
