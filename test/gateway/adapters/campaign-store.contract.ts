/** One contract for every CampaignStore adapter (memory, Redis). */
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { CampaignStore, NewCampaign, NewRecipient } from '../../../gateway/ports/campaign-store.ts';

const T0 = Date.UTC(2026, 0, 15, 3, 0, 0);

function campaign(extra: Partial<NewCampaign> = {}): NewCampaign {
  return { id: randomUUID(), accountId: 'acct-a', template: 'Hi {{name}}', options: { tag: 'campaign', sendWindow: { rules: [{ days: ['mon'], from: '08:00', to: '20:00' }] } }, total: 3, segments: 4, createdAt: T0, state: 'running', ...extra };
}

const RECIPIENTS: readonly NewRecipient[] = [
  { line: 2, to: '+819012340001', text: 'Hi Ann', segments: 1 },
  { line: 3, to: '+819012340002', text: 'Hi Bob ★', segments: 2, linkTarget: 'https://example.jp/b' },
  { line: 5, to: '+819012340003', text: 'Hi Cy', segments: 1 },
];

export function campaignStoreContract(name: string, make: () => CampaignStore): void {
  describe(`CampaignStore contract: ${name}`, () => {
    test('a campaign reads back as made, with its recipients in order and every one pending', async () => {
      const store = make();
      const made = campaign();
      await store.create(made, RECIPIENTS);
      expect(await store.get(made.id)).toEqual({ ...made, stamps: {}, cursor: 0, revision: 0, counts: { pending: 3, queued: 0, sent: 0, delivered: 0, failed: 0, canceled: 0, clicked: 0 } });
      expect(await store.recipients(made.id, 1, 5)).toEqual([
        { ...RECIPIENTS[1], index: 1, status: 'pending' },
        { ...RECIPIENTS[2], index: 2, status: 'pending' },
      ]);
      expect(await store.get('nope')).toBeUndefined();
      expect(await store.active()).toContain(made.id);
    });

    test('a state moves only from the states named, with its time', async () => {
      const store = make();
      const made = campaign({ state: 'draft' });
      await store.create(made, RECIPIENTS);
      expect(await store.transition(made.id, ['paused'], 'running', 'resumedAt', T0 + 1)).toBeUndefined();
      expect(await store.transition(made.id, ['draft'], 'running', 'startedAt', T0 + 2)).toMatchObject({ state: 'running', stamps: { startedAt: T0 + 2 } });
      expect(await store.active()).toContain(made.id);
      expect(await store.transition(made.id, ['running'], 'completed', 'completedAt', T0 + 3)).toMatchObject({ state: 'completed' });
      expect(await store.active()).not.toContain(made.id);
      expect(await store.transition('nope', ['running'], 'paused', undefined, T0)).toBeUndefined();
    });

    test('a claim hands one recipient on: queued with its message, cursor past it, in flight until confirmed', async () => {
      const store = make();
      const made = campaign();
      await store.create(made, RECIPIENTS);
      expect(await store.claim(made.id, 1, 'm-1', T0 + 1)).toBe(false);
      expect(await store.claim(made.id, 0, 'm-0', T0 + 1)).toBe(true);
      expect(await store.get(made.id)).toMatchObject({ cursor: 1, inFlight: 0, counts: { pending: 2, queued: 1 } });
      // One submit in flight at a time, and a recipient is claimed once.
      expect(await store.claim(made.id, 1, 'm-1', T0 + 2)).toBe(false);
      expect(await store.claim(made.id, 0, 'm-0-again', T0 + 2)).toBe(false);
      expect((await store.recipients(made.id, 0, 1))[0]).toEqual({ ...RECIPIENTS[0], index: 0, status: 'queued', messageId: 'm-0', queuedAt: T0 + 1 });
      expect(await store.confirm(made.id, 0, 'm-0')).toBe('running');
      expect((await store.get(made.id))?.inFlight).toBeUndefined();
      expect(await store.confirm('nope', 0, 'm-0')).toBeUndefined();
      // A refused submit: failed with its code, without the id of a message never made.
      expect(await store.claim(made.id, 1, 'm-1', T0 + 3)).toBe(true);
      expect(await store.unsent(made.id, 0, { status: 'failed', at: T0 + 4, error: 'X' })).toBe(false);
      expect(await store.unsent(made.id, 1, { status: 'failed', at: T0 + 4, error: 'GW_NOT_ROUTABLE' })).toBe(true);
      expect((await store.recipients(made.id, 1, 1))[0]).toEqual({ ...RECIPIENTS[1], index: 1, status: 'failed', error: 'GW_NOT_ROUTABLE', queuedAt: T0 + 3, failedAt: T0 + 4 });
      expect(await store.get(made.id)).toMatchObject({ cursor: 2, counts: { pending: 1, queued: 1, failed: 1 } });
      expect((await store.get(made.id))?.inFlight).toBeUndefined();
    });

    test('statuses only go forward, only for the message the recipient was claimed with, and the counters follow', async () => {
      const store = make();
      const made = campaign();
      await store.create(made, RECIPIENTS);
      // Events of a message the campaign did not make (a client's clientRef) move nothing.
      expect(await store.update(made.id, 0, { status: 'sent', at: T0, messageId: 'm-0' })).toBe(false);
      await store.claim(made.id, 0, 'm-0', T0 + 1);
      expect(await store.update(made.id, 0, { status: 'sent', at: T0 + 4, messageId: 'm-0' })).toBe(true);
      expect(await store.update(made.id, 0, { status: 'queued', at: T0 + 5 })).toBe(false);
      expect(await store.update(made.id, 0, { status: 'delivered', at: T0 + 6, messageId: 'other' })).toBe(false);
      expect(await store.update(made.id, 0, { status: 'delivered', at: T0 + 7, messageId: 'm-0' })).toBe(true);
      expect(await store.update(made.id, 9, { status: 'delivered', at: T0 + 7 })).toBe(false);
      // Its events came before the confirm; an Idempotency-Key that answered an older message names that one.
      expect(await store.confirm(made.id, 0, 'm-0')).toBe('running');
      await store.claim(made.id, 1, 'm-1', T0 + 8);
      await store.confirm(made.id, 1, 'm-older');
      expect(await store.update(made.id, 1, { status: 'sent', at: T0 + 9, messageId: 'm-older' })).toBe(true);
      const [first, second] = await store.recipients(made.id, 0, 2);
      expect(first).toEqual({ ...RECIPIENTS[0], index: 0, status: 'delivered', messageId: 'm-0', queuedAt: T0 + 1, sentAt: T0 + 4, deliveredAt: T0 + 7 });
      expect(second).toMatchObject({ status: 'sent', messageId: 'm-older' });
      expect(await store.get(made.id)).toMatchObject({ cursor: 2, counts: { pending: 1, queued: 0, sent: 1, delivered: 1, failed: 0 } });
    });

    test('claim, then cancel: the claimed recipient keeps its real status, only the unclaimed are canceled', async () => {
      const store = make();
      const made = campaign();
      await store.create(made, RECIPIENTS);
      expect(await store.claim(made.id, 0, 'm-0', T0 + 1)).toBe(true);
      expect(await store.transition(made.id, ['running'], 'canceled', 'canceledAt', T0 + 2)).toMatchObject({ state: 'canceled', inFlight: 0 });
      expect(await store.cancelRest(made.id, T0 + 2)).toBe(2);
      // The submit in flight lands after the cancel: confirmed, and the runner learns the campaign is canceled.
      expect(await store.confirm(made.id, 0, 'm-0')).toBe('canceled');
      expect(await store.get(made.id)).toMatchObject({ cursor: 3, counts: { pending: 0, queued: 1, canceled: 2 } });
      expect(await store.update(made.id, 0, { status: 'sent', at: T0 + 3, messageId: 'm-0' })).toBe(true);
      expect((await store.recipients(made.id, 0, 3)).map((r) => r.status)).toEqual(['sent', 'canceled', 'canceled']);
    });

    test('cancel, then claim: nothing is claimed after the state left running; a submit never made ends canceled', async () => {
      const store = make();
      const made = campaign();
      await store.create(made, RECIPIENTS);
      expect(await store.claim(made.id, 0, 'm-0', T0 + 1)).toBe(true);
      await store.confirm(made.id, 0, 'm-0');
      expect(await store.claim(made.id, 1, 'm-1', T0 + 2)).toBe(true);
      await store.transition(made.id, ['running'], 'paused', 'pausedAt', T0 + 3);
      expect(await store.claim(made.id, 2, 'm-2', T0 + 3)).toBe(false);
      await store.transition(made.id, ['paused'], 'canceled', 'canceledAt', T0 + 4);
      expect(await store.claim(made.id, 2, 'm-2', T0 + 4)).toBe(false);
      expect(await store.cancelRest(made.id, T0 + 4)).toBe(1);
      expect(await store.claim(made.id, 3, 'm-3', T0 + 5)).toBe(false);
      // Recipient 1's submit was never stored: it ends canceled, without a message id.
      expect(await store.unsent(made.id, 1, { status: 'canceled', at: T0 + 5 })).toBe(true);
      const recipients = await store.recipients(made.id, 0, 3);
      expect(recipients.map((r) => [r.status, r.messageId])).toEqual([
        ['queued', 'm-0'],
        ['canceled', undefined],
        ['canceled', undefined],
      ]);
      expect(await store.get(made.id)).toMatchObject({ state: 'canceled', cursor: 3, counts: { pending: 0, queued: 1, canceled: 2 } });
      expect((await store.get(made.id))?.inFlight).toBeUndefined();
    });

    test('each state change counts one revision', async () => {
      const store = make();
      const made = campaign({ state: 'draft' });
      await store.create(made, RECIPIENTS);
      expect((await store.get(made.id))?.revision).toBe(0);
      await store.transition(made.id, ['draft'], 'running', 'startedAt', T0 + 1);
      await store.transition(made.id, ['draft'], 'running', 'startedAt', T0 + 2);
      expect((await store.transition(made.id, ['running'], 'paused', 'pausedAt', T0 + 3))?.revision).toBe(2);
    });

    test('a click is recorded once, by number; cancel marks the rest', async () => {
      const store = make();
      const made = campaign();
      await store.create(made, RECIPIENTS);
      await store.claim(made.id, 0, 'm-0', T0 + 1);
      await store.confirm(made.id, 0, 'm-0');
      expect(await store.clicked(made.id, '+819012340001', T0 + 9)).toBe(true);
      expect(await store.clicked(made.id, '+819012340001', T0 + 10)).toBe(false);
      expect(await store.clicked(made.id, '+819099999999', T0 + 10)).toBe(false);
      await store.linked(made.id, 1, 'https://s.example.jp/l/AbCdEf1234');
      expect((await store.recipients(made.id, 1, 1))[0]).toMatchObject({ link: 'https://s.example.jp/l/AbCdEf1234', status: 'pending' });
      await store.transition(made.id, ['running'], 'canceled', 'canceledAt', T0 + 11);
      expect(await store.cancelRest(made.id, T0 + 11)).toBe(2);
      expect(await store.get(made.id)).toMatchObject({ cursor: 3, counts: { pending: 0, queued: 1, canceled: 2, clicked: 1 } });
      expect((await store.recipients(made.id, 0, 1))[0]).toMatchObject({ clickedAt: T0 + 9, status: 'queued' });
    });

    test('a lease is held by one owner at a time, renewed by it, and given back', async () => {
      const store = make();
      const made = campaign();
      await store.create(made, RECIPIENTS);
      expect(await store.lease(made.id, 'p1', 60_000)).toBe(true);
      expect(await store.lease(made.id, 'p2', 60_000)).toBe(false);
      expect(await store.lease(made.id, 'p1', 60_000)).toBe(true);
      await store.release(made.id, 'p2');
      expect(await store.lease(made.id, 'p2', 60_000)).toBe(false);
      await store.release(made.id, 'p1');
      expect(await store.lease(made.id, 'p2', 60_000)).toBe(true);
    });

    test('an account lists its campaigns newest first', async () => {
      const store = make();
      const account = `acct-${randomUUID()}`;
      const older = campaign({ accountId: account, createdAt: T0 });
      const newer = campaign({ accountId: account, createdAt: T0 + 1 });
      await store.create(older, RECIPIENTS);
      await store.create(newer, RECIPIENTS);
      expect((await store.list(account, 10)).map((record) => record.id)).toEqual([newer.id, older.id]);
      expect((await store.list(account, 1)).map((record) => record.id)).toEqual([newer.id]);
    });
  });
}
