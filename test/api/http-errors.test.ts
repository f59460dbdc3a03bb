/**
 * Every refusal a client can cause below the routes (Node's HTTP parser, fastify's body parsing, URL and method
 * checks) answers with a documented API code: raw TCP sockets for what never reaches fastify, inject for the rest.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp, httpStatusFor } from '../../api/index.ts';
import { clientErrorBody } from '../../api/errors.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';

const KEY = 'http-errors-key';
const auth = { authorization: `Bearer ${KEY}` };
const documented = new Set(
  readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1]?.trim().replaceAll('`', '') ?? ''),
);

let backend: MessageBackend;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  backend = createMemoryBackend();
  const gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
  });
  app = await buildApp({ gateway });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app.close();
  await backend.close();
});

interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Writes `bytes` on a fresh connection, half-closes it, and reads the first answer once the server closes. */
async function raw(bytes: string | Uint8Array): Promise<RawAnswer | undefined> {
  return (await rawAll(bytes))[0];
}

/** Every answer on the connection: bytes after a complete request are the next request, and get their own. */
function rawAll(bytes: string | Uint8Array): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const head = Buffer.from(bytes).subarray(0, 5).toString('latin1') === 'HEAD ';
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    // Only a server that never closes the connection makes this fire (the test fails); nothing waits on it otherwise.
    const stuck = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within 10 s after ${JSON.stringify(Buffer.from(bytes).toString('latin1'))}`));
    }, 10_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('close', () => {
      clearTimeout(stuck);
      try {
        resolve(parseAnswers(Buffer.concat(chunks).toString('latin1'), head));
      } catch (error: unknown) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/**
 * Splits what came back into answers, each read by its Content-Length (every answer here has one, or no body);
 * the answer to a HEAD request (the first one) has none whatever its Content-Length says.
 */
function parseAnswers(text: string, head: boolean): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = text;
  while (rest !== '') {
    const split = rest.indexOf('\r\n\r\n');
    if (split < 0) throw new Error(`not an HTTP answer: ${JSON.stringify(rest.slice(0, 200))}`);
    const [statusLine = '', ...lines] = rest.slice(0, split).split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const status = Number(statusLine.split(' ')[1]);
    // A HEAD the parser could not read gets its refusal with a body: the server never knew it was a HEAD.
    const bodiless = head && answers.length === 0 && (rest.length === split + 4 || rest.startsWith('HTTP/1.1 ', split + 4));
    const length = bodiless || headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
    answers.push({ status, headers, body: Buffer.from(rest.slice(split + 4, split + 4 + length), 'latin1').toString('utf8') });
    rest = rest.slice(split + 4 + length);
  }
  return answers;
}

describe("Node's HTTP parser refusals (raw sockets)", () => {
  test.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400, 'API_MALFORMED_REQUEST'],
    ['binary noise', '\u0000\u0001\u0002\u00ff\r\n\r\n', 400, 'API_MALFORMED_REQUEST'],
    ['a header name with a space', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400, 'API_MALFORMED_REQUEST'],
    ['a request cut off in its headers', 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 400, 'API_MALFORMED_REQUEST'],
    ['two Content-Length values', 'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}', 400, 'API_MALFORMED_REQUEST'],
    ['headers over 16 KB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'API_HEADERS_TOO_LARGE'],
  ])('%s: coded JSON body, then the connection closes', async (_name, request, status, code) => {
    const answer = await raw(request);
    expect(answer?.status).toBe(status);
    expect(answer?.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(answer?.headers['content-length'])).toBe(Buffer.byteLength(answer?.body ?? ''));
    expect(JSON.parse(answer?.body ?? '')).toMatchObject({ code, message: expect.stringContaining('HPE_') as unknown });
    expect(httpStatusFor(code)).toBe(status);
  });

  test('an Expect header other than 100-continue: coded 417 (Node answers it before fastify)', async () => {
    const answer = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n');
    expect(answer?.status).toBe(417);
    expect(JSON.parse(answer?.body ?? '')).toMatchObject({ code: 'API_EXPECTATION_FAILED' });
  });

  test('a well-formed request on the same server still answers normally', async () => {
    const answer = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatchObject({ status: 200, body: '{"ok":true}' });
  });
});

describe("fastify's refusals answer with API codes, never FST_ERR_*", () => {
  const json = { ...auth, 'content-type': 'application/json' };
  test.each([
    ['bad JSON', { headers: json, payload: '{"to":' }, 400, 'API_INVALID_JSON'],
    ['JSON with a __proto__ key', { headers: json, payload: '{"__proto__":{"admin":true}}' }, 400, 'API_INVALID_JSON'],
    ['an empty JSON body', { headers: json, payload: '' }, 400, 'API_EMPTY_BODY'],
    ['a text/plain body', { headers: { ...auth, 'content-type': 'text/plain' }, payload: 'to=1&text=x' }, 415, 'API_UNSUPPORTED_MEDIA_TYPE'],
    ['a form body', { headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'to=1' }, 415, 'API_UNSUPPORTED_MEDIA_TYPE'],
    ['a body over 1 MiB', { headers: json, payload: JSON.stringify({ to: '09012345678', text: 'x'.repeat(1024 * 1024) }) }, 413, 'API_BODY_TOO_LARGE'],
    ['a Content-Length the body does not match', { headers: { ...json, 'content-length': '100' }, payload: '{}' }, 400, 'API_MALFORMED_REQUEST'],
    ['a header the schema refuses', { headers: { ...auth, 'idempotency-key': 'k'.repeat(201) }, payload: { to: '09012345678', text: 'x' } }, 400, 'API_INVALID_HEADER'],
  ])('POST /v1/messages with %s', async (_name, request, status, code) => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', ...request });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
    expect(response.body).not.toContain('FST_ERR');
    expect(httpStatusFor(code)).toBe(status);
  });

  test('413 names the route limit in details', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: json, payload: `"${'x'.repeat(1024 * 1024)}"` });
    expect(response.json()).toMatchObject({ code: 'API_BODY_TOO_LARGE', details: { limit: 1024 * 1024 } });
  });

  test.each([
    ['a bad percent escape in a path parameter', '/v1/messages/%zz', 400, 'API_INVALID_URL'],
    ['a bad percent escape under a wildcard', '/docs/static/%zz', 400, 'API_INVALID_URL'],
    ['a path parameter over the length limit', `/v1/messages/${'a'.repeat(200)}`, 414, 'API_PATH_PARAM_TOO_LONG'],
  ])('GET with %s', async (_name, url, status, code) => {
    const response = await app.inject({ method: 'GET', url, headers: auth });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
  });
});

describe('a path served with other methods answers 405 with Allow', () => {
  test.each([
    ['PUT', '/v1/messages', 'GET, HEAD, POST'],
    ['PATCH', '/v1/messages/0b5c9e2e?x=1', 'DELETE, GET, HEAD'],
    ['GET', '/v1/messages/batch', undefined],
    ['DELETE', '/v1/messages/batch', undefined],
    ['POST', '/healthz', 'GET, HEAD'],
    ['OPTIONS', '/metrics', 'GET, HEAD'],
  ])('%s %s', async (method, url, allow) => {
    const response = await app.inject({ method: method as 'GET', url, headers: auth });
    if (allow === undefined) {
      // GET and DELETE /v1/messages/batch are /v1/messages/:id with id "batch": a route, so no 405.
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'GW_NOT_FOUND' });
      return;
    }
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(response.json()).toMatchObject({ code: 'API_METHOD_NOT_ALLOWED' });
  });

  test('a path no route serves is still 404', async () => {
    const response = await app.inject({ method: 'PUT', url: '/v2/messages', headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.headers.allow).toBeUndefined();
    expect(response.json()).toMatchObject({ code: 'API_NOT_FOUND' });
  });
});

describe('codec refusals name the request field and carry their details', () => {
  test('CODEC_TOO_MANY_PARTS says how many parts the text needs', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '09012345678', text: 'あ'.repeat(700) } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      code: 'CODEC_TOO_MANY_PARTS',
      message: 'message needs more parts than allowed: needs 11 parts, at most 10 allowed',
      field: 'text',
      details: { parts: 11, maxParts: 10, encoding: 'ucs2', carrier: 'au', carrierMaxParts: 10, refSize: 8 },
    });
  });

  test("a docomo number is counted as docomo counts (66 a part): 661 characters are refused, naming the carrier's profile", async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '080-1234-5678', text: 'あ'.repeat(661) } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'CODEC_TOO_MANY_PARTS',
      field: 'text',
      details: { parts: 11, maxParts: 10, encoding: 'ucs2', carrier: 'docomo', carrierMaxParts: 10, refSize: 16 },
    });
    const fits = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '080-1234-5678', text: 'あ'.repeat(660) } });
    expect(fits.json()).toMatchObject({ carrier: 'docomo', parts: 10 });
  });

  test('CODEC_NOT_GSM7 names the character by code point and index', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '09012345678', text: 'ok 😀', encoding: 'gsm7' } });
    expect(response.json()).toMatchObject({ code: 'CODEC_NOT_GSM7', field: 'text', details: { index: 3, codePoint: 'U+1F600' } });
  });

  test('binary payloads name binary', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '09012345678', binary: 'ab'.repeat(2000), maxParts: 2 } });
    expect(response.json()).toMatchObject({ code: 'CODEC_TOO_MANY_PARTS', field: 'binary', details: { maxParts: 2, encoding: 'binary' } });
  });

  test('batch items carry the same field and details', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages/batch', headers: auth, payload: { messages: [{ to: '09012345678', text: 'あ'.repeat(700) }] } });
    expect(response.json<{ results: unknown[] }>().results[0]).toMatchObject({
      ok: false,
      error: { code: 'CODEC_TOO_MANY_PARTS', field: 'text', details: { parts: 11, maxParts: 10 } },
    });
  });

  test('only declared scalar details reach a client: store errors, config files, texts and numbers stay inside', () => {
    const body = clientErrorBody({
      code: 'GW_EVENTS_UNAVAILABLE',
      message: 'neither Kafka nor the outbox took 1 records',
      details: {
        cause: 'connect ECONNREFUSED redis://:hunter2@10.0.0.5:6379',
        text: 'Your code is 493021',
        value: '+819012345678',
        file: '/etc/smsgw/gateway.yaml',
        issues: [{ field: 'accounts[0].apiKeyHashes' }],
        connector: { password: 'pw' },
        parts: 3,
      },
    });
    expect(body).toEqual({ code: 'GW_EVENTS_UNAVAILABLE', message: 'neither Kafka nor the outbox took 1 records', details: { parts: 3 } });
  });
});

describe('fuzz: whatever arrives, the answer is coded JSON (or 2xx), documented, never 5xx', () => {
  const token = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'), minLength: 1, maxLength: 12 });
  const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'SEARCH', 'QUERY'), token);
  const segment = fc.oneof(
    fc.constantFrom('v1', 'messages', 'batch', 'inbound', 'healthz', 'metrics', 'docs', 'static', 'openapi.json', '..', '.', '', '%zz', '%2F', '%00', '*'),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  const path = fc.oneof(
    fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
    fc.string({ unit: 'binary-ascii', maxLength: 30 }),
  );
  const query = fc.option(fc.string({ maxLength: 20 }).map((q) => `?${q}`), { nil: '' });
  const headerName = fc.oneof(token, fc.constantFrom('Content-Type', 'Content-Length', 'Transfer-Encoding', 'Authorization', 'Idempotency-Key', 'Range', 'If-None-Match', 'Accept', 'Expect', 'Host'));
  const headerValue = fc.oneof(
    fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'chunked', `Bearer ${KEY}`, 'bytes=5-1', '0', '-1', '99999999999', '100-continue'),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  );
  const body = fc.oneof(
    fc.constant(''),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.json({ maxDepth: 2 }),
    fc.constant('{"to":"09012345678","text":"fuzz"}'),
  );
  const request = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(method, path, query, fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }), body, fc.boolean()).map(([m, p, q, headers, b, withLength]) => {
      const lines = [`${m} ${p}${q} HTTP/1.1`, 'Host: fuzz', ...headers.map(([name, value]) => `${name}: ${value}`)];
      if (withLength) lines.push(`Content-Length: ${Buffer.byteLength(b, 'latin1')}`);
      return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${b}`, 'latin1');
    }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }) },
  );

  test('random request lines, headers and bodies over raw sockets', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (bytes) => {
        // A request the client never finished (a body it announced but did not send) may get no answer at all.
        for (const answer of await rawAll(bytes)) {
          expect(answer.status, answer.body).toBeLessThan(500);
          if (answer.status < 300 || answer.body === '') {
            // Without a body (HEAD), the status alone must still be one a documented code answers with.
            expect(answer.status < 300 || answer.headers['content-type']?.startsWith('application/json'), answer.status.toString()).toBe(true);
            continue;
          }
          expect(answer.headers['content-type'], answer.body).toMatch(/^application\/json/);
          const parsed = JSON.parse(answer.body) as { code?: unknown };
          expect(typeof parsed.code === 'string' && documented.has(parsed.code), answer.body).toBe(true);
          expect(httpStatusFor(parsed.code as string), answer.body).toBe(answer.status);
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
