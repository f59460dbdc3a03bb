/**
 * A gateway on one loopback carrier whose clock the test moves (`clock.now`), with account `demo` (JP) under a
 * 08:00-21:00 weekday / 09:00-20:00 weekend send window, over the memory backend or one the test gives.
 */
import { LoopbackDriver } from '../../../drivers/loopback/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, readBuiltinRanges, type MessageRecord } from '../../../gateway/index.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { buildRoutingTable, RouterHandle } from '../../../router/index.ts';
import { waitFor } from '../../support/wait-for.ts';

const ROUTING = { routes: { jp: { strategy: 'failover', connectors: [{ id: 'carrier' }] } }, rules: [{ name: 'default', route: 'jp' }] };
export const WINDOW = {
  rules: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '08:00', to: '21:00' },
    { days: ['sat', 'sun'] as const, from: '09:00', to: '20:00' },
  ],
};

/** An instant written as Japan's wall-clock time (2026-01-15 is a Thursday). */
export const jst = (local: string): number => Date.parse(`${local}+09:00`);

export interface WindowHarness {
  readonly gw: Gateway;
  readonly carrier: LoopbackDriver;
  readonly clock: { now: number };
  readonly status: (id: string, status: string) => Promise<MessageRecord>;
}

let gateway: Gateway | undefined;
let driver: LoopbackDriver | undefined;

/** Stops the gateway (call from `afterEach`) and checks the carrier saw no send it was not told to expect. */
export async function stopWindowGateway(): Promise<void> {
  await gateway?.stop();
  driver?.assertIdle();
  gateway = undefined;
  driver = undefined;
}

/** A gateway whose clock is `clock.now` (moved by the test), over `backend` (memory unless given). */
export async function windowGateway(start: number, options: { backend?: (now: () => number) => MessageBackend; up?: boolean; retry?: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number } } = {}): Promise<WindowHarness> {
  const clock = { now: start };
  const now = (): number => clock.now;
  const carrier = (driver = new LoopbackDriver({ id: 'carrier', now, upOnStart: options.up ?? true }));
  const gw = (gateway = new Gateway({
    backend: options.backend?.(now) ?? createMemoryBackend({ now }),
    router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set(['carrier']) })),
    drivers: [carrier],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', sendWindow: WINDOW }],
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    now,
  }));
  await gw.start();
  const status = (id: string, wanted: string): Promise<MessageRecord> =>
    waitFor(async () => {
      const record = await gw.messages.get('demo', id);
      return record.status === wanted ? record : undefined;
    }, `${id} ${wanted}`);
  return { gw, carrier, clock, status };
}

