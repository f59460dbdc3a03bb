/**
 * JSON Schema of the router's sections. Other top-level sections (`accounts`, `connectors`, ...) belong to
 * other parts of the gateway, so the root allows any other property; inside our sections nothing unknown passes.
 */
const ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;
const CARRIER_ID = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } as const;
const oneOrMany = (item: object): object => ({ anyOf: [item, { type: 'array', items: item, minItems: 1 }] });
const HHMM = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;
const PRICE = { type: 'number', minimum: 0 } as const;

export const ROUTING_SCHEMA = {
  type: 'object',
  required: ['routes', 'rules'],
  additionalProperties: true,
  properties: {
    carriers: {
      type: 'object',
      additionalProperties: false,
      properties: {
        defaults: { type: 'object', propertyNames: { pattern: '^[A-Z]{2}$' }, additionalProperties: CARRIER_ID },
        names: { type: 'object', propertyNames: CARRIER_ID, additionalProperties: { type: 'string', minLength: 1 } },
        ranges: { type: 'object', propertyNames: { pattern: '^\\+?[1-9][0-9]{0,14}$' }, additionalProperties: CARRIER_ID },
        rangeFiles: { type: 'array', items: { type: 'string', minLength: 1 } },
        builtinRanges: { type: 'boolean' },
        profiles: {
          type: 'object',
          propertyNames: CARRIER_ID,
          additionalProperties: {
            type: 'object',
            required: ['maxParts', 'refSize'],
            additionalProperties: false,
            properties: { maxParts: { type: 'integer', minimum: 1, maximum: 255 }, refSize: { enum: [8, 16] } },
          },
        },
      },
    },
    routes: {
      type: 'object',
      minProperties: 1,
      propertyNames: ID,
      additionalProperties: {
        type: 'object',
        required: ['strategy', 'connectors'],
        additionalProperties: false,
        properties: {
          strategy: { enum: ['failover', 'weighted', 'least-cost'] },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          connectors: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['id'],
              additionalProperties: false,
              properties: {
                id: ID,
                weight: { type: 'number', minimum: 0 },
                price: { anyOf: [PRICE, { type: 'object', propertyNames: CARRIER_ID, additionalProperties: PRICE, minProperties: 1 }] },
              },
            },
          },
        },
      },
    },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'route'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          route: ID,
          match: {
            type: 'object',
            additionalProperties: false,
            properties: {
              account: oneOrMany({ type: 'string', minLength: 1 }),
              country: oneOrMany({ type: 'string', pattern: '^[A-Z]{2}$' }),
              carrier: oneOrMany(CARRIER_ID),
              prefix: oneOrMany({ type: 'string', pattern: '^\\+?[0-9]{1,15}$' }),
              sender: oneOrMany({ type: 'string', minLength: 1 }),
              tag: oneOrMany({ type: 'string', minLength: 1 }),
              time: {
                type: 'object',
                required: ['from', 'to', 'timezone'],
                additionalProperties: false,
                properties: { from: HHMM, to: HHMM, timezone: { type: 'string', minLength: 1 } },
              },
            },
          },
        },
      },
    },
    senderRules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          carrier: oneOrMany(CARRIER_ID),
          connector: oneOrMany(ID),
          allow: { type: 'array', minItems: 1, items: { enum: ['alphanumeric', 'shortcode', 'longnumber'] } },
          senders: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          rewrite: { type: 'string', minLength: 1 },
        },
      },
    },
    mnp: {
      type: 'object',
      additionalProperties: false,
      properties: {
        hlr: {
          type: 'object',
          required: ['url'],
          additionalProperties: false,
          properties: {
            enabled: { type: 'boolean' },
            url: { type: 'string', pattern: '^https?://' },
            timeoutMs: { type: 'integer', minimum: 1, maximum: 60_000 },
            cacheTtlSeconds: { type: 'integer', minimum: 0 },
            carrierField: { type: 'string', minLength: 1 },
            carrierMap: { type: 'object', additionalProperties: CARRIER_ID },
          },
        },
        file: { type: 'string', minLength: 1 },
        country: { type: 'string', pattern: '^[A-Z]{2}$' },
      },
    },
  },
} as const;
