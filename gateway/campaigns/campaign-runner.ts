/**
 * Runs the running campaigns: one loop per campaign hands its recipients on in order, from the stored cursor, at
 * the campaign's pace and only while its send window is open. One process runs a campaign at a time: the store's
 * lease, renewed as the loop goes.
 *
 * Handing a recipient on is three steps (see ports/campaign-store.ts):
 * 1. claim: in one store step, only while the campaign is running, the recipient becomes queued with a message id
 *    decided here, and is the campaign's submit in flight; a pause or cancel in any process stops the claims;
 * 2. submit, with that message id and the Idempotency-Key `campaign:<id>:<index>`;
 * 3. confirm: the mark is cleared, and a campaign canceled meanwhile gets the new message canceled (it has not
 *    reached a connector yet, or it goes on and the recipient follows it).
 * A submit in flight found later (the process stopped, the store did not answer, the campaign was paused between
 * the steps, for a day or a month) is settled before anything else: when its message is stored it is confirmed,
 * otherwise it is submitted again with the same id and key. The campaign's store is thus the record of what was
 * handed on, beyond the Idempotency-Key's 24 hours: no recipient is sent twice and none is skipped.
 * Time: every decision reads `now`; waits go through `schedule`, so tests drive the loop with a manual clock.
 */
import { randomUUID } from 'node:crypto';
import { isCodedError } from '../../common/index.ts';
import type { AcceptedMessage, ServiceSubmit, SubmitRequest } from '../accept/accept-request.ts';
import type { AccountConfig } from '../accounts/account-registry.ts';
import type { CampaignRecipient, CampaignRecord, CampaignStore, RecipientCounter } from '../ports/campaign-store.ts';
import { windowOpening } from '../windows/send-windows.ts';
import { SegmentBucket } from './campaign-pacing.ts';

export type Schedule = (ms: number, run: () => void) => () => void;

export interface CampaignRunnerOptions {
  readonly store: CampaignStore;
  readonly account: (id: string) => AccountConfig | undefined;
  readonly submit: (accountId: string, request: SubmitRequest, idempotencyKey: string, service: ServiceSubmit) => Promise<AcceptedMessage>;
  /** Whether a message with this id is stored (a submit in flight that was made). */
  readonly stored: (messageId: string) => Promise<boolean>;
  /** Cancels a message made for a campaign that was canceled meanwhile (it fails when a connector has it already). */
  readonly cancel: (accountId: string, messageId: string) => Promise<unknown>;
  /** The recipient's own short link (the campaign's links settings give the target and expiry). */
  readonly link: (campaign: CampaignRecord, recipient: { readonly to: string; readonly messageId: string }, target: string) => Promise<string>;
  /** A campaign reached its end (completed) or moved on its own (scheduled -> running). */
  readonly changed?: (record: CampaignRecord) => Promise<void>;
  readonly counted?: RecipientCounter;
  /** This process's name in the leases. */
  readonly owner: string;
  readonly leaseMs?: number;
  /** Recipients handed on but not yet sent, at most (unpaced campaigns wait for the connectors beyond it). */
  readonly maxAhead?: number;
  readonly now: () => number;
  readonly schedule?: Schedule;
  readonly newId?: () => string;
  readonly failed?: (campaignId: string, error: unknown) => void;
}

const BATCH = 50;
const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_MAX_AHEAD = 2_000;
/** The longest single wait: the state, the window and the lease are looked at again after it. */
const MAX_WAIT_MS = 5_000;
const RETRY_MS = 1_000;

const realSchedule: Schedule = (ms, run) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

interface Loop {
  stopped: boolean;
  wake?: () => void;
  done: Promise<void>;
}

/** What became of a recipient's hand-on: done (submitted or refused), stopped (not claimed: the state moved), retry. */
type HandOn = 'done' | 'stopped' | 'retry';

export class CampaignRunner {
  private readonly loops = new Map<string, Loop>();
  private readonly schedule: Schedule;
  private readonly newId: () => string;
  private closed = false;

  constructor(private readonly options: CampaignRunnerOptions) {
    this.schedule = options.schedule ?? realSchedule;
    this.newId = options.newId ?? randomUUID;
  }

  /** Resumes every scheduled or running campaign of the store. */
  async start(): Promise<void> {
    this.closed = false;
    for (const id of await this.options.store.active()) this.run(id);
  }

  /** Starts the loop of a campaign unless this process runs it already. */
  run(id: string): void {
    if (this.closed || this.loops.has(id)) return;
    const loop: Loop = { stopped: false, done: Promise.resolve() };
    this.loops.set(id, loop);
    loop.done = this.loop(id, loop)
      .catch((error: unknown) => this.options.failed?.(id, error))
      .finally(async () => {
        if (this.loops.get(id) === loop) this.loops.delete(id);
        await this.options.store.release(id, this.options.owner).catch(() => undefined);
      });
  }

  /** Stops a campaign's loop here and waits until its submit in flight is recorded. */
  async halt(id: string): Promise<void> {
    const loop = this.loops.get(id);
    if (loop === undefined) return;
    loop.stopped = true;
    loop.wake?.();
    await loop.done;
  }

  /**
   * After a cancel (and `halt`): settles the campaign's submit in flight, when one was left and no live process
   * runs the campaign (the lease is free); a process that runs it settles it on its next turn.
   */
  async settleCanceled(id: string): Promise<void> {
    const { store, owner } = this.options;
    if (this.loops.has(id) || !(await store.lease(id, owner, this.options.leaseMs ?? DEFAULT_LEASE_MS))) return;
    try {
      const record = await store.get(id);
      if (record?.inFlight !== undefined && record.state === 'canceled') await this.settle(record);
    } finally {
      await store.release(id, owner);
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.loops.keys()].map((id) => this.halt(id)));
  }

  private async loop(id: string, loop: Loop): Promise<void> {
    const { store, now } = this.options;
    const leaseMs = this.options.leaseMs ?? DEFAULT_LEASE_MS;
    let bucket: SegmentBucket | undefined;
    let leasedAt = -Infinity;
    while (!loop.stopped) {
      if (now() - leasedAt > leaseMs / 3) {
        if (!(await store.lease(id, this.options.owner, leaseMs))) {
          // Another process runs it; look again when its lease could have ended.
          await this.wait(loop, leaseMs);
          continue;
        }
        leasedAt = now();
      }
      let record = await store.get(id);
      if (record === undefined) return;
      if (record.inFlight !== undefined) {
        // Before anything else: the submit a stop, a failure or a pause left in flight.
        if (await this.settle(record)) continue;
        if (record.state !== 'running') return;
        await this.wait(loop, RETRY_MS);
        continue;
      }
      if (record.state === 'scheduled') {
        const due = record.options.sendAt ?? 0;
        if (now() < due) {
          await this.wait(loop, due - now());
          continue;
        }
        record = await store.transition(id, ['scheduled'], 'running', 'startedAt', now());
        if (record === undefined) continue;
        await this.options.changed?.(record);
      }
      if (record.state !== 'running') return;
      if (record.cursor >= record.total) {
        const done = await store.transition(id, ['running'], 'completed', 'completedAt', now());
        if (done !== undefined) await this.options.changed?.(done);
        return;
      }
      const rate = SegmentBucket.rateOf(record.options.pacing);
      if (rate === undefined && record.counts.queued >= (this.options.maxAhead ?? DEFAULT_MAX_AHEAD)) {
        await this.wait(loop, RETRY_MS);
        continue;
      }
      if (rate !== undefined) bucket ??= new SegmentBucket(rate);
      const account = this.options.account(record.accountId);
      for (const recipient of await store.recipients(id, record.cursor, BATCH)) {
        if (loop.stopped) return;
        const opening = windowOpening(record.options.sendWindow ?? account?.sendWindow, { tag: record.options.tag, to: recipient.to }, now(), account?.defaultCountry);
        if (opening !== undefined) {
          // Outside the window nothing is handed on (no pile of deferred messages): wait for its opening.
          await this.wait(loop, opening - now());
          break;
        }
        const pause = bucket?.take(recipient.segments, now()) ?? 0;
        if (pause > 0) {
          await this.wait(loop, pause);
          break;
        }
        const handed = await this.handOn(record, recipient);
        if (handed === 'stopped') break;
        if (handed === 'retry') {
          await this.wait(loop, RETRY_MS);
          break;
        }
        if (now() - leasedAt > leaseMs / 3) break;
      }
    }
  }

  /** Claims a recipient and submits it. */
  private async handOn(record: CampaignRecord, recipient: CampaignRecipient): Promise<HandOn> {
    const messageId = this.newId();
    if (!(await this.options.store.claim(record.id, recipient.index, messageId, this.options.now()))) return 'stopped';
    this.options.counted?.(record.accountId, 'queued', 1);
    return (await this.submit(record, { ...recipient, status: 'queued', messageId })) ? 'done' : 'retry';
  }

  /**
   * Settles the submit in flight of `record`: confirmed when its message is stored (or its events moved the
   * recipient already), canceled when it was never made and the campaign was canceled, submitted again when it was
   * never made and the campaign runs. False when it is left for later (a paused campaign, or a failed submit).
   */
  private async settle(record: CampaignRecord): Promise<boolean> {
    const { store, now } = this.options;
    const index = record.inFlight as number;
    const [recipient] = await store.recipients(record.id, index, 1);
    const messageId = recipient?.messageId;
    if (recipient === undefined || messageId === undefined) {
      // Not a claimed recipient (never so with a claim): only the mark is left.
      await store.unsent(record.id, index, { status: 'failed', at: now(), error: 'GW_NOT_FOUND' });
      return true;
    }
    if (recipient.status !== 'queued' || (await this.options.stored(messageId))) {
      await this.confirmed(record, index, messageId);
      return true;
    }
    if (record.state === 'canceled') {
      if (await store.unsent(record.id, index, { status: 'canceled', at: now() })) this.options.counted?.(record.accountId, 'canceled', 1);
      return true;
    }
    if (record.state !== 'running') return false;
    return this.submit(record, { ...recipient, messageId });
  }

  /** Submits a claimed recipient and confirms it; false when the gateway cannot take it now (it stays in flight). */
  private async submit(record: CampaignRecord, recipient: CampaignRecipient & { readonly messageId: string }): Promise<boolean> {
    const { store, now } = this.options;
    const { index, to, linkTarget, messageId } = recipient;
    const key = `campaign:${record.id}:${index}`;
    let accepted: AcceptedMessage;
    try {
      let text = recipient.text;
      if (record.linkPlaceholder !== undefined && linkTarget !== undefined && text.includes(record.linkPlaceholder)) {
        // The link is kept before the submit: a submit made again has the same text (and key).
        let link = recipient.link;
        if (link === undefined) {
          link = await this.options.link(record, { to, messageId }, linkTarget);
          await store.linked(record.id, index, link);
        }
        text = text.replaceAll(record.linkPlaceholder, link);
      }
      const { options } = record;
      const request: SubmitRequest = {
        to,
        text,
        priority: 'bulk',
        tag: options.tag,
        clientRef: key,
        ...(options.from === undefined ? {} : { from: options.from }),
        ...(options.validitySeconds === undefined ? {} : { validitySeconds: options.validitySeconds }),
      };
      // A campaign with a window of its own is not held again by the account's (the runner keeps its own).
      accepted = await this.options.submit(record.accountId, request, key, { messageId, ...(options.sendWindow === undefined ? {} : { ignoreSendWindow: true }) });
    } catch (error: unknown) {
      if (isCodedError(error) && !error.retriable) {
        if (await store.unsent(record.id, index, { status: 'failed', at: now(), error: error.code })) this.options.counted?.(record.accountId, 'failed', 1);
        return true;
      }
      this.options.failed?.(record.id, error);
      return false;
    }
    try {
      await this.confirmed(record, index, accepted.id);
      return true;
    } catch (error: unknown) {
      // Stored but not confirmed: the next turn finds it stored.
      this.options.failed?.(record.id, error);
      return false;
    }
  }

  /** Clears the mark; a campaign canceled since the claim gets the message canceled (before a connector has it). */
  private async confirmed(record: CampaignRecord, index: number, messageId: string): Promise<void> {
    const state = await this.options.store.confirm(record.id, index, messageId);
    if (state === 'canceled') await this.options.cancel(record.accountId, messageId).catch(() => undefined);
  }

  private wait(loop: Loop, ms: number): Promise<void> {
    if (loop.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const cancel = this.schedule(Math.max(1, Math.min(ms, MAX_WAIT_MS)), () => {
        delete loop.wake;
        resolve();
      });
      loop.wake = () => {
        cancel();
        delete loop.wake;
        resolve();
      };
    });
  }
}
