/** POST /v1/messages/quote: what a submit would meet, without sending (the console's send form shows the same). */
import type { MessageQuote } from '../gateway/index.ts';
import { clientErrorBody } from './errors.ts';

export const messageQuoteSchema = {
  type: 'object',
  required: ['acceptable', 'refusals'],
  properties: {
    acceptable: { type: 'boolean', description: 'True when a submit would be accepted now (quotas and the connector backlog aside: only a submit takes them)' },
    refusals: {
      type: 'array',
      items: { $ref: 'Error#' },
      description: 'Every refusal a submit would meet, in the order the accept path meets them (a submit answers the first): the same codes, fields and details',
    },
    route: {
      type: 'object',
      description: 'How the recipient would be routed (absent when it cannot be): the same lookup as a submit (normalization, HLR, MNP, ranges, rules, sender rules)',
      properties: {
        to: { type: 'string', description: 'E.164' },
        country: { type: 'string' },
        numberType: { type: 'string' },
        carrier: { type: 'string' },
        carrierSource: { type: 'string', enum: ['hlr', 'mnp', 'ranges', 'carrier-data', 'default'] },
        rule: { type: 'string' },
        route: { type: 'string' },
        connectors: { type: 'array', items: { type: 'string' }, description: 'The first connector, then the failover order' },
        connectorUp: { type: 'boolean', description: 'False: the first connector has no bind up, the message would wait in its queue' },
        from: { type: 'string', description: 'The originator the first connector would submit with, after sender rules' },
        senderRewritten: { type: 'object', properties: { rule: { type: 'string' }, requested: { type: 'string', nullable: true } } },
        pricePerSegment: { type: 'number' },
        currency: { type: 'string' },
        notBefore: { type: 'string', format: 'date-time', description: "The account's send window is closed at the send time: the message would go no earlier" },
      },
    },
    encoding: {
      type: 'object',
      description: "How the text would be encoded and split under the destination carrier's profile (the default profile when the recipient does not route)",
      properties: {
        carrier: { type: 'string', description: 'The carrier whose profile counted the parts' },
        refSize: { type: 'integer', enum: [8, 16], description: 'Concatenation reference size (docomo: 16, 66 UCS-2 characters a part)' },
        maxParts: { type: 'integer', description: "The request's, the account's or the carrier's part limit, whichever is least" },
        encoding: { type: 'string', enum: ['gsm7', 'ucs2', 'binary'] },
        characters: { type: 'integer' },
        units: { type: 'integer', description: 'Septets (gsm7), UTF-16 units (ucs2) or octets (binary)' },
        parts: { type: 'integer', description: 'Parts needed; more than maxParts comes with CODEC_TOO_MANY_PARTS' },
        singlePartUnits: { type: 'integer' },
        partUnits: { type: 'integer' },
        maxUnits: { type: 'integer' },
        remainingInLastPart: { type: 'integer' },
        substitutions: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, count: { type: 'integer' } } } },
        ucs2Characters: { type: 'array', items: { type: 'string' }, description: 'Characters that made the text UCS-2 (distinct, the first 20)' },
        ucs2CharacterCount: { type: 'integer' },
        controlCharacters: {
          type: 'array',
          items: { type: 'object', properties: { position: { type: 'integer' }, character: { type: 'string' } } },
          description: 'Every control character a submit refuses (GW_CONTROL_CHARACTER), with its position',
        },
        price: { type: 'number', description: 'parts x pricePerSegment' },
        currency: { type: 'string' },
      },
    },
  },
} as const;

/** The quote as the API answers it: refusals as error bodies, times in ISO 8601. */
export function quoteView(quote: MessageQuote): Record<string, unknown> {
  const { route, encoding } = quote;
  return {
    acceptable: quote.refusals.length === 0,
    refusals: quote.refusals.map(clientErrorBody),
    ...(route === undefined
      ? {}
      : { route: { ...route, ...(route.notBefore === undefined ? {} : { notBefore: new Date(route.notBefore).toISOString() }) } }),
    ...(encoding === undefined ? {} : { encoding }),
  };
}
