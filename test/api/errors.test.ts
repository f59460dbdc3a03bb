import { readFileSync } from 'node:fs';
import { errorCodes } from 'fastify';
import { describe, expect, test } from 'vitest';
import { API_ERRORS, httpStatusFor } from '../../api/index.ts';
import { maskDigits } from '../../common/index.ts';
import {
  codeForClientStatus,
  FASTIFY_ERROR_CODES,
  parserErrorCode,
  VALIDATION_ERROR_CODES,
} from '../../api/errors.ts';
import { CODEC_ERRORS } from '../../drivers/codec/index.ts';
import { CAMPAIGN_ERRORS, GW_ERRORS, VERIFY_ERRORS } from '../../gateway/index.ts';
import { ROUTE_ERRORS } from '../../router/index.ts';

/** Fastify's 4xx errors no request can cause (setup mistakes), or that answer elsewhere (validation has its own codes). */
const FASTIFY_ERRORS_NOT_FROM_CLIENTS: readonly string[] = [
  'FST_ERR_VALIDATION',
  'FST_ERR_CTP_INSTANCE_ALREADY_STARTED',
  'FST_ERR_INVALID_URL',
  'FST_ERR_ROUTE_MISSING_CONTENT',
];

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const rows = new Map(
  readme
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => [cells[1]?.replaceAll('`', '') ?? '', cells] as const),
);
const tables = { ...API_ERRORS, ...GW_ERRORS, ...CODEC_ERRORS, ...VERIFY_ERRORS, ...CAMPAIGN_ERRORS };

describe('errors the API can return', () => {
  test.each(Object.keys(tables))('%s is documented with its retriable flag and HTTP status', (code) => {
    const cells = rows.get(code);
    expect(cells, `README has no row for ${code}`).toBeDefined();
    expect(cells?.[2]).toBe(tables[code as keyof typeof tables].retriable ? 'yes' : 'no');
    expect(Number(cells?.[3])).toBe(httpStatusFor(code));
  });

  test.each(Object.keys(ROUTE_ERRORS))('%s maps to a client or service status, never a bare 500 by accident', (code) => {
    const status = httpStatusFor(code);
    const expected = ROUTE_ERRORS[code as keyof typeof ROUTE_ERRORS].retriable ? 503 : [400, 422, 500];
    if (typeof expected === 'number') expect(status).toBe(expected);
    else expect(expected).toContain(status);
  });
});

describe('refusals before the routes answer with documented API codes', () => {
  const emitted = new Set([
    ...Object.values(FASTIFY_ERROR_CODES),
    ...Object.values(VALIDATION_ERROR_CODES),
    ...['HPE_INVALID_METHOD', 'HPE_HEADER_OVERFLOW', 'ERR_HTTP_REQUEST_TIMEOUT', undefined].map(parserErrorCode),
    ...[400, 403, 404, 405, 406, 412, 413, 415, 416, 417, 431].map(codeForClientStatus),
    'API_METHOD_NOT_ALLOWED',
    'API_EXPECTATION_FAILED',
  ]);

  test.each([...emitted])('%s is a row of the API table with a README row', (code) => {
    expect(Object.keys(API_ERRORS)).toContain(code);
    expect(rows.get(code)?.[3]).toBe(String(httpStatusFor(code)));
  });

  const clientStatus = (code: string): number | undefined => {
    const ErrorClass = (errorCodes as unknown as Record<string, new (...args: string[]) => { statusCode?: number }>)[code];
    return ErrorClass === undefined ? undefined : new ErrorClass('x', 'y').statusCode;
  };
  test.each(Object.keys(errorCodes).filter((code) => (clientStatus(code) ?? 500) < 500))('fastify %s maps to an API code or is listed as never from a client', (code) => {
    expect(FASTIFY_ERROR_CODES[code] !== undefined || FASTIFY_ERRORS_NOT_FROM_CLIENTS.includes(code)).toBe(true);
  });
});

describe('log masking', () => {
  test.each([
    ['/v1/messages?to=%2B819012345678', '/v1/messages?to=%2B819012******'],
    ['/v1/messages?to=09012345678&limit=10', '/v1/messages?to=090123*****&limit=10'],
    ['/v1/messages/4517f1e3-b1e0', '/v1/messages/4517f1e3-b1e0'],
  ])('%s is logged as %s', (url, masked) => {
    expect(maskDigits(url)).toBe(masked);
  });
});
