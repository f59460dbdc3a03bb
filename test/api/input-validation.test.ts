/**
 * Strict input on both submit endpoints through fastify's inject, with a real gateway (memory backend, no
 * drivers: accepted messages wait in their queue) and a fixed clock: no coercion, strict UTF-8, control
 * characters, scheduleAt limits, the list's `to` filter, idempotency on both endpoints, binary inbound messages,
 * and fuzzed malformed bodies that must all end in a documented 4xx code without a message being stored.
 */
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi, type MockInstance } from 'vitest';
import { buildApp, httpStatusFor } from '../../api/index.ts';
import { firstInvalidUtf8 } from '../../api/request-validation.ts';
import { checkText } from '../../gateway/accept/text-policy.ts';
import { createMemoryBackend, Gateway, hashApiKey, inboundEvent, loadRoutingFile } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import type { MessageStore } from '../../gateway/ports/message-store.ts';
import { ROUTE_ERRORS, RouterHandle } from '../../router/index.ts';

const KEY = 'input-key';
const auth = { authorization: `Bearer ${KEY}` };
const NOW = Date.UTC(2026, 10, 21, 3, 0, 0);

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const documented = new Set(
  readme
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1]?.trim().replaceAll('`', '') ?? ''),
);

let backend: MessageBackend;
let gateway: Gateway;
let app: FastifyInstance;
let inserts: MockInstance<MessageStore['insert']>;

beforeAll(async () => {
  backend = createMemoryBackend({ now: () => NOW });
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', numbers: ['+819033334444'] }],
    now: () => NOW,
  });
  app = await buildApp({ gateway });
  inserts = vi.spyOn(backend.store, 'insert');
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
});

beforeEach(() => {
  inserts.mockClear();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, headers: { ...auth, ...headers }, payload: payload as Record<string, unknown> });
const raw = (url: string, body: Buffer | string) => app.inject({ method: 'POST', url, headers: { ...auth, 'content-type': 'application/json' }, payload: body });

interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}
interface BatchBody {
  readonly accepted: number;
  readonly refused: number;
  readonly results: { index: number; ok: boolean; message?: { id: string; duplicate: boolean }; error?: ErrorBody }[];
}

/** The single endpoint's refusal, and the same item's refusal inside a batch. */
async function refusedByBoth(item: unknown): Promise<{ single: ErrorBody & { status: number }; batch: ErrorBody }> {
  const single = await post('/v1/messages', item);
  const batch = await post('/v1/messages/batch', { messages: [item] });
  expect(batch.statusCode).toBe(200);
  const [result] = batch.json<BatchBody>().results;
  expect(result?.ok).toBe(false);
  return { single: { ...single.json<ErrorBody>(), status: single.statusCode }, batch: result?.error as ErrorBody };
}

describe('one schema, no coercion, on both endpoints', () => {
  test.each([
    [{ to: '09012345678', text: null }, 'text'],
    [{ to: '09012345678', text: '' }, 'text'],
    [{ to: '09012345678', text: true }, 'text'],
    [{ to: '09012345678', text: 5 }, 'text'],
    [{ to: 819012345678, text: 'x' }, 'to'],
    [{ to: '09012345678', text: 'x', validityPeriod: '3600' }, 'validityPeriod'],
    [{ to: '09012345678', text: 'x', maxParts: '2' }, 'maxParts'],
    [{ to: '09012345678', text: 'x', smart: 'true' }, 'smart'],
    [{ to: '09012345678', text: ['x'] }, 'text'],
  ])('%j is refused with 400 API_INVALID_BODY naming %s, by both', async (item, field) => {
    const { single, batch } = await refusedByBoth(item);
    expect(single).toMatchObject({ status: 400, code: 'API_INVALID_BODY', field });
    expect(batch).toMatchObject({ code: 'API_INVALID_BODY', field });
    expect(inserts).not.toHaveBeenCalled();
  });

  test('query strings are still read as numbers', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/messages?limit=5', headers: auth });
    expect(response.statusCode).toBe(200);
  });
});

describe('bodies are strict UTF-8', () => {
  test.each([
    ['a lone continuation byte', Buffer.from([0x80]), 0],
    ['a truncated sequence', Buffer.from([0xe3, 0x81]), 0],
    ['an overlong slash', Buffer.from([0xc0, 0xaf]), 0],
    ['a UTF-16 surrogate', Buffer.from([0xed, 0xa0, 0x80]), 0],
    ['Latin-1 é', Buffer.from('é', 'latin1'), 0],
  ])('%s in the text is refused with API_BODY_NOT_UTF8 naming the byte, by both', async (_name, bad, offset) => {
    const single = Buffer.concat([Buffer.from('{"to":"09012345678","text":"ok'), bad, Buffer.from('"}')]);
    const batch = Buffer.concat([Buffer.from('{"messages":[{"to":"09012345678","text":"ok'), bad, Buffer.from('"}]}')]);
    for (const [url, body, prefix] of [['/v1/messages', single, 30], ['/v1/messages/batch', batch, 43]] as const) {
      const response = await raw(url, body);
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>()).toMatchObject({ code: 'API_BODY_NOT_UTF8', message: expect.stringContaining(`byte ${prefix + offset}`) as string });
    }
    expect(inserts).not.toHaveBeenCalled();
  });

  test('valid multi-byte text still goes through', async () => {
    const response = await raw('/v1/messages', Buffer.from('{"to":"09012345678","text":"こんにちは 😀"}', 'utf8'));
    expect(response.statusCode).toBe(202);
  });

  test('the offset finder agrees with Node on any octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (octets) => {
        const at = firstInvalidUtf8(octets);
        expect(at === -1).toBe(isUtf8(octets));
        if (at >= 0) expect(isUtf8(octets.subarray(0, at))).toBe(true);
      }),
    );
  });
});

describe('control characters in text', () => {
  test('NUL is refused with GW_CONTROL_CHARACTER naming its position, by both', async () => {
    const { single, batch } = await refusedByBoth({ to: '09012345678', text: 'code\u0000123' });
    expect(single).toMatchObject({ status: 400, code: 'GW_CONTROL_CHARACTER', field: 'text' });
    expect(single.message).toContain('U+0000 at position 4');
    expect(batch).toMatchObject({ code: 'GW_CONTROL_CHARACTER', field: 'text' });
    expect(inserts).not.toHaveBeenCalled();
  });

  test('LF and CR are sent', async () => {
    expect((await post('/v1/messages', { to: '09012345678', text: 'a\r\nb' })).statusCode).toBe(202);
  });
});

describe('scheduleAt', () => {
  test('1970 is refused with GW_SCHEDULE_IN_PAST, by both', async () => {
    const { single, batch } = await refusedByBoth({ to: '09012345678', text: 'x', scheduleAt: '1970-01-01T00:00:00Z' });
    expect(single).toMatchObject({ status: 400, code: 'GW_SCHEDULE_IN_PAST', field: 'scheduleAt' });
    expect(batch).toMatchObject({ code: 'GW_SCHEDULE_IN_PAST', field: 'scheduleAt' });
    expect(inserts).not.toHaveBeenCalled();
  });

  test('29 days ahead is accepted with the default validity, which counts from scheduleAt', async () => {
    const scheduleAt = NOW + 29 * 86_400_000;
    const response = await post('/v1/messages', { to: '09012345678', text: 'x', scheduleAt: new Date(scheduleAt).toISOString() });
    expect(response.statusCode).toBe(202);
    const message = (await app.inject({ method: 'GET', url: `/v1/messages/${response.json<{ id: string }>().id}`, headers: auth })).json<{ status: string; expiresAt: string }>();
    expect(message).toMatchObject({ status: 'scheduled', expiresAt: new Date(scheduleAt + 172_800_000).toISOString() });
  });
});

describe('the list filter on to', () => {
  test('national, international and space-for-plus forms find the same message; garbage is refused', async () => {
    const accepted = (await post('/v1/messages', { to: '+819087654321', text: 'find me', clientRef: 'list-to' })).json<{ id: string }>();
    for (const to of ['090-8765-4321', '%2B819087654321', '+819087654321', '09087654321']) {
      const response = await app.inject({ method: 'GET', url: `/v1/messages?to=${to}`, headers: auth });
      expect(response.statusCode, to).toBe(200);
      expect(response.json<{ items: { id: string }[] }>().items.map((m) => m.id), to).toEqual([accepted.id]);
    }
    const garbage = await app.inject({ method: 'GET', url: '/v1/messages?to=call-me', headers: auth });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json<ErrorBody>()).toMatchObject({ code: 'ROUTE_NUMBER_UNPARSABLE', field: 'to' });
  });
});

describe('Idempotency-Key', () => {
  test('single: the same request answers the first message; another request is 409 GW_IDEMPOTENCY_CONFLICT', async () => {
    const first = await post('/v1/messages', { to: '09012345678', text: 'once' }, { 'idempotency-key': 'single-1' });
    const again = await post('/v1/messages', { text: 'once', to: '09012345678' }, { 'idempotency-key': 'single-1' });
    expect(again.json()).toMatchObject({ id: first.json<{ id: string }>().id, duplicate: true });
    const other = await post('/v1/messages', { to: '09012345678', text: 'twice' }, { 'idempotency-key': 'single-1' });
    expect(other.statusCode).toBe(409);
    expect(other.json<ErrorBody>()).toMatchObject({ code: 'GW_IDEMPOTENCY_CONFLICT', field: 'Idempotency-Key' });
    const asBatch = await post('/v1/messages/batch', { messages: [{ to: '09012345678', text: 'once' }] }, { 'idempotency-key': 'single-1' });
    expect(asBatch.statusCode).toBe(409);
  });

  test('batch: the same batch answers the first messages; another batch is 409 and stores nothing', async () => {
    const batch = { messages: [{ to: '09012345678', text: 'one' }, { to: 'nobody', text: 'two' }, { to: '08011112222', text: 'three' }] };
    const first = (await post('/v1/messages/batch', batch, { 'idempotency-key': 'batch-1' })).json<BatchBody>();
    expect(first.results.map((r) => r.ok)).toEqual([true, false, true]);
    const again = (await post('/v1/messages/batch', structuredClone(batch), { 'idempotency-key': 'batch-1' })).json<BatchBody>();
    expect(again.results.map((r) => r.message?.id)).toEqual(first.results.map((r) => r.message?.id));
    expect(again.results.map((r) => r.message?.duplicate ?? r.error?.code)).toEqual([true, 'ROUTE_NUMBER_UNPARSABLE', true]);
    const before = (await app.inject({ method: 'GET', url: '/v1/messages?limit=1000', headers: auth })).json<{ items: unknown[] }>().items.length;
    const other = await post('/v1/messages/batch', { messages: [{ to: '09012345678', text: 'changed' }] }, { 'idempotency-key': 'batch-1' });
    expect(other.statusCode).toBe(409);
    expect(other.json<ErrorBody>().code).toBe('GW_IDEMPOTENCY_CONFLICT');
    const after = (await app.inject({ method: 'GET', url: '/v1/messages?limit=1000', headers: auth })).json<{ items: unknown[] }>().items.length;
    expect(after).toBe(before);
  });
});

describe('binary inbound messages', () => {
  test('GET /v1/inbound shows the octets as base64 and the data coding', async () => {
    const octets = Uint8Array.of(0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, 0x00, 0xff);
    await backend.inbound.add(
      inboundEvent({ connectorId: 'smsc-a', from: '+819011112222', to: '+819033334444', text: '', encoding: 'binary', binary: octets, parts: 1, complete: true, receivedAt: new Date(NOW) }, 'in-1', 'demo'),
    );
    const response = await app.inject({ method: 'GET', url: '/v1/inbound', headers: auth });
    const [item] = response.json<{ items: { text: string; encoding: string; binary?: string }[] }>().items;
    expect(item).toMatchObject({ text: '', encoding: 'binary' });
    expect(Buffer.from(item?.binary ?? '', 'base64')).toEqual(Buffer.from(octets));
  });
});

describe('fuzz: malformed bodies never send and always answer a documented 4xx', () => {
  const isDocumented4xx = (code: string, status: number): boolean =>
    status >= 400 && status < 500 && httpStatusFor(code) === status && (documented.has(code) || code in ROUTE_ERRORS);

  const notString = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 }));
  const notInteger = fc.oneof(fc.constant(null), fc.boolean(), fc.string(), fc.double({ noInteger: true }), fc.integer({ max: 0 }), fc.array(fc.integer(), { maxLength: 2 }));
  const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x0a && c !== 0x0d), fc.integer({ min: 0x7f, max: 0x9f })).map((c) => String.fromCharCode(c));
  const badText = fc.oneof(fc.constant(''), fc.tuple(fc.string({ maxLength: 10 }), control, fc.string({ maxLength: 10 })).map(([a, c, b]) => a + c + b));
  const pastDate = fc.integer({ min: 0, max: NOW - 86_400_000 }).map((ms) => new Date(ms).toISOString());
  const mutation = fc.oneof(
    notString.map((v) => ({ to: v })),
    notString.map((v) => ({ text: v })),
    badText.map((v) => ({ text: v })),
    notInteger.map((v) => ({ validityPeriod: v })),
    notInteger.map((v) => ({ maxParts: v })),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null)).map((v) => ({ smart: v })),
    fc.oneof(pastDate, fc.string({ maxLength: 12 }), fc.integer()).map((v) => ({ scheduleAt: v })),
    fc.string({ maxLength: 6 }).filter((v) => !['auto', 'gsm7', 'ucs2'].includes(v)).map((v) => ({ encoding: v })),
    fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['to', 'text', 'from', 'binary', 'udh', 'encoding', 'smart', 'tag', 'callbackUrl', 'scheduleAt', 'validityPeriod', 'priority', 'clientRef', 'maxParts', '__proto__', 'constructor'].includes(k)).map((k) => ({ [k]: 1 })),
  );

  test('one field broken: both endpoints refuse it with a documented 4xx code', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (broken) => {
        inserts.mockClear();
        const item = { to: '09012345678', text: 'hello', ...broken };
        const single = await post('/v1/messages', item);
        const code = single.json<ErrorBody>().code;
        expect(isDocumented4xx(code, single.statusCode), `${single.statusCode} ${code} for ${JSON.stringify(item)}`).toBe(true);
        const batch = await post('/v1/messages/batch', { messages: [item] });
        expect(batch.statusCode).toBe(200);
        const result = batch.json<BatchBody>().results[0];
        expect(result?.ok).toBe(false);
        expect(isDocumented4xx(result?.error?.code ?? '', httpStatusFor(result?.error?.code ?? ''))).toBe(true);
        expect(inserts).not.toHaveBeenCalled();
      }),
      { numRuns: 150 },
    );
  });

  test('arbitrary octets as a JSON body: a documented 4xx, never a 5xx, never a send', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.concat([Buffer.from('{"to":"09012345678","text":"'), b, Buffer.from('\\u0000"}')]))),
        fc.constantFrom('/v1/messages', '/v1/messages/batch'),
        async (octets, url) => {
          inserts.mockClear();
          const response = await raw(url, Buffer.from(octets));
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode === 202) {
            // The random octets happened to spell a valid message (an escaped backslash before "u0000", say):
            // accepting it is right, and only a body that parses to a clean text may get here.
            const body = JSON.parse(Buffer.from(octets).toString('utf8')) as { text?: unknown };
            expect(typeof body.text).toBe('string');
            expect(() => checkText(body.text as string)).not.toThrow();
            return;
          }
          if (response.statusCode !== 200) expect(isDocumented4xx(response.json<ErrorBody>().code, response.statusCode)).toBe(true);
          expect(inserts).not.toHaveBeenCalled();
        },
      ),
      { numRuns: 150 },
    );
  });
});
