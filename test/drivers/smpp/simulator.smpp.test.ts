/**
 * The driver against the SMSC simulator: what the carrier actually received (reassembled by the simulator),
 * receipts in its id formats, its throttling, windows, drops and dead-peer behaviour.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { SmppConnector } from '../../../drivers/smpp/index.ts';
import type { PartOutcome } from '../../../drivers/transport/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle, type SmscSimulatorOptions } from '../../../simulator/index.ts';
import { waitFor } from '../../support/wait-for.ts';
import { connectorConfig, recordingSink, started, textRequest } from './harness.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: SmscSimulatorOptions = {}): Promise<SmscSimulatorHandle> {
  const sim = await startSmscSimulator(options);
  cleanups.push(() => sim.close());
  return sim;
}

function connector(sim: SmscSimulatorHandle, overrides: Record<string, unknown> = {}): SmppConnector {
  const c = new SmppConnector(connectorConfig(sim.smppPort, { password: 'test', ...overrides }));
  cleanups.push(() => c.close());
  return c;
}

const TEXTS = {
  gsm: 'Your parcel 4711 is on its way; track it at example.com/t/4711 before 18:00. '.repeat(4),
  'gsm extension': 'Prices {EUR} [2026]: 5€ ~ 7€ | ^caret^ \\slash\\ '.repeat(5),
  japanese: 'こんにちは、明日の会議は十時からです。資料を確認してください。'.repeat(3),
  emoji: 'Party 🎉 tonight 😀 bring 🍕 and 🎸! '.repeat(6),
};

describe('SMPP connector against the SMSC simulator', () => {
  describe.each(['udh', 'sar', 'payload'] as const)('carriage %s', (carriage) => {
    test.each(Object.entries(TEXTS))('%s arrives reassembled to the exact text, every receipt matched', async (_name, text) => {
      const sim = await simulator();
      const sink = recordingSink();
      const c = await started(connector(sim, { carriage }), sink);
      const request = textRequest(text, { receipt: true });
      const result = await c.send(request);
      const ids = result.parts.map((p) => (p.status === 'submitted' ? p.carrierMessageId : `not submitted: ${p.status}`));
      expect(ids).toHaveLength(carriage === 'payload' ? 1 : request.encoded.parts.length);
      const [record] = sim.messages();
      expect(record).toMatchObject({ text: request.encoded.text, complete: true, carriage, destTon: 1, destNpi: 1, sourceTon: 5 });
      expect(sim.messages()).toHaveLength(1);
      await waitFor(() => sink.receipts.length === ids.length, 'a receipt per part');
      expect(sink.receipts.map((r) => r.carrierMessageId).sort()).toEqual([...ids].sort());
    });
  });

  test.each(['decimal-ids', 'hex-resp-decimal-receipt', 'mixed-receipts', 'intermediate'])(
    'receipts in scenario %s match the ids submit_sm_resp gave',
    async (scenario) => {
      const sim = await simulator({ scenario });
      const sink = recordingSink();
      const c = await started(connector(sim, { registeredDelivery: scenario === 'intermediate' ? 0x11 : 0x01 }), sink);
      const results = await Promise.all(Array.from({ length: 10 }, (_v, i) => c.send(textRequest(`receipt ${i}`, { receipt: true }))));
      const ids = new Set(results.flatMap((r) => r.parts).map((p) => (p.status === 'submitted' ? p.carrierMessageId : '')));
      expect(ids.size).toBe(10);
      await waitFor(() => sink.receipts.filter((r) => r.final).length === 10, 'ten final receipts');
      for (const receipt of sink.receipts) expect(ids.has(receipt.carrierMessageId)).toBe(true);
      if (scenario === 'intermediate') expect(sink.receipts.filter((r) => !r.final && r.state === 'enroute')).toHaveLength(10);
      if (scenario === 'mixed-receipts') {
        const states = new Set(sink.receipts.map((r) => r.state));
        expect([...states].every((s) => ['delivered', 'undeliverable', 'expired', 'rejected'].includes(s))).toBe(true);
      }
    },
  );

  test('per-prefix submit errors come back typed, not retriable', async () => {
    const sim = await simulator({ scenario: 'invalid-destinations' });
    const c = await started(connector(sim));
    const result = await c.send(textRequest('to a bad range', { to: '+817012345678' }));
    expect(result.parts[0]).toMatchObject({
      status: 'failed',
      error: { code: 'SMPP_SUBMIT_REJECTED', retriable: false, details: { commandStatus: 0x0b, statusName: 'ESME_RINVDSTADR' } },
    });
  });

  test('a wrong password: ESME_RBINDFAIL as a typed error, retried with backoff', async () => {
    const sim = await simulator();
    const downs: string[] = [];
    const c = connector(sim, { password: 'wrong' });
    c.on('down', (_l, reason) => downs.push(reason));
    await c.start(recordingSink());
    await waitFor(() => downs.length >= 3, 'three failed binds');
    expect(downs[0]).toMatch(/^SMPP_BIND_REJECTED/);
    expect(c.health().links[0]?.detail.lastError).toBe('SMPP_BIND_REJECTED');
    expect(sim.counts().bindFailures).toBeGreaterThanOrEqual(3);
  });

  test('the window is never exceeded against a slow SMSC that refuses beyond 10 outstanding', async () => {
    const sim = await simulator({ scenario: 'window' });
    const c = await started(connector(sim, { windowSize: 10, binds: 2 }));
    const results = await Promise.all(Array.from({ length: 80 }, (_v, i) => c.send(textRequest(`window ${i}`))));
    expect(results.flatMap((r) => r.parts).every((p) => p.status === 'submitted')).toBe(true);
    expect(sim.counts().submitStatuses.ESME_RMSGQFUL ?? 0).toBe(0);
    expect(Math.max(...sim.binds().map((b) => b.maxOutstandingSubmits))).toBe(10);
  });

  test('throttled above 40 TPS: the driver slows down and loses nothing', async () => {
    const sim = await simulator({ scenario: 'throttled', behaviour: { throttle: { tps: 40 } } });
    const rates: number[] = [];
    const c = connector(sim, { throttle: { pauseMs: 250, minTps: 5 } });
    c.on('throttled', (rate) => rates.push(rate));
    await started(c);
    const results = await Promise.all(Array.from({ length: 30 }, (_v, i) => c.send(textRequest(`${i} ${TEXTS.gsm}`))));
    expect(results.flatMap((r) => r.parts).every((p) => p.status === 'submitted')).toBe(true);
    expect(rates.length).toBeGreaterThan(0);
    expect(sim.messages({ complete: true })).toHaveLength(30);
  }, 20_000);

  test('drops every N PDUs: outcomes unknown or submitted, nothing written twice', async () => {
    const sim = await simulator({ behaviour: { dropEveryPdus: 15, latency: { kind: 'fixed', ms: 20 } } });
    const c = await started(connector(sim, { windowSize: 5 }));
    const results = await Promise.all(Array.from({ length: 40 }, (_v, i) => c.send(textRequest(`drop ${i}`))));
    const outcomes: PartOutcome[] = results.flatMap((r) => r.parts);
    const submitted = outcomes.filter((p) => p.status === 'submitted').length;
    const unknown = outcomes.filter((p) => p.status === 'unknown').length;
    expect(submitted + unknown).toBe(40);
    expect(unknown).toBeGreaterThan(0);
    expect(sim.counts().connectionsDropped).toBeGreaterThan(0);
    // The SMSC recorded each text at most once: no part was silently written again.
    const texts = sim.messages().map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.length).toBeGreaterThanOrEqual(submitted);
  });

  test('a silent enquire_link: dead peer detected, socket destroyed, rebound', async () => {
    const sim = await simulator({ scenario: 'silent-enquire-link' });
    const downs: string[] = [];
    const c = connector(sim, { enquireLinkIntervalMs: 100, enquireLinkTimeoutMs: 200 });
    c.on('down', (_l, reason) => downs.push(reason));
    await started(c);
    await waitFor(() => downs.length > 0, 'the dead peer noticed', 3000);
    expect(downs[0]).toMatch(/^SMPP_ENQUIRE_LINK_TIMEOUT/);
    await waitFor(() => c.health().up && sim.binds().length === 1, 'rebound, the old session gone');
  });

  test.each(['udh', 'sar', 'payload'] as const)('MO in %s form, parts in reverse order, reassembled', async (carriage) => {
    const sim = await simulator();
    const sink = recordingSink();
    await started(connector(sim), sink);
    const text = 'STOP sending me offers please. Ich möchte keine Werbung mehr bekommen, danke schön! '.repeat(3);
    const result = await sim.injectMo({ from: '+447700900999', to: '12345', text, carriage, order: 'reverse' });
    expect(result.acknowledged).toBe(true);
    await waitFor(() => sink.messages.length === 1, 'the MO message');
    expect(sink.messages[0]).toMatchObject({ from: '+447700900999', to: '12345', text, complete: true });
  });

  test("the SMSC's enquire_link and unbind are answered; after an unbind the bind comes back", async () => {
    const sim = await simulator();
    const ups: string[] = [];
    const c = connector(sim);
    c.on('up', (link) => ups.push(link));
    await started(c);
    expect(sim.enquireLinkAll()).toBe(1);
    await waitFor(() => (sim.counts().received.enquire_link_resp ?? 0) === 1, 'enquire_link_resp');
    expect(sim.unbindAll()).toBe(1);
    await waitFor(() => (sim.counts().received.unbind_resp ?? 0) === 1 && ups.length === 2, 'unbind_resp and a new bind');
    expect(c.health().up).toBe(true);
  });

  test('a generic_nack answer to a submit fails the part with its status', async () => {
    const sim = await simulator({ behaviour: { submitErrors: [{ prefix: '+8170', status: 'ESME_RSYSERR', nack: true }] } });
    const c = await started(connector(sim));
    const result = await c.send(textRequest('nacked', { to: '+817012345678' }));
    expect(result.parts[0]).toMatchObject({
      status: 'failed',
      error: { code: 'SMPP_SUBMIT_TEMPORARY', retriable: true, details: { statusName: 'ESME_RSYSERR' } },
    });
    expect((await c.send(textRequest('fine'))).parts[0]?.status).toBe('submitted');
  });

  test('close() unbinds cleanly', async () => {
    const sim = await simulator();
    const c = await started(connector(sim, { binds: 2 }));
    await waitFor(() => sim.binds().length === 2, 'two binds');
    await c.close();
    expect(sim.counts().received.unbind).toBe(2);
    await waitFor(() => sim.binds().length === 0, 'sessions gone');
  });

  test('transmitter + receiver pair', async () => {
    const sim = await simulator();
    const sink = recordingSink();
    const c = await started(connector(sim, { bindMode: 'transmitter-receiver' }), sink);
    await waitFor(() => sim.binds().length === 2, 'both binds');
    expect(sim.binds().map((b) => b.mode).sort()).toEqual(['receiver', 'transmitter']);
    const result = await c.send(textRequest('pair', { receipt: true }));
    expect(result.parts[0]).toMatchObject({ status: 'submitted', via: 'test-carrier#tx1' });
    await waitFor(() => sink.receipts.length === 1, 'the receipt on the receiver');
    expect(sink.receipts[0]?.carrierMessageId).toBe(result.parts[0]?.status === 'submitted' ? result.parts[0].carrierMessageId : '');
  });
});
