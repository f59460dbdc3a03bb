/**
 * One contract for every MessageBackend adapter (memory, Redis): the same tests, the same expectations.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { encodeText } from '../../../drivers/codec/index.ts';
import { applyChange } from '../../../gateway/messages/apply-change.ts';
import type { MessageRecord, PartState } from '../../../gateway/messages/message-record.ts';
import { PART_STATUSES, type PartStatus } from '../../../gateway/messages/message-status.ts';
import { toStoredEncoding } from '../../../gateway/messages/stored-encoding.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';

let counter = 0;

export function makeRecord(overrides: { id?: string; accountId?: string; text?: string; createdAt?: number; clientRef?: string; to?: string } = {}): MessageRecord {
  counter += 1;
  const encoded = encodeText(overrides.text ?? 'こんにちは'.repeat(30));
  const createdAt = overrides.createdAt ?? 1_763_700_000_000 + counter;
  return {
    envelope: {
      id: overrides.id ?? `m-${counter}-${Math.random().toString(36).slice(2, 8)}`,
      accountId: overrides.accountId ?? 'acct-a',
      to: overrides.to ?? '+819012345678',
      from: 'SMSGW',
      carrier: 'docomo',
      carrierSource: 'ranges',
      ruleName: 'default',
      routeId: 'jp',
      connectors: ['smsc-a', 'smsc-b'],
      lane: 'normal',
      receipt: true,
      createdAt,
      ...(overrides.clientRef === undefined ? {} : { clientRef: overrides.clientRef }),
      encoded: toStoredEncoding(encoded),
    },
    status: 'queued',
    parts: encoded.parts.map((part) => ({ seq: part.seq, status: 'pending' as const })),
    timeline: [
      { at: createdAt, event: 'accepted' },
      { at: createdAt, event: 'queued' },
    ],
  };
}

const queue = (connectorId = 'smsc-a') => ({ kind: 'queue' as const, connectorId, lane: 'normal' as const, attempt: 0 });

export function messageBackendContract(name: string, create: () => Promise<MessageBackend>): void {
  describe(`${name} message backend`, () => {
    let backend: MessageBackend;
    beforeEach(async () => {
      backend = await create();
    });
    afterEach(async () => {
      await backend.close();
    });

    test('a record and its queue entry are written together and read back unchanged', async () => {
      const record = makeRecord();
      expect(await backend.store.insert(record, queue())).toEqual({ inserted: true, id: record.envelope.id });
      expect(await backend.store.get(record.envelope.id)).toEqual(record);
      const entries = await backend.queue.read('smsc-a', 'w1', 10, 0);
      expect(entries.map((e) => [e.messageId, e.attempt, e.lane, e.deliveries])).toEqual([[record.envelope.id, 0, 'normal', 1]]);
      expect(await backend.store.get('no-such-id')).toBeUndefined();
    });

    test('a snapshot is the stored record without its timeline, current after each change', async () => {
      const record = makeRecord();
      const id = record.envelope.id;
      await backend.store.insert(record, queue());
      const { timeline: _timeline, ...withoutTimeline } = record;
      expect(await backend.store.snapshot(id)).toEqual(withoutTimeline);
      const submitted: PartState = { ...record.parts[0]!, status: 'submitted', connectorId: 'smsc-a', carrierMessageId: 'c1' };
      await backend.store.apply(id, { at: 10, parts: [submitted], status: 'sending', timeline: [{ at: 10, event: 'sending' }] });
      const snapshot = await backend.store.snapshot(id);
      const stored = await backend.store.get(id);
      expect(snapshot).not.toHaveProperty('timeline');
      expect(snapshot).toEqual({ envelope: stored?.envelope, status: 'sending', parts: stored?.parts });
      expect(snapshot?.parts[0]).toMatchObject({ status: 'submitted', carrierMessageId: 'c1' });
      expect(await backend.store.snapshot('no-such-id')).toBeUndefined();
    });

    test('an idempotency key already used returns the first id and writes nothing', async () => {
      const first = makeRecord();
      const second = makeRecord();
      const claim = { accountId: 'acct-a', key: 'k-1', ttlMs: 60_000, fingerprint: 'f-1' };
      await backend.store.insert(first, queue(), claim);
      expect(await backend.store.insert(second, queue(), claim)).toEqual({ inserted: false, id: first.envelope.id, conflict: false });
      expect(await backend.store.get(second.envelope.id)).toBeUndefined();
      expect((await backend.queue.read('smsc-a', 'w1', 10, 0)).map((e) => e.messageId)).toEqual([first.envelope.id]);
      // The same key of another account is another key.
      const third = makeRecord({ accountId: 'acct-b' });
      expect((await backend.store.insert(third, queue(), { ...claim, accountId: 'acct-b' })).inserted).toBe(true);
    });

    test('an idempotency key used with another fingerprint is a conflict and writes nothing', async () => {
      const first = makeRecord();
      const second = makeRecord();
      const claim = { accountId: 'acct-a', key: 'k-2', ttlMs: 60_000, fingerprint: 'f-1' };
      await backend.store.insert(first, queue(), claim);
      expect(await backend.store.insert(second, queue(), { ...claim, fingerprint: 'f-2' })).toEqual({ inserted: false, id: first.envelope.id, conflict: true });
      expect(await backend.store.get(second.envelope.id)).toBeUndefined();
      expect((await backend.queue.read('smsc-a', 'w1', 10, 0)).map((e) => e.messageId)).toEqual([first.envelope.id]);
    });

    test('a batch claims a key in the same key space: retries pass, another fingerprint conflicts either way', async () => {
      const claim = { accountId: 'acct-a', key: 'batch-1', ttlMs: 60_000, fingerprint: 'batch-f' };
      expect(await backend.store.claimIdempotency(claim)).toEqual({ claimed: true, conflict: false });
      expect(await backend.store.claimIdempotency(claim)).toEqual({ claimed: false, conflict: false });
      expect(await backend.store.claimIdempotency({ ...claim, fingerprint: 'other' })).toEqual({ claimed: false, conflict: true });
      // A message under a batch's key, and a batch under a message's key, are conflicts.
      const record = makeRecord();
      expect(await backend.store.insert(record, queue(), { ...claim, fingerprint: 'message-f' })).toMatchObject({ inserted: false, conflict: true });
      expect(await backend.store.get(record.envelope.id)).toBeUndefined();
      await backend.store.insert(makeRecord(), queue(), { ...claim, key: 'single-1', fingerprint: 'message-f' });
      expect(await backend.store.claimIdempotency({ ...claim, key: 'single-1' })).toEqual({ claimed: false, conflict: true });
      // Another account's key is another key.
      expect(await backend.store.claimIdempotency({ ...claim, accountId: 'acct-b' })).toEqual({ claimed: true, conflict: false });
    });

    test('a scheduled message waits until it is due', async () => {
      const record = makeRecord();
      await backend.store.insert(record, { kind: 'schedule', at: 5_000, connectorId: 'smsc-a', lane: 'bulk', attempt: 0 });
      expect(await backend.queue.read('smsc-a', 'w1', 10, 0)).toEqual([]);
      expect(await backend.queue.moveDue(4_999, 100)).toBe(0);
      expect(await backend.queue.moveDue(5_000, 100)).toBe(1);
      const entries = await backend.queue.read('smsc-a', 'w1', 10, 0);
      expect(entries.map((e) => [e.messageId, e.lane])).toEqual([[record.envelope.id, 'bulk']]);
    });

    test('parts roll up: submitted, then delivered only when every part is', async () => {
      const record = makeRecord();
      const id = record.envelope.id;
      expect(record.parts).toHaveLength(3);
      await backend.store.insert(record, queue());
      const submitted: PartState[] = record.parts.map((p) => ({ ...p, status: 'submitted', connectorId: 'smsc-a', carrierMessageId: `c${p.seq}` }));
      let after = await backend.store.apply(id, { at: 10, parts: submitted, rollUp: true, timeline: [{ at: 10, event: 'sending' }] });
      expect(after?.status).toBe('submitted');
      // The status moved, so the message after the change (without its timeline) comes with the answer.
      const stored = await backend.store.get(id);
      expect(after?.record).toMatchObject({ envelope: stored?.envelope, status: stored?.status, parts: stored?.parts });
      after = await backend.store.apply(id, { at: 11, parts: [{ ...submitted[0]!, status: 'delivered' }], rollUp: true, timeline: [] });
      expect(after?.status).toBe('submitted');
      await Promise.all(
        submitted.slice(1).map((p) => backend.store.apply(id, { at: 12, parts: [{ ...p, status: 'delivered', raw: { stat: 'DELIVRD' } }], rollUp: true, timeline: [{ at: 12, event: 'part:delivered', seq: p.seq }] })),
      );
      const final = await backend.store.get(id);
      expect(final?.status).toBe('delivered');
      expect(final?.parts.map((p) => p.status)).toEqual(['delivered', 'delivered', 'delivered']);
      expect(final?.parts[2]?.raw).toEqual({ stat: 'DELIVRD' });
      expect(final?.timeline.filter((t) => t.event === 'delivered')).toHaveLength(1);
      expect(final?.timeline.filter((t) => t.event === 'submitted').map((t) => t.at)).toEqual([10]);
      // Final is final: a late failure of a part does not reopen the message.
      after = await backend.store.apply(id, { at: 13, parts: [{ ...submitted[0]!, status: 'failed' }], rollUp: true, timeline: [] });
      expect(after?.status).toBe('delivered');
      expect(await backend.store.apply('no-such-id', { at: 1, timeline: [] })).toBeUndefined();
    });

    test('the stored roll-up equals the reference for any sequence of part changes', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom<PartStatus>(...PART_STATUSES), fc.boolean()), { minLength: 1, maxLength: 8 }),
          async (changes) => {
            const record = makeRecord();
            await backend.store.insert(record, queue('prop'));
            let expected: MessageRecord = record;
            for (const [index, [seq, status, withError]] of changes.entries()) {
              const attempt = withError ? { error: { code: 'SMPP_THROTTLED', message: `attempt ${index}` }, raw: { commandStatus: 88 } } : {};
              const change = { at: 100 + index, parts: [{ seq, status, ...attempt }], rollUp: true, timeline: [] };
              const previous = expected.status;
              expected = applyChange(expected, change);
              const stored = await backend.store.apply(record.envelope.id, change);
              expect(stored?.status).toBe(expected.status);
              expect(stored?.previousStatus).toBe(previous);
            }
            expect(await backend.store.get(record.envelope.id)).toEqual(expected);
          },
        ),
        { numRuns: 25 },
      );
    });

    test('a receipt watch comes due once per lease and ends with a final status', async () => {
      const record = makeRecord();
      const id = record.envelope.id;
      await backend.store.insert(record, queue('watch'));
      await backend.store.apply(id, { at: 1, parts: [{ seq: 1, status: 'submitted' }], timeline: [], watchUntil: 1_000 });
      // An earlier time never shortens a wait.
      await backend.store.apply(id, { at: 2, timeline: [], watchUntil: 500 });
      expect(await backend.store.claimDueWatches(999, 10, 100)).not.toContain(id);
      expect(await backend.store.claimDueWatches(1_000, 10, 100)).toContain(id);
      expect(await backend.store.claimDueWatches(1_050, 10, 100)).not.toContain(id);
      expect(await backend.store.claimDueWatches(1_100, 10, 100)).toContain(id);
      await backend.store.apply(id, { at: 3, status: 'unknown', timeline: [] });
      expect(await backend.store.claimDueWatches(1_000_000, 1_000, 100)).not.toContain(id);
    });

    test('part updates merge into the stored part field by field', async () => {
      const record = makeRecord();
      const id = record.envelope.id;
      await backend.store.insert(record, queue());
      await backend.store.apply(id, { at: 1, parts: [{ seq: 2, status: 'submitted', connectorId: 'smsc-a', carrierMessageId: 'ab12', submittedAt: 1_763_700_000_123 }], timeline: [] });
      const after = await backend.store.apply(id, { at: 2, parts: [{ seq: 2, status: 'delivered', raw: { stat: 'DELIVRD', err: '000' }, doneAt: 1_763_700_009_999 }, { seq: 3, error: { code: 'SMPP_THROTTLED', message: 'x' } }], rollUp: true, timeline: [] });
      expect(after?.status).toBe('queued');
      const stored = await backend.store.get(id);
      expect(stored?.parts[1]).toEqual({ seq: 2, status: 'delivered', connectorId: 'smsc-a', carrierMessageId: 'ab12', submittedAt: 1_763_700_000_123, raw: { stat: 'DELIVRD', err: '000' }, doneAt: 1_763_700_009_999 });
      expect(stored?.parts[2]).toEqual({ seq: 3, status: 'pending', error: { code: 'SMPP_THROTTLED', message: 'x' } });
    });

    test('an explicit status is kept and stamped by the caller', async () => {
      const record = makeRecord();
      await backend.store.insert(record, queue());
      const after = await backend.store.apply(record.envelope.id, { at: 20, status: 'canceled', timeline: [{ at: 20, event: 'canceled', detail: 'by client' }] });
      expect(after?.status).toBe('canceled');
      expect((await backend.store.get(record.envelope.id))?.timeline.at(-1)).toEqual({ at: 20, event: 'canceled', detail: 'by client' });
    });

    test('a change records its correlations with its part updates, and reports which parts moved', async () => {
      const record = makeRecord();
      const id = record.envelope.id;
      await backend.store.insert(record, queue());
      const applied = await backend.store.apply(id, {
        at: 30,
        parts: [{ seq: 1, status: 'submitted', connectorId: 'smsc-a', carrierMessageId: 'c-1' }],
        rollUp: true,
        timeline: [],
        correlations: [{ connectorId: 'smsc-a', carrierMessageId: 'c-1', seq: 1, submittedAt: 30, ttlMs: 60_000 }],
      });
      expect(applied).toMatchObject({ id, movedParts: [1] });
      expect(await backend.store.findCorrelation('smsc-a', 'c-1')).toEqual({ messageId: id, seq: 1, submittedAt: 30 });
      const again = await backend.store.apply(id, { at: 31, parts: [{ seq: 1, status: 'submitted' }], rollUp: true, timeline: [] });
      expect(again?.movedParts).toEqual([]);
    });

    test('a final part keeps its status when an earlier outcome lands after it (its other fields merge)', async () => {
      const record = makeRecord({ text: 'hello' });
      const id = record.envelope.id;
      await backend.store.insert(record, queue());
      await backend.store.apply(id, { at: 40, parts: [{ seq: 1, status: 'delivered', raw: { stat: 'DELIVRD' } }], rollUp: true, timeline: [] });
      const late = await backend.store.apply(id, { at: 41, parts: [{ seq: 1, status: 'submitted', carrierMessageId: 'c-9', connectorId: 'smsc-a' }], rollUp: true, timeline: [] });
      expect(late?.movedParts).toEqual([]);
      const stored = await backend.store.get(id);
      expect(stored?.status).toBe('delivered');
      expect(stored?.parts[0]).toMatchObject({ status: 'delivered', carrierMessageId: 'c-9', raw: { stat: 'DELIVRD' } });
      expect(applyChange(record, { at: 40, parts: [{ seq: 1, status: 'failed' }], timeline: [] }).parts[0]?.status).toBe('failed');
    });

    test('a part entering submitted or delivered drops the error and raw values of an earlier failed attempt', async () => {
      const record = makeRecord();
      const id = record.envelope.id;
      await backend.store.insert(record, queue());
      const throttled = { code: 'SMPP_THROTTLED', message: 'throttled' };
      await backend.store.apply(id, { at: 50, parts: [{ seq: 1, connectorId: 'smsc-a', error: throttled, raw: { commandStatus: 88 } }, { seq: 2, connectorId: 'smsc-a', error: throttled }], timeline: [] });
      await backend.store.apply(id, { at: 51, parts: [{ seq: 1, status: 'submitted', carrierMessageId: 'c-1', submittedAt: 51 }], timeline: [] });
      expect((await backend.store.get(id))?.parts[0]).toEqual({ seq: 1, status: 'submitted', connectorId: 'smsc-a', carrierMessageId: 'c-1', submittedAt: 51 });
      await backend.store.apply(id, { at: 52, parts: [{ seq: 1, status: 'delivered', raw: { stat: 'DELIVRD' }, doneAt: 52 }, { seq: 2, status: 'delivered', doneAt: 52 }], timeline: [] });
      const stored = await backend.store.get(id);
      expect(stored?.parts[0]).toEqual({ seq: 1, status: 'delivered', connectorId: 'smsc-a', carrierMessageId: 'c-1', submittedAt: 51, raw: { stat: 'DELIVRD' }, doneAt: 52 });
      expect(stored?.parts[1]).toEqual({ seq: 2, status: 'delivered', connectorId: 'smsc-a', doneAt: 52 });
      // A failure keeps (and replaces) its error.
      await backend.store.apply(id, { at: 53, parts: [{ seq: 3, error: throttled }], timeline: [] });
      await backend.store.apply(id, { at: 54, parts: [{ seq: 3, status: 'failed', error: { code: 'SMPP_INVALID_DEST', message: 'x' } }], timeline: [] });
      expect((await backend.store.get(id))?.parts[2]).toEqual({ seq: 3, status: 'failed', error: { code: 'SMPP_INVALID_DEST', message: 'x' } });
    });

    test('canceling marks the pending parts canceled; a part already sent keeps its status', async () => {
      const record = makeRecord();
      const id = record.envelope.id;
      await backend.store.insert(record, queue());
      await backend.store.apply(id, { at: 60, parts: [{ seq: 1, status: 'submitted', carrierMessageId: 'c-1' }], timeline: [] });
      const applied = await backend.store.apply(id, {
        at: 61,
        status: 'canceled',
        parts: record.parts.map((part) => ({ seq: part.seq, status: 'canceled' as const, carrierMessageId: 'never' })),
        timeline: [{ at: 61, event: 'canceled' }],
      });
      expect(applied?.movedParts).toEqual(record.parts.slice(1).map((part) => part.seq));
      const stored = await backend.store.get(id);
      expect(stored?.status).toBe('canceled');
      expect(stored?.parts.map((part) => part.status)).toEqual(['submitted', ...record.parts.slice(1).map(() => 'canceled')]);
      expect(stored?.parts[0]?.carrierMessageId).toBe('c-1');
    });

    test('inbound messages are listed per account, newest first, down to a time and a limit', async () => {
      const inbound = (id: string, accountId: string | null, receivedAt: string) => ({
        type: 'message.inbound' as const,
        version: 1 as const,
        id,
        accountId,
        connector: 'smsc-a',
        from: '+819011112222',
        to: '12345',
        text: `STOP ${id}`,
        encoding: 'gsm7',
        parts: 1,
        complete: true,
        receivedAt,
      });
      await backend.inbound.add(inbound('i1', 'acct-a', '2026-11-21T01:00:00.000Z'));
      await backend.inbound.add(inbound('i2', 'acct-b', '2026-11-21T02:00:00.000Z'));
      await backend.inbound.add(inbound('i3', 'acct-a', '2026-11-21T03:00:00.000Z'));
      await backend.inbound.add(inbound('i4', null, '2026-11-21T04:00:00.000Z'));
      expect((await backend.inbound.list('acct-a', 10)).map((e) => e.id)).toEqual(['i3', 'i1']);
      expect((await backend.inbound.list('acct-a', 1)).map((e) => e.id)).toEqual(['i3']);
      expect((await backend.inbound.list('acct-a', 10, Date.parse('2026-11-21T02:00:00Z'))).map((e) => e.id)).toEqual(['i3']);
      expect(await backend.inbound.list('acct-c', 10)).toEqual([]);
    });

    test('webhook jobs are stored once per event id, leased, retried and finished for good', async () => {
      const job = (id: string) => ({ id, url: 'http://127.0.0.1:9/hook', secret: 'a-very-long-webhook-secret', body: '{}' });
      expect(await backend.webhooks.add([job('e1'), job('e1'), job('e2')], 1_000)).toBe(2);
      const leased = await backend.webhooks.lease(1_000, 500, 10);
      expect(leased.map((j) => j.id).sort()).toEqual(['e1', 'e2']);
      expect(await backend.webhooks.lease(1_200, 500, 10)).toEqual([]);
      await backend.webhooks.retryAt({ ...job('e1'), attempts: 1 }, 2_000);
      await backend.webhooks.finish('e2');
      expect(await backend.webhooks.add([job('e2')], 1_300)).toBe(0);
      expect(await backend.webhooks.waiting()).toBe(1);
      expect(await backend.webhooks.lease(1_900, 500, 10)).toEqual([]);
      expect(await backend.webhooks.lease(2_000, 500, 10)).toEqual([{ ...job('e1'), attempts: 1 }]);
    });

    test('correlations find the part of a carrier message id until they expire', async () => {
      await backend.store.correlate('smsc-a', 'abc123', { messageId: 'm-1', seq: 2, submittedAt: 1_763_700_000_123 }, 60_000);
      await backend.store.correlate('smsc-a', 'short', { messageId: 'm-2', seq: 1 }, 30);
      expect(await backend.store.findCorrelation('smsc-a', 'abc123')).toEqual({ messageId: 'm-1', seq: 2, submittedAt: 1_763_700_000_123 });
      await backend.store.correlate('smsc-a', 'id:with:colons', { messageId: 'm:3', seq: 1 }, 60_000);
      expect(await backend.store.findCorrelation('smsc-a', 'id:with:colons')).toEqual({ messageId: 'm:3', seq: 1 });
      expect(await backend.store.findCorrelation('smsc-b', 'abc123')).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await backend.store.findCorrelation('smsc-a', 'short')).toBeUndefined();
    });

    test('listings filter and page newest first with cursors, also within one millisecond', async () => {
      const records = [
        makeRecord({ createdAt: 1_000, clientRef: 'x' }),
        makeRecord({ createdAt: 2_000, clientRef: 'y' }),
        makeRecord({ createdAt: 2_000, clientRef: 'x' }),
        makeRecord({ createdAt: 2_000, clientRef: 'x', to: '+818011112222' }),
        makeRecord({ createdAt: 3_000, clientRef: 'x' }),
        makeRecord({ createdAt: 3_000, accountId: 'acct-other', clientRef: 'x' }),
      ];
      for (const record of records) await backend.store.insert(record, queue('list'));
      const mine = records.filter((r) => r.envelope.accountId === 'acct-a' && r.envelope.clientRef === 'x');
      const expected = [...mine].sort((a, b) => b.envelope.createdAt - a.envelope.createdAt || (a.envelope.id < b.envelope.id ? 1 : -1)).map((r) => r.envelope.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const result = await backend.store.list({ accountId: 'acct-a', clientRef: 'x', limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...result.items.map((r) => r.envelope.id));
        cursor = result.nextCursor;
        if (cursor === undefined) break;
      }
      expect(seen).toEqual(expected);
      const window = await backend.store.list({ accountId: 'acct-a', since: 2_000, until: 3_000, limit: 10 });
      expect(window.items.map((r) => r.envelope.createdAt)).toEqual([2_000, 2_000, 2_000]);
      const byNumber = await backend.store.list({ accountId: 'acct-a', to: '+818011112222', limit: 10 });
      expect(byNumber.items.map((r) => r.envelope.id)).toEqual([records[3]!.envelope.id]);
      await expect(backend.store.list({ accountId: 'acct-a', limit: 2, cursor: 'garbage' })).rejects.toMatchObject({ code: 'GW_INVALID_CURSOR' });
    });

    test('higher lanes are read first', async () => {
      await backend.queue.enqueue('lanes', 'bulk', { messageId: 'b1', attempt: 0 });
      await backend.queue.enqueue('lanes', 'normal', { messageId: 'n1', attempt: 0 });
      await backend.queue.enqueue('lanes', 'high', { messageId: 'h1', attempt: 0 });
      await backend.queue.enqueue('lanes', 'bulk', { messageId: 'b2', attempt: 0 });
      expect((await backend.queue.read('lanes', 'w', 2, 0)).map((e) => e.messageId)).toEqual(['h1', 'n1']);
      expect((await backend.queue.read('lanes', 'w', 10, 0)).map((e) => e.messageId)).toEqual(['b1', 'b2']);
    });

    test('unacknowledged entries are reclaimed by another consumer; acknowledged ones are gone', async () => {
      await backend.queue.enqueue('claim', 'normal', { messageId: 'a', attempt: 0 });
      await backend.queue.enqueue('claim', 'high', { messageId: 'b', attempt: 1 });
      const read = await backend.queue.read('claim', 'dead-worker', 10, 0);
      expect(read).toHaveLength(2);
      await backend.queue.ack('claim', read.filter((e) => e.messageId === 'b'));
      expect(await backend.queue.depth('claim')).toEqual([
        { lane: 'high', waiting: 0, pending: 0 },
        { lane: 'normal', waiting: 0, pending: 1 },
        { lane: 'bulk', waiting: 0, pending: 0 },
      ]);
      expect(await backend.queue.reclaim('claim', 'rescuer', 60_000, 10)).toEqual([]);
      const reclaimed = await backend.queue.reclaim('claim', 'rescuer', 0, 10);
      expect(reclaimed.map((e) => [e.messageId, e.attempt, e.deliveries])).toEqual([['a', 0, 2]]);
      await backend.queue.ack('claim', reclaimed);
      expect((await backend.queue.depth('claim')).every((d) => d.waiting === 0 && d.pending === 0)).toBe(true);
    });

    test('reclaim never takes the entries of a consumer whose lease holds, however idle', async () => {
      await backend.queue.heartbeat('live-worker', 60_000);
      await backend.queue.enqueue('lease', 'normal', { messageId: 'kept', attempt: 0 });
      await backend.queue.enqueue('lease', 'normal', { messageId: 'own-held', attempt: 0 });
      await backend.queue.enqueue('lease', 'normal', { messageId: 'own-lost', attempt: 0 });
      const [kept] = await backend.queue.read('lease', 'live-worker', 1, 0);
      const own = await backend.queue.read('lease', 'rescuer', 2, 0);
      expect(kept?.messageId).toBe('kept');
      const held = new Set([own.find((e) => e.messageId === 'own-held')!.entryId]);
      // Another consumer's lease holds: nothing of it is taken; of its own entries, only the one it lost track of.
      const reclaimed = await backend.queue.reclaim('lease', 'rescuer', 0, 10, held);
      expect(reclaimed.map((e) => [e.messageId, e.deliveries])).toEqual([['own-lost', 2]]);
      // Once the lease ends, its entries go to whoever reclaims.
      await backend.queue.retire('live-worker');
      const after = await backend.queue.reclaim('lease', 'rescuer', 0, 10, new Set(own.map((e) => e.entryId)));
      expect(after.map((e) => e.messageId)).toEqual(['kept']);
      await backend.queue.ack('lease', [...own, ...after]);
    });

    test('a blocked read wakes when an entry arrives', async () => {
      const reading = backend.queue.read('wake', 'w', 5, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await backend.queue.enqueue('wake', 'normal', { messageId: 'late', attempt: 0 });
      const entries = await reading;
      expect(entries.map((e) => e.messageId)).toEqual(['late']);
      expect(await backend.queue.read('wake', 'w', 5, 30)).toEqual([]);
    });
  });
}
