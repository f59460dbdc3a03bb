import { beforeEach, describe, expect, test } from 'vitest';
import { AcceptService } from '../../../gateway/accept/accept-service.ts';
import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { loadRoutingFile } from '../../../gateway/index.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { MemoryPortingSource, RouterHandle, type PortingRecord } from '../../../router/index.ts';
import { MemorySuppressionStore } from '../../../gateway/adapters/memory/memory-suppression-store.ts';
import { SuppressionCheck } from '../../../gateway/suppressions/suppression-check.ts';
import { waitFor } from '../../support/wait-for.ts';

const account = { id: 'demo', defaultCountry: 'JP' };
const NOW = Date.UTC(2026, 10, 21, 3, 0, 0);

describe('AcceptService', () => {
  let backend: MessageBackend;
  let service: AcceptService;
  let down: Set<string>;
  let ids: number;

  beforeEach(() => {
    backend = createMemoryBackend();
    down = new Set();
    ids = 0;
    service = new AcceptService({
      router: new RouterHandle(loadRoutingFile(undefined)),
      store: backend.store,
      isUp: (id) => !down.has(id),
      now: () => NOW,
      newId: () => `msg-${++ids}`,
    });
  });

  test('a national Japanese number is normalized, routed, encoded once and queued on the first connector', async () => {
    const text = '東京は晴れです。'.repeat(20);
    const answer = await service.accept(account, { to: '090-1234-5678', text, clientRef: 'order-1' });
    expect(answer).toMatchObject({
      id: 'msg-1',
      status: 'queued',
      to: '+819012345678',
      carrier: 'au',
      carrierSource: 'ranges',
      route: 'jp-least-cost',
      encoding: 'ucs2',
      parts: 3,
      createdAt: new Date(NOW).toISOString(),
      duplicate: false,
    });
    const record = await backend.store.get('msg-1');
    expect(record?.envelope.encoded.parts.map((p) => p.text).join('')).toBe(text);
    expect(record?.envelope.encoded.parts.map((p) => p.concat?.total)).toEqual([3, 3, 3]);
    expect(record?.parts.map((p) => p.status)).toEqual(['pending', 'pending', 'pending']);
    expect(record?.envelope.clientRef).toBe('order-1');
    const entries = await backend.queue.read(answer.connector, 'w', 10, 0);
    expect(entries.map((e) => e.messageId)).toEqual(['msg-1']);
  });

  test("docomo's profile: 660 Japanese characters go as 10 parts of 66 on a 16-bit reference, 661 are refused naming the carrier", async () => {
    const docomo = '080-1234-5678';
    const fits = await service.accept(account, { to: docomo, text: 'あ'.repeat(660) });
    expect(fits).toMatchObject({ carrier: 'docomo', encoding: 'ucs2', parts: 10 });
    const record = await backend.store.get(fits.id);
    expect(record?.envelope.encoded.parts.map((p) => [...(p.text ?? '')].length)).toEqual(Array(10).fill(66));
    expect(record?.envelope.encoded.parts.every((p) => p.concat?.refSize === 16 && p.concat.total === 10)).toBe(true);
    const refused = await service.accept({ ...account, maxParts: 20 }, { to: docomo, text: 'あ'.repeat(661) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'CODEC_TOO_MANY_PARTS',
      details: { field: 'text', parts: 11, maxParts: 10, carrier: 'docomo', carrierMaxParts: 10, refSize: 16 },
    });
  });

  test('au, SoftBank and Rakuten count 67 a part on an 8-bit reference: 670 characters fit, 671 do not', async () => {
    const au = await service.accept(account, { to: '090-1234-5678', text: 'あ'.repeat(670) });
    expect(au).toMatchObject({ carrier: 'au', parts: 10 });
    const record = await backend.store.get(au.id);
    expect(record?.envelope.encoded.parts.every((p) => p.concat?.refSize === 8)).toBe(true);
    await expect(service.accept(account, { to: '090-1234-5678', text: 'あ'.repeat(671) })).rejects.toMatchObject({
      code: 'CODEC_TOO_MANY_PARTS',
      details: { parts: 11, carrier: 'au', refSize: 8 },
    });
  });

  test("a submit without from goes from the account's default sender; one with from keeps its own", async () => {
    const shop = { ...account, defaultSender: 'SHOPJP' };
    const implicit = await service.accept(shop, { to: '090-1234-5678', text: 'ご注文ありがとうございます' });
    // Sender rules apply to it as to any originator: the default routing's modem takes no alphanumeric sender.
    expect((await backend.store.get(implicit.id))?.envelope).toMatchObject({ from: 'SHOPJP', senders: ['SHOPJP'] });
    const explicit = await service.accept(shop, { to: '090-1234-5678', text: 'hi', from: 'OTHER' });
    expect((await backend.store.get(explicit.id))?.envelope.from).toBe('OTHER');
    const none = await service.accept(account, { to: '090-1234-5678', text: 'hi' });
    expect((await backend.store.get(none.id))?.envelope.from).toBeNull();
  });

  test('an OTP goes to the high lane, marketing to bulk, and higher lanes are read first', async () => {
    const bulk = await service.accept(account, { to: '+819012345678', text: 'Sale today', priority: 'bulk' });
    const marketing = await service.accept(account, { to: '+819012345678', text: 'Sale today', tag: 'marketing' });
    const otp = await service.accept(account, { to: '+819012345678', text: 'Your code is 123456', priority: 'high' });
    expect(marketing.connector).toBe(bulk.connector);
    const entries = await backend.queue.read(bulk.connector, 'w', 10, 0);
    expect(entries.map((e) => [e.messageId, e.lane])).toEqual([[otp.id, 'high'], [bulk.id, 'bulk'], [marketing.id, 'bulk']]);
    const tagged = await service.accept(account, { to: '+819012345678', text: 'Your code is 654321', tag: 'otp' });
    const [entry] = await backend.queue.read(tagged.connector, 'w', 10, 0);
    expect(entry?.lane).toBe('high');
  });

  test('the same Idempotency-Key returns the first answer and queues nothing new', async () => {
    const first = await service.accept(account, { to: '09012345678', text: 'hello', clientRef: 'r', encoding: 'auto' }, 'key-1');
    // The same request, its fields in another order: the canonical form is what counts.
    const again = await service.accept(account, { encoding: 'auto', clientRef: 'r', text: 'hello', to: '09012345678' }, 'key-1');
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await backend.store.get('msg-2')).toBeUndefined();
    expect((await backend.queue.read(first.connector, 'w', 10, 0)).map((e) => e.messageId)).toEqual(['msg-1']);
  });

  test('the same Idempotency-Key with a different request is a conflict, and nothing is stored', async () => {
    await service.accept(account, { to: '09012345678', text: 'hello' }, 'key-1');
    await expect(service.accept(account, { to: '09012345678', text: 'something else' }, 'key-1')).rejects.toMatchObject({
      code: 'GW_IDEMPOTENCY_CONFLICT',
      details: { field: 'Idempotency-Key' },
    });
    expect(await backend.store.get('msg-2')).toBeUndefined();
  });

  test('a batch key: the same batch passes again, another batch or a single message under it is a conflict', async () => {
    const batch = { messages: [{ to: '09012345678', text: 'a' }] };
    await service.claimBatch('demo', 'b-1', batch);
    await service.claimBatch('demo', 'b-1', structuredClone(batch));
    await expect(service.claimBatch('demo', 'b-1', { messages: [{ to: '09012345678', text: 'b' }] })).rejects.toMatchObject({ code: 'GW_IDEMPOTENCY_CONFLICT' });
    await expect(service.accept(account, { to: '09012345678', text: 'a' }, 'b-1')).rejects.toMatchObject({ code: 'GW_IDEMPOTENCY_CONFLICT' });
  });

  test('validity counts from the send time: a schedule 29 days ahead keeps the whole default validity', async () => {
    const scheduleAt = NOW + 29 * 86_400_000;
    const answer = await service.accept(account, { to: '09012345678', text: 'later', scheduleAt });
    expect(answer.status).toBe('scheduled');
    expect((await backend.store.get(answer.id))?.envelope.expiresAt).toBe(scheduleAt + 172_800_000);
    const short = await service.accept(account, { to: '09012345678', text: 'later', scheduleAt: NOW + 7_200_000, validitySeconds: 3600 });
    expect((await backend.store.get(short.id))?.envelope.expiresAt).toBe(NOW + 7_200_000 + 3_600_000);
    const now = await service.accept(account, { to: '09012345678', text: 'now', validitySeconds: 600 });
    expect((await backend.store.get(now.id))?.envelope.expiresAt).toBe(NOW + 600_000);
  });

  test('a scheduleAt within the past tolerance (clock skew) is sent at once; validity then counts from now', async () => {
    const answer = await service.accept(account, { to: '09012345678', text: 'x', scheduleAt: NOW - 299_000 });
    expect(answer.status).toBe('queued');
    expect((await backend.store.get(answer.id))?.envelope.expiresAt).toBe(NOW + 172_800_000);
  });

  test.each([
    ['\u0000', 0, 'U+0000'],
    ['ab\tc', 2, 'U+0009'],
    ['😀😀\u001b', 2, 'U+001B'],
    ['line\fpage', 4, 'U+000C'],
    ['del\u007f', 3, 'U+007F'],
    ['c1\u0085', 2, 'U+0085'],
  ])('text %j is refused with GW_CONTROL_CHARACTER at position %i (%s)', async (text, position, character) => {
    const error = await service.accept(account, { to: '09012345678', text }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GW_CONTROL_CHARACTER', details: { field: 'text', position, character } });
    expect((error as Error).message).toContain(`${character} at position ${position}`);
    expect(await backend.store.get('msg-1')).toBeUndefined();
  });

  test('LF and CR are allowed and kept', async () => {
    const answer = await service.accept(account, { to: '09012345678', text: 'one\r\ntwo\nthree' });
    expect((await backend.store.get(answer.id))?.envelope.encoded.parts.map((p) => p.text).join('')).toBe('one\r\ntwo\nthree');
  });

  test('a scheduled message waits in the schedule', async () => {
    const answer = await service.accept(account, { to: '09012345678', text: 'later', scheduleAt: NOW + 60_000 });
    expect(answer.status).toBe('scheduled');
    expect(await backend.queue.read(answer.connector, 'w', 10, 0)).toEqual([]);
    expect(await backend.queue.moveDue(NOW + 60_000, 10)).toBe(1);
  });

  test.each([
    [{ to: 'not a number', text: 'x' }, 'ROUTE_NUMBER_UNPARSABLE'],
    [{ to: '0312', text: 'x' }, 'ROUTE_NUMBER_TOO_SHORT'],
    [{ to: '09012345678' }, 'GW_INVALID_REQUEST'],
    [{ to: '09012345678', text: 'x', binary: '00' }, 'GW_INVALID_REQUEST'],
    [{ to: '09012345678', text: 'x'.repeat(2000) }, 'CODEC_TOO_MANY_PARTS'],
    [{ to: '09012345678', text: 'x'.repeat(200), maxParts: 1 }, 'CODEC_TOO_MANY_PARTS'],
    [{ to: '09012345678', text: 'あ', encoding: 'gsm7' as const }, 'CODEC_NOT_GSM7'],
    [{ to: '09012345678', binary: 'zz' }, 'CODEC_INVALID_HEX'],
    [{ to: '09012345678', text: 'x', scheduleAt: NOW + 40 * 86_400_000 }, 'GW_SCHEDULE_TOO_FAR'],
    [{ to: '09012345678', text: '' }, 'GW_INVALID_REQUEST'],
    [{ to: '09012345678', text: 'x', scheduleAt: 0 }, 'GW_SCHEDULE_IN_PAST'],
    [{ to: '09012345678', text: 'x', scheduleAt: NOW - 301_000 }, 'GW_SCHEDULE_IN_PAST'],
  ])('%j is refused with %s and nothing is stored', async (request, code) => {
    await expect(service.accept(account, request)).rejects.toMatchObject({ code });
    expect(await backend.store.get('msg-1')).toBeUndefined();
  });

  test.each([
    ['CODEC_TOO_MANY_PARTS', 'text', { parts: 14, maxParts: 10, encoding: 'gsm7' }, { to: '09012345678', text: 'x'.repeat(2000) }],
    ['CODEC_NOT_GSM7', 'text', { index: 3, codePoint: 'U+3042' }, { to: '09012345678', text: 'ok あ', encoding: 'gsm7' as const }],
    ['CODEC_INVALID_HEX', 'binary', {}, { to: '09012345678', binary: 'zz' }],
    ['CODEC_INVALID_UDH', 'udh', {}, { to: '09012345678', binary: '00', udh: '05' }],
  ])('%s names the request field %s and keeps the codec details', async (code, field, details, request) => {
    await expect(service.accept(account, request)).rejects.toMatchObject({ code, details: { ...details, field } });
  });

  test('a route whose connectors are all down still accepts: the message waits in its first connector\'s queue', async () => {
    down.add('smpp-aggregator');
    down.add('modem-pool');
    const answer = await service.accept(account, { to: '09012345678', text: 'x' });
    expect(answer.status).toBe('queued');
    const stored = await backend.store.get(answer.id);
    expect(stored?.envelope.connectors[0]).toBe(answer.connector);
    const waiting = await backend.queue.read(answer.connector, 'w', 10, 0);
    expect(waiting.map((e) => e.messageId)).toEqual([answer.id]);
  });

  test('a scheduled message is accepted whatever the health now', async () => {
    down.add('smpp-aggregator');
    down.add('modem-pool');
    const answer = await service.accept(account, { to: '09012345678', text: 'x', scheduleAt: NOW + 3_600_000 });
    expect(answer.status).toBe('scheduled');
  });

  test('when the first connector is down the route starts on the next', async () => {
    down.add('smpp-aggregator');
    const answer = await service.accept(account, { to: '09012345678', text: 'x', tag: 'otp' });
    expect(answer.connector).toBe('modem-pool');
  });

  test('the suppression read goes out while the porting lookup is still out, and a suppressed recipient is refused with nothing stored', async () => {
    let portingAnswered = 0;
    const answers: (() => void)[] = [];
    const porting = new (class extends MemoryPortingSource {
      override async get(e164: string): Promise<PortingRecord | undefined> {
        await new Promise<void>((resolve) => answers.push(resolve));
        portingAnswered++;
        return super.get(e164);
      }
    })();
    const suppressions = new MemorySuppressionStore();
    await suppressions.add({ accountId: 'demo', number: '+819012345678', reason: 'opt-out', source: { kind: 'keyword', detail: 'STOP' }, createdAt: NOW });
    /** For each suppression read, how many porting lookups had answered when it went out. */
    const reads: number[] = [];
    const screened = new AcceptService({
      router: new RouterHandle(loadRoutingFile(undefined), { porting }),
      store: backend.store,
      now: () => NOW,
      newId: () => `msg-${++ids}`,
      screen: new SuppressionCheck({
        suppressions: {
          blocking: (accountId, to, sender) => {
            reads.push(portingAnswered);
            return suppressions.match(accountId, to, sender);
          },
        },
        account: () => ({}),
      }),
    });
    const refused = screened.accept(account, { to: '090-1234-5678', text: 'hello' }).catch((error: unknown) => error);
    await waitFor(() => answers.length === 1, 'the porting lookup out', 5_000, 1);
    expect(reads).toEqual([0]);
    for (const answer of answers.splice(0)) answer();
    expect(await refused).toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED', details: { reason: 'opt-out' } });
    expect(reads).toEqual([0]);
    expect(await backend.store.get('msg-1')).toBeUndefined();

    const passed = screened.accept(account, { to: '090-1111-2222', text: 'hello' });
    await waitFor(() => answers.length === 1, 'the second porting lookup out', 5_000, 1);
    for (const answer of answers.splice(0)) answer();
    expect(await passed).toMatchObject({ to: '+819011112222', status: 'queued' });
    expect(reads).toEqual([0, 1]);
  });
});
