import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { SmppConnector } from '../../../drivers/smpp/index.ts';
import type { PartOutcome } from '../../../drivers/transport/index.ts';
import { waitFor } from '../../support/wait-for.ts';
import { connectorConfig, recordingSink, started, textRequest } from './harness.ts';
import { startTestSmsc, type TestSmsc } from './test-smsc.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function smsc(options: Parameters<typeof startTestSmsc>[0] = {}): Promise<TestSmsc> {
  const server = await startTestSmsc(options);
  cleanups.push(() => server.close());
  return server;
}

function connector(port: number, overrides: Record<string, unknown> = {}): SmppConnector {
  const c = new SmppConnector(connectorConfig(port, overrides));
  cleanups.push(() => c.close());
  return c;
}

const TEXTS = {
  gsm: 'Your parcel 4711 is on its way; track it at example.com/t/4711 before 18:00. '.repeat(4),
  'gsm extension': 'Prices {EUR} [2026]: 5€ ~ 7€ | ^caret^ \\slash\\ '.repeat(5),
  japanese: 'こんにちは、明日の会議は十時からです。資料を確認してください。'.repeat(3),
  emoji: 'Party 🎉 tonight 😀 bring 🍕 and 🎸! '.repeat(6),
};

/**
 * The driver against a strict local SMSC that captures raw octets and exact timings (the simulator suite covers
 * carriage forms, receipts, MO and scenarios; connector-clock.test.ts the timer paths on a manual clock).
 */
describe('SMPP connector against a local SMSC', () => {
  test('submits a single part with the octets, esm_class, data_coding and addresses the codec gave', async () => {
    const server = await smsc();
    const c = await started(connector(server.port));
    const request = textRequest('Hello @ world', { receipt: true });
    const result = await c.send(request);
    expect(result.parts).toEqual([
      { seq: 1, status: 'submitted', carrierMessageId: expect.any(String) as string, via: 'test-carrier#1' },
    ]);
    const [submit] = server.submits;
    expect(submit).toMatchObject({
      sourceAddr: 'TestShop',
      sourceTon: 5,
      sourceNpi: 0,
      destinationAddr: '447700900123',
      destTon: 1,
      destNpi: 1,
      esmClass: 0,
      dataCoding: 0,
      registeredDelivery: 1,
    });
    // GSM 03.38 unpacked septets: '@' is 0x00, which the smpp package's own "ASCII" encoder would also give,
    // but only because we handed it octets; nothing was rewritten.
    expect(Buffer.from(submit?.shortMessage ?? []).toString('hex')).toBe(Buffer.from(request.encoded.parts[0]?.payload ?? []).toString('hex'));
  });

  test('onlyParts sends just those parts, in order', async () => {
    const server = await smsc();
    const c = await started(connector(server.port, { carriage: 'sar' }));
    const result = await c.send(textRequest(TEXTS.gsm, { onlyParts: [3, 1] }));
    expect(result.parts.map((p) => [p.seq, p.status])).toEqual([
      [1, 'submitted'],
      [3, 'submitted'],
    ]);
    expect(server.submits.map((s) => s.sar?.seq)).toEqual([1, 3]);
  });

  test('a request the carrier cannot take fails per part with a typed error and sends nothing', async () => {
    const server = await smsc();
    const c = await started(connector(server.port));
    const result = await c.send(textRequest('hi', { to: 'not-a-number' }));
    expect(result.parts).toEqual([
      { seq: 1, status: 'failed', error: expect.objectContaining({ code: 'SMPP_INVALID_ADDRESS', retriable: false }) as object },
    ]);
    expect(server.submits).toHaveLength(0);
  });

  test('a wrong password gives a typed bind error and reconnects with growing delays', async () => {
    const server = await smsc({ password: 'right' });
    const downs: string[] = [];
    const c = connector(server.port, { reconnect: { initialMs: 100, maxMs: 800, multiplier: 2, jitter: 0 } });
    c.on('down', (_link, reason) => downs.push(reason));
    await c.start(recordingSink());
    await waitFor(() => server.bindAttempts.length >= 4, 'four bind attempts');
    const health = c.health();
    expect(health.up).toBe(false);
    expect(health.links[0]?.detail).toMatchObject({ lastError: 'SMPP_BIND_REJECTED', state: expect.any(String) as string });
    expect(downs[0]).toMatch(/^SMPP_BIND_REJECTED: .*ESME_RINVPASWD/);
    const gaps = server.bindAttempts.slice(1).map((a, i) => a.at - (server.bindAttempts[i]?.at ?? 0));
    // At least 100, 200, 400 ms apart: a busy machine can only stretch the gaps, never shorten them.
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[2]).toBeGreaterThanOrEqual(395);
  });

  test('a refused connection and a silent peer give typed reasons and retries', async () => {
    const silent = net.createServer(() => undefined);
    const sockets = new Set<net.Socket>();
    silent.on('connection', (socket) => {
      sockets.add(socket);
      socket.resume(); // read (and drop) everything, so the client's close is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const reasons = async (port: number): Promise<string[]> => {
      const c = connector(port, { connectTimeoutMs: 150 });
      const downs: string[] = [];
      c.on('down', (_l, reason) => downs.push(reason));
      await c.start(recordingSink());
      await waitFor(() => downs.length >= 2, 'two failed attempts');
      return downs;
    };
    expect((await reasons(closedPort))[0]).toMatch(/^SMPP_CONNECT_FAILED/);
    const silentPort = (silent.address() as net.AddressInfo).port;
    expect((await reasons(silentPort))[0]).toMatch(/^SMPP_BIND_TIMEOUT/);
    // The silent peer's sockets were destroyed, not left half-open.
    await waitFor(() => [...sockets].filter((socket) => !socket.destroyed).length <= 1, 'old sockets closed');
  });

  test('a part still throttled after maxRetries fails with SMPP_THROTTLED, retriable', async () => {
    const server = await smsc({ throttleAboveTps: 0 });
    const c = await started(connector(server.port, { throttle: { pauseMs: 20, maxRetries: 2 } }));
    const result = await c.send(textRequest('never let through'));
    expect(result.parts[0]).toMatchObject({
      status: 'failed',
      error: { code: 'SMPP_THROTTLED', retriable: true, details: { statusName: 'ESME_RTHROTTLED', retries: 2 } },
    });
    expect(server.throttled).toBe(3);
  });

  test('binds and submits over TLS, verifying the SMSC certificate', async () => {
    const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
    const cert = fixture('localhost-test-only.cert.pem');
    const server = await smsc({ tls: { key: fixture('localhost-test-only.key.pem'), cert } });
    const c = await started(connector(server.port, { tls: { ca: cert, servername: 'localhost' } }));
    expect((await c.send(textRequest('over TLS'))).parts[0]?.status).toBe('submitted');
    // Without the private CA the certificate is refused: no bind.
    const untrusted = connector(server.port, { tls: {} });
    const downs: string[] = [];
    untrusted.on('down', (_l, reason) => downs.push(reason));
    await untrusted.start(recordingSink());
    await waitFor(() => downs.length > 0, 'a refused handshake');
    expect(downs[0]).toMatch(/^SMPP_CONNECT_FAILED/);
    expect(server.bindAttempts).toHaveLength(1);
  });

  test('the window per bind is never exceeded', async () => {
    const server = await smsc({ respondDelayMs: 30 });
    const c = await started(connector(server.port, { windowSize: 4, binds: 2 }));
    await waitFor(() => server.boundSessions() === 2, 'two binds');
    const results = await Promise.all(Array.from({ length: 60 }, () => c.send(textRequest('window test'))));
    expect(results.flatMap((r) => r.parts).every((p) => p.status === 'submitted')).toBe(true);
    expect(server.maxOutstanding).toBe(4);
    expect(new Set(server.submits.map((s) => s.session)).size).toBe(2);
  });

  test('the TPS cap holds over a counted window, counting every segment', async () => {
    const server = await smsc();
    const c = await started(connector(server.port, { maxTps: 40, windowSize: 50 }));
    // 3-part messages: 40 TPS is 40 PDUs, not 40 messages.
    const sends = Array.from({ length: 40 }, () => c.send(textRequest(TEXTS.gsm)));
    await waitFor(() => server.submits.length >= 100, '100 PDUs', 10_000);
    const first = server.submits[0]?.at ?? 0;
    const inTwoSeconds = server.submits.filter((s) => s.at - first < 2000).length;
    // 80 in 2 s at 40 TPS, plus a burst of 2; generous bounds against a loaded machine.
    expect(inTwoSeconds).toBeLessThanOrEqual(85);
    expect(inTwoSeconds).toBeGreaterThanOrEqual(30);
    await c.close();
    await Promise.all(sends);
  });

  test('throttling lowers the rate, retries the part before later ones, and loses nothing', async () => {
    const server = await smsc({ throttleAboveTps: 30 });
    const c = connector(server.port, { windowSize: 20, throttle: { pauseMs: 200, minTps: 5 } });
    const rates: number[] = [];
    c.on('throttled', (rate) => rates.push(rate));
    await started(c);
    const requests = Array.from({ length: 20 }, () => textRequest(TEXTS.gsm));
    const results = await Promise.all(requests.map((r) => c.send(r)));
    const parts = results.flatMap((r) => r.parts);
    expect(parts.every((p) => p.status === 'submitted')).toBe(true);
    expect(server.throttled).toBeGreaterThan(0);
    expect(rates.length).toBeGreaterThan(0);
    expect(Math.min(...rates)).toBeLessThan(60);
    expect(c.health().counters.throttled).toBe(server.throttled);
    // Every accepted part once, and the parts of each message in order.
    expect(server.submits).toHaveLength(parts.length);
    const byRef = new Map<number, number[]>();
    for (const s of server.submits) {
      const udh = s.shortMessage;
      const [ref, seq] = [udh[3] ?? -1, udh[5] ?? -1];
      byRef.set(ref, [...(byRef.get(ref) ?? []), seq]);
    }
    for (const seqs of byRef.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  test('a dropped connection: parts in flight are unknown, none resent, the rest go after reconnect', async () => {
    const server = await smsc({ respondDelayMs: 100, dropWhenOutstanding: 3 });
    const c = connector(server.port, { windowSize: 3 });
    const downs: string[] = [];
    c.on('down', (_l, reason) => downs.push(reason));
    await started(c);
    const results = await Promise.all(Array.from({ length: 10 }, (_v, i) => c.send(textRequest(`drop test ${i}`))));
    const outcomes: PartOutcome[] = results.flatMap((r) => r.parts);
    const unknown = outcomes.filter((p) => p.status === 'unknown');
    const submitted = outcomes.filter((p) => p.status === 'submitted');
    expect(downs[0]).toMatch(/^SMPP_CONNECTION_LOST/);
    expect(unknown).toHaveLength(3);
    for (const p of unknown) expect(p).toMatchObject({ error: { code: 'SMPP_CONNECTION_LOST', retriable: true } });
    expect(submitted).toHaveLength(7);
    // Every PDU the SMSC saw was one attempt of one part: the unknown ones were not written again.
    expect(server.submits).toHaveLength(10);
    const texts = server.submits.map((s) => Buffer.from(s.shortMessage).toString('latin1'));
    expect(new Set(texts).size).toBe(10);
  });

  test('resend-once policy writes an unknown part once more after reconnect', async () => {
    const server = await smsc({ respondDelayMs: 50, dropWhenOutstanding: 2 });
    const c = await started(connector(server.port, { windowSize: 2, unknownOutcome: 'resend-once' }));
    const results = await Promise.all(Array.from({ length: 4 }, (_v, i) => c.send(textRequest(`resend ${i}`))));
    expect(results.flatMap((r) => r.parts).every((p) => p.status === 'submitted')).toBe(true);
    expect(server.submits.length).toBe(6);
    expect(c.health().counters.submitResent).toBe(2);
  });

  test('receipts from TLVs: receipted_message_id, message_state and network_error_code win; intermediate is not final', async () => {
    const server = await smsc();
    const sink = recordingSink();
    const c = await started(connector(server.port), sink);
    const statuses: number[] = [];
    server.deliver(
      {
        source_addr: '447700900123',
        esm_class: 0x04,
        receipted_message_id: '00ABC1',
        message_state: 5,
        network_error_code: Buffer.from([0x03, 0x00, 0x0b]),
        short_message: Buffer.from('id:00ABC1 sub:001 dlvrd:000 submit date:2601010000 done date:2601010001 stat:UNDELIV err:011 text:x'),
      },
      (s) => statuses.push(s),
    );
    server.deliver({ source_addr: '447700900123', esm_class: 0x20, receipted_message_id: 'abc2', message_state: 1 }, (s) => statuses.push(s));
    await waitFor(() => statuses.length === 2, 'two deliver_sm_resp');
    expect(statuses).toEqual([0, 0]);
    expect(sink.receipts[0]).toMatchObject({
      carrierMessageId: 'abc1',
      state: 'undeliverable',
      final: true,
      raw: { stat: 'UNDELIV', err: '011', messageState: 5, networkErrorCode: '03000b' },
    });
    expect(sink.receipts[1]).toMatchObject({ carrierMessageId: 'abc2', state: 'enroute', final: false });
    void c;
  });

  test('a sink that throws costs an answer ESME_RX_T_APPN, and a listener that throws costs a count, not the session', async () => {
    const server = await smsc();
    const c = connector(server.port);
    c.on('up', () => {
      throw new Error('listener bug');
    });
    await started(c, {
      receipt: () => Promise.resolve(),
      inbound: () => {
        throw new Error('sink bug');
      },
    });
    const statuses: number[] = [];
    server.deliver({ source_addr: '447700900111', short_message: Buffer.from('boom') }, (s) => statuses.push(s));
    await waitFor(() => statuses.length === 1, 'an answer');
    expect(statuses).toEqual([0x64]);
    expect(c.health()).toMatchObject({ up: true, counters: { listenerErrors: 1, sinkFailures: 1 } });
  });

  test('send before start fails at once instead of waiting', async () => {
    const server = await smsc();
    const result = await connector(server.port).send(textRequest('early'));
    expect(result.parts[0]).toMatchObject({ status: 'failed', error: { code: 'SMPP_NOT_BOUND', retriable: true } });
  });

  test('a sink that never settles gets ESME_RX_T_APPN after the sink timeout', async () => {
    const server = await smsc();
    await started(connector(server.port, { inbound: { sinkTimeoutMs: 200 } }), {
      receipt: () => new Promise<void>(() => undefined),
      inbound: () => new Promise<void>(() => undefined),
    });
    const statuses: number[] = [];
    server.deliver({ source_addr: '447700900111', short_message: Buffer.from('slow') }, (s) => statuses.push(s));
    await waitFor(() => statuses.length === 1, 'an answer');
    expect(statuses).toEqual([0x64]);
  });

  test('answers the SMSC enquire_link, unbind (then reconnects) and unknown commands', async () => {
    const server = await smsc();
    const c = connector(server.port);
    const ups: string[] = [];
    c.on('up', (link) => ups.push(link));
    await started(c);
    const answers: [string, number][] = [];
    server.request('enquire_link', {}, (command, status) => answers.push([command, status]));
    server.request('query_sm', { message_id: '1' }, (command, status) => answers.push([command, status]));
    await waitFor(() => answers.length === 2, 'two answers');
    expect(answers).toEqual([
      ['enquire_link_resp', 0],
      ['generic_nack', 0x03],
    ]);
    server.unbindAll();
    await waitFor(() => ups.length === 2, 'bound again after the SMSC unbound');
    expect(server.commands.get('unbind_resp')).toBe(1);
  });

  test('a generic_nack to a submit_sm fails that part with its status', async () => {
    const server = await smsc({ nackSubmits: 0x03 });
    const c = await started(connector(server.port));
    const result = await c.send(textRequest('nacked'));
    expect(result.parts[0]).toMatchObject({
      status: 'failed',
      raw: { commandStatus: 3 },
      error: { code: 'SMPP_SUBMIT_REJECTED', details: { commandStatus: 3, statusName: 'ESME_RINVCMDID' } },
    });
  });

  test('close() unbinds cleanly and waits for parts in flight', async () => {
    const server = await smsc({ respondDelayMs: 100 });
    const c = await started(connector(server.port));
    const pending = c.send(textRequest('last words'));
    await waitFor(() => server.submits.length === 1, 'the submit on the wire');
    await c.close();
    expect((await pending).parts[0]?.status).toBe('submitted');
    expect(server.commands.get('unbind')).toBe(1);
    expect(c.health().links[0]?.detail.state).toBe('idle');
    await waitFor(() => server.boundSessions() === 0, 'the session gone');
    const after = await c.send(textRequest('too late'));
    expect(after.parts[0]).toMatchObject({ status: 'failed', error: { code: 'SMPP_CLOSED' } });
  });
});

describe('bind slots (several processes share a connector)', () => {
  const upLinks = (c: SmppConnector): string[] => c.health().links.filter((link) => link.up).map((link) => link.id);

  test('opens only the slots it holds, unbinds the ones given up, and opens them again when taken back', async () => {
    const server = await smsc();
    const c = connector(server.port, { binds: 3 });
    expect(c.bindSlots).toBe(3);
    await c.own([]);
    await c.start(recordingSink());
    await c.own([1]);
    await waitFor(() => upLinks(c).join() === 'test-carrier#2', 'slot 1 bound');
    await c.own([0, 2]);
    // The given-up slot is unbound before `own` resolves, and no reconnect brings it back.
    expect(upLinks(c)).not.toContain('test-carrier#2');
    await waitFor(() => upLinks(c).join() === 'test-carrier#1,test-carrier#3', 'slots 0 and 2 bound');
    const result = await c.send(textRequest('on a held slot'));
    expect(result.parts[0]?.status).toBe('submitted');
    await c.own([]);
    expect(upLinks(c)).toEqual([]);
    expect(c.health().up).toBe(false);
  });

  test('a transmitter and receiver pair is one slot', async () => {
    const server = await smsc();
    const c = connector(server.port, { binds: 2, bindMode: 'transmitter-receiver' });
    expect(c.bindSlots).toBe(2);
    await c.own([1]);
    await c.start(recordingSink());
    await waitFor(() => upLinks(c).join() === 'test-carrier#tx2,test-carrier#rx2', 'the second pair bound');
  });
});
