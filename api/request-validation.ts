/**
 * Request validation: one schema per body, checked without type coercion, so `"text": true`, `"to": 819012345678`
 * or `"validityPeriod": "3600"` are refused instead of quietly turned into strings and numbers (ajv's
 * `coerceTypes`, fastify's default, would). Query strings and headers arrive as text, so only they are coerced
 * (`?limit=10`). POST /v1/messages and every item of /v1/messages/batch go through the very same compiled schema.
 * Bodies are read as octets and decoded as strict UTF-8: invalid sequences are refused, never replaced by U+FFFD.
 */
import { isUtf8 } from 'node:buffer';
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { apiError } from './errors.ts';
import { SHARED_SCHEMAS, batchBodySchema } from './schemas.ts';
import { VERIFICATION_SCHEMAS } from './verification-schemas.ts';
import { CAMPAIGN_SCHEMAS } from './campaign-schemas.ts';
import type { SubmitBody } from './routes/submit-request.ts';

function newAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  // ajv-formats is CommonJS: under NodeNext its callable export sits on `default`.
  (formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
  for (const schema of [...SHARED_SCHEMAS, batchBodySchema, ...VERIFICATION_SCHEMAS, ...CAMPAIGN_SCHEMAS]) ajv.addSchema(schema);
  return ajv;
}

const bodyAjv = newAjv(false);
const textAjv = newAjv(true);

/** The one compiled SubmitMessage schema (no coercion, defaults filled in) for single and batch submits. */
export const validateSubmitBody = bodyAjv.getSchema('SubmitMessage') as ValidateFunction<SubmitBody>;

/** Bodies without coercion; query strings, params and headers with it. Routes' schemas may $ref the shared ones. */
export function installValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as AnySchema));
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const octets = body as Buffer;
    if (!isUtf8(octets)) {
      const at = firstInvalidUtf8(octets);
      done(apiError('API_BODY_NOT_UTF8', `invalid UTF-8 at byte ${at}`, { byte: at }), undefined);
      return;
    }
    void parseJson(request, octets.toString('utf8'), done);
  });
}

/** The offset of the first octet that does not start or continue a valid UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(octets: Uint8Array): number {
  let i = 0;
  while (i < octets.length) {
    const lead = octets[i] as number;
    let length: number;
    let min = 0x80;
    let max = 0xbf;
    if (lead < 0x80) length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) min = 0xa0; // overlong
      if (lead === 0xed) max = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) min = 0x90; // overlong
      if (lead === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k += 1) {
      const next = octets[i + k];
      const low = k === 1 ? min : 0x80;
      const high = k === 1 ? max : 0xbf;
      if (next === undefined || next < low || next > high) return i;
    }
    i += length;
  }
  return -1;
}
