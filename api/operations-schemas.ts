/** JSON schemas of GET /v1/connectors and GET /v1/failures: serialization and OpenAPI. */
import { FAILED_PART_STATUSES } from '../gateway/index.ts';

const nullableInteger = { type: 'integer', nullable: true } as const;
const nullableNumber = { type: 'number', nullable: true } as const;
const nullableString = { type: 'string', nullable: true } as const;

const modemSchema = {
  type: 'object',
  description: "A modem's identity, SIM, network and daily cap (modem pools only)",
  properties: {
    imei: nullableString,
    iccid: { ...nullableString, description: 'The SIM' },
    operator: { ...nullableString, description: 'The network the SIM is on (+COPS?)' },
    registration: { enum: ['not_registered', 'home', 'searching', 'denied', 'unknown', 'roaming', null], nullable: true, description: '+CREG <stat>' },
    rssi: { ...nullableInteger, description: '+CSQ rssi, 0..31 (null: unknown)' },
    signalDbm: nullableInteger,
    signalQuality: { enum: ['excellent', 'good', 'fair', 'poor', null], nullable: true, description: 'rssi 20+ excellent, 15+ good, 10+ fair, below poor' },
    model: nullableString,
    sentToday: { type: 'integer', description: 'Parts sent today (UTC day)' },
    dailyCap: { ...nullableInteger, description: "The SIM's daily cap (null: none)" },
    ratePerMinute: nullableInteger,
  },
} as const;

const linkSchema = {
  type: 'object',
  required: ['id', 'status', 'since'],
  properties: {
    id: { type: 'string', description: 'Bind id (carrier-a#1) or modem id (its IMEI)' },
    status: { enum: ['up', 'connecting', 'down'] },
    state: { ...nullableString, description: "The driver's own state (SMPP: idle, connecting, binding, bound, unbinding, closing; modem: starting, up, down, closed)" },
    since: { type: 'string', format: 'date-time', nullable: true, description: 'Since when the link is up, or down' },
    inFlight: { ...nullableInteger, description: 'SMPP: submits in flight on the bind' },
    window: { ...nullableInteger, description: "SMPP: the bind's window (windowSize; 0 for a receiver)" },
    failedAttempts: { ...nullableInteger, description: 'Failed connect or bind attempts since it was last up' },
    lastError: { ...nullableString, description: 'The code of the last error (never its text)' },
    modem: modemSchema,
  },
} as const;

const slotNumbers = { type: 'array', items: { type: 'integer', minimum: 0 } } as const;

const slotsSchema = {
  type: 'object',
  required: ['total', 'heldHere', 'heldElsewhere', 'free'],
  description:
    "The connector's bind slots 0..total-1 (SMPP binds; 1 for a modem pool) across the processes sharing one Redis, by their leases: " +
    'which the answering process holds, which other processes hold (a dead one until its lease runs out) and which are free. ' +
    'Slot numbers only, never a process name (it names a host). Memory mode: one process, every slot held here.',
  properties: {
    total: { type: 'integer', minimum: 0 },
    heldHere: { ...slotNumbers, description: 'Held by the answering process: it opens these binds' },
    heldElsewhere: { ...slotNumbers, description: 'Held by other processes' },
    free: { ...slotNumbers, description: 'Held by none: taken at the next lease round' },
  },
} as const;

export const CONNECTORS_SCHEMA = {
  $id: 'Connectors',
  type: 'object',
  required: ['at', 'connectors'],
  properties: {
    at: { type: 'string', format: 'date-time' },
    connectors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'status', 'linksUp', 'links', 'throughput', 'queue', 'slots'],
        properties: {
          id: { type: 'string' },
          kind: { enum: ['smpp', 'modem'] },
          status: { enum: ['up', 'degraded', 'down'], description: 'up: every link up; degraded: some; down: none can send' },
          linksUp: { type: 'integer' },
          links: { type: 'array', items: linkSchema },
          throughput: {
            type: 'object',
            properties: {
              perSecond: { type: 'number', description: "Parts handed to the carrier per second over the last windowSeconds (this process's)" },
              windowSeconds: { type: 'integer' },
              limitTps: { ...nullableNumber, description: 'The ceiling: SMPP maxTps; a modem pool, its modems\' ratePerMinute / 60 (null: none)' },
              paceTps: { ...nullableNumber, description: 'SMPP: the pace kept now, below the ceiling after the carrier throttled (null: none)' },
            },
          },
          queue: {
            type: 'object',
            description: "The route queue's backlog (shared by every process)",
            properties: {
              waiting: { type: 'integer', description: 'Not yet taken by a worker' },
              pending: { type: 'integer', description: 'Taken by a worker, not yet done' },
              lanes: {
                type: 'array',
                items: { type: 'object', properties: { lane: { enum: ['high', 'normal', 'bulk'] }, waiting: { type: 'integer' }, pending: { type: 'integer' } } },
              },
            },
          },
          inFlight: { ...nullableInteger, description: 'SMPP: submits in flight on every bind' },
          window: { ...nullableInteger, description: 'SMPP: the sum of the sending binds\' windows' },
          slots: slotsSchema,
        },
      },
    },
  },
} as const;

export const FAILURES_SCHEMA = {
  $id: 'Failures',
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'messageId', 'to', 'seq', 'status'],
        properties: {
          at: { type: 'string', format: 'date-time', description: 'When the part failed' },
          messageId: { type: 'string' },
          to: { type: 'string' },
          carrier: { type: 'string' },
          connector: nullableString,
          seq: { type: 'integer' },
          status: { enum: [...FAILED_PART_STATUSES] },
          error: {
            type: 'object',
            nullable: true,
            description: "The gateway's code (SMPP_SUBMIT_REJECTED, MODEM_CMS_ERROR, ...); null when the carrier's receipt said it (see raw)",
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
          raw: {
            type: 'object',
            nullable: true,
            description: "The carrier's values as received",
            properties: {
              stat: { type: 'string' },
              err: { type: 'string' },
              messageState: { type: 'integer' },
              networkErrorCode: { type: 'string' },
              tpStatus: { type: 'integer' },
              commandStatus: { type: 'integer' },
              cmsError: { type: 'integer' },
              cmeError: { type: 'integer' },
            },
          },
        },
      },
    },
  },
} as const;

export const OPERATIONS_SCHEMAS = [CONNECTORS_SCHEMA, FAILURES_SCHEMA] as const;
