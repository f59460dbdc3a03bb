/**
 * Runs the running campaigns: one loop per campaign hands its recipients on in order, from the stored cursor, at
 * the campaign's pace and only while its send window is open. Each recipient is submitted with the Idempotency-Key
 * `campaign:<id>:<index>`, then recorded (message id, cursor past it). A process that stops between the two resumes
 * at the same recipient, and its submit answers the first message (duplicate), so no recipient is sent twice and
 * none is skipped. One process runs a campaign at a time: the store's lease, renewed as the loop goes.
 * Time: every decision reads `now`; waits go through `schedule`, so tests drive the loop with a manual clock.
 */
import { isCodedError } from '../../common/index.ts';
import type { AcceptedMessage, ServiceSubmit, SubmitRequest } from '../accept/accept-request.ts';
import type { AccountConfig } from '../accounts/account-registry.ts';
import type { CampaignRecipient, CampaignRecord, CampaignStore } from '../ports/campaign-store.ts';
import { windowOpening } from '../windows/send-windows.ts';
import { SegmentBucket } from './campaign-pacing.ts';

export type Schedule = (ms: number, run: () => void) => () => void;

export interface CampaignRunnerOptions {
  readonly store: CampaignStore;
  readonly account: (id: string) => AccountConfig | undefined;
  readonly submit: (accountId: string, request: SubmitRequest, idempotencyKey: string, service: ServiceSubmit) => Promise<AcceptedMessage>;
  /** The recipient's own short link (the campaign's links settings give the target and expiry). */
  readonly link: (campaign: CampaignRecord, to: string, target: string) => Promise<string>;
  /** A campaign reached its end (completed) or moved on its own (scheduled -> running). */
  readonly changed?: (record: CampaignRecord) => void;
  /** This process's name in the leases. */
  readonly owner: string;
  readonly leaseMs?: number;
  /** Recipients handed on but not yet sent, at most (unpaced campaigns wait for the connectors beyond it). */
  readonly maxAhead?: number;
  readonly now: () => number;
  readonly schedule?: Schedule;
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

export class CampaignRunner {
  private readonly loops = new Map<string, Loop>();
  private readonly schedule: Schedule;
  private closed = false;

  constructor(private readonly options: CampaignRunnerOptions) {
    this.schedule = options.schedule ?? realSchedule;
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
      if (record.state === 'scheduled') {
        const due = record.options.sendAt ?? 0;
        if (now() < due) {
          await this.wait(loop, due - now());
          continue;
        }
        record = await store.transition(id, ['scheduled'], 'running', 'startedAt', now());
        if (record === undefined) continue;
        this.options.changed?.(record);
      }
      if (record.state !== 'running') return;
      if (record.cursor >= record.total) {
        const done = await store.transition(id, ['running'], 'completed', 'completedAt', now());
        if (done !== undefined) this.options.changed?.(done);
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
        if (!(await this.handOn(record, recipient))) {
          await this.wait(loop, RETRY_MS);
          break;
        }
        if (now() - leasedAt > leaseMs / 3) break;
      }
    }
  }

  /** Submits one recipient and records it; false when the gateway cannot take it now (try again later). */
  private async handOn(record: CampaignRecord, recipient: CampaignRecipient): Promise<boolean> {
    const { store, now } = this.options;
    const { index, to, linkTarget } = recipient;
    const key = `campaign:${record.id}:${index}`;
    let text = recipient.text;
    try {
      if (record.linkPlaceholder !== undefined && linkTarget !== undefined && text.includes(record.linkPlaceholder)) {
        // The link is kept before the submit: a submit made again after a restart has the same text (and key).
        let link = recipient.link;
        if (link === undefined) {
          link = await this.options.link(record, to, linkTarget);
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
      const accepted = await this.options.submit(record.accountId, request, key, options.sendWindow === undefined ? {} : { ignoreSendWindow: true });
      await store.handedOn(record.id, index, accepted.id, now());
      return true;
    } catch (error: unknown) {
      if (isCodedError(error) && !error.retriable) {
        await store.refused(record.id, index, error.code, now());
        return true;
      }
      this.options.failed?.(record.id, error);
      return false;
    }
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
