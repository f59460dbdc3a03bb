/**
 * query_sm from the connector over TCP (the simulator, and the strict local SMSC for exact octets and silence), and a
 * submit_sm_resp with ESME_ROK and no message_id.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { SmppConnector } from '../../../drivers/smpp/index.ts';
import type { QueryOutcome, QueryRequest, SendResult } from '../../../drivers/transport/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle, type SmscSimulatorOptions } from '../../../simulator/index.ts';
import { waitFor } from '../../support/wait-for.ts';
import { connectorConfig, started, textRequest } from './harness.ts';
import { startTestSmsc, type TestSmsc } from './test-smsc.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: SmscSimulatorOptions = {}): Promise<SmscSimulatorHandle> {
  const sim = await startSmscSimulator(options);
  cleanups.push(() => sim.close());
  return sim;
}

async function smsc(options: Parameters<typeof startTestSmsc>[0] = {}): Promise<TestSmsc> {
  const server = await startTestSmsc(options);
  cleanups.push(() => server.close());
  return server;
}

function connector(port: number, overrides: Record<string, unknown> = {}): SmppConnector {
  const c = new SmppConnector(connectorConfig(port, { querySm: true, ...overrides }));
  cleanups.push(() => c.close());
  return c;
}

function queryOf(c: SmppConnector): (request: QueryRequest) => Promise<QueryOutcome> {
  if (c.query === undefined) throw new Error('query not offered');
  return c.query;
}

function submittedId(result: SendResult): string {
  const part = result.parts[0];
  if (part?.status !== 'submitted') throw new Error(`part not submitted: ${JSON.stringify(part)}`);
  return part.carrierMessageId;
}

/** Queries until the outcome is final (the simulator settles a part on its scheduler, in real time), at most 5 s. */
function finalOutcome(query: (request: QueryRequest) => Promise<QueryOutcome>, request: QueryRequest): Promise<QueryOutcome> {
  return waitFor(
    async () => {
      const outcome = await query(request);
      return (outcome.status === 'found' && outcome.final) || outcome.status === 'failed' ? outcome : undefined;
    },
    'a final query outcome',
    5000,
  );
}

describe('query_sm against the SMSC simulator', () => {
  test('offered only with querySm: true', async () => {
    const sim = await simulator();
    expect(new SmppConnector(connectorConfig(sim.smppPort, { password: 'test' })).query).toBeUndefined();
    expect(connector(sim.smppPort).query).toBeTypeOf('function');
  });

  test('a delivered part is found DELIVERED and final, with the raw message_state and final_date', async () => {
    const sim = await simulator({ scenario: 'no-receipts' });
    const c = await started(connector(sim.smppPort, { password: 'test' }));
    const before = Date.now();
    const id = submittedId(await c.send(textRequest('query me', { receipt: true })));
    const outcome = await finalOutcome(queryOf(c), { carrierMessageId: id, from: 'TestShop' });
    expect(outcome).toMatchObject({ status: 'found', carrierMessageId: id, state: 'delivered', final: true, raw: { messageState: 2, errorCode: 0 } });
    const doneAt = outcome.status === 'found' ? outcome.doneAt?.getTime() : undefined;
    expect(doneAt).toBeGreaterThanOrEqual(Math.floor(before / 100) * 100);
    expect(doneAt).toBeLessThanOrEqual(Date.now());
    expect(c.health().counters).toMatchObject({ queries: 1, queriesFailed: 0 });
  });

  test('a part still on its way is found ENROUTE, not final', async () => {
    const sim = await simulator({ behaviour: { receipts: { delayMs: 60_000 } } });
    const c = await started(connector(sim.smppPort, { password: 'test' }));
    const id = submittedId(await c.send(textRequest('slow delivery', { to: '+819012345678' })));
    expect(await queryOf(c)({ carrierMessageId: id, from: 'TestShop' })).toEqual({
      status: 'found',
      carrierMessageId: id,
      state: 'enroute',
      final: false,
      raw: { messageState: 1, errorCode: 0 },
    });
  });

  test('zero-padded decimal ids go back as submit_sm_resp wrote them; forgotten ones in normalized form', async () => {
    const sim = await simulator({ behaviour: { messageIds: { format: 'decimal', width: 14 } } });
    const c = await started(connector(sim.smppPort, { password: 'test' }));
    const id = submittedId(await c.send(textRequest('padded id')));
    expect(sim.messages()[0]?.messageIds[0]).toBe(id.padStart(14, '0'));
    expect(await finalOutcome(queryOf(c), { carrierMessageId: id, from: 'TestShop' })).toMatchObject({ status: 'found', state: 'delivered' });
    const forgetful = await started(connector(sim.smppPort, { password: 'test', receiptIdMemory: 0 }));
    expect(await queryOf(forgetful)({ carrierMessageId: id, from: 'TestShop' })).toMatchObject({ status: 'failed', error: { code: 'SMPP_QUERY_FAILED' } });
  });

  test('an unknown id is SMPP_QUERY_FAILED (ESME_RQUERYFAIL), not retriable', async () => {
    const sim = await simulator();
    const c = await started(connector(sim.smppPort, { password: 'test' }));
    expect(await queryOf(c)({ carrierMessageId: 'ffffffff', from: 'TestShop' })).toMatchObject({
      status: 'failed',
      error: { code: 'SMPP_QUERY_FAILED', retriable: false, details: { commandStatus: 0x67, statusName: 'ESME_RQUERYFAIL', messageId: 'ffffffff' } },
    });
    expect(c.health().counters).toMatchObject({ queries: 1, queriesFailed: 1 });
  });

  test.each([
    ['no-query-sm (generic_nack)', { scenario: 'no-query-sm' }, 'generic_nack'],
    ['querySm ESME_RINVCMDID (query_sm_resp)', { behaviour: { querySm: 'ESME_RINVCMDID' } }, 'query_sm_resp'],
  ] as const)('an SMSC refusing query_sm, %s, is SMPP_QUERY_NOT_SUPPORTED', async (_label, options, command) => {
    const sim = await simulator(options);
    const c = await started(connector(sim.smppPort, { password: 'test' }));
    const id = submittedId(await c.send(textRequest('cannot ask')));
    expect(await queryOf(c)({ carrierMessageId: id, from: 'TestShop' })).toMatchObject({
      status: 'failed',
      error: { code: 'SMPP_QUERY_NOT_SUPPORTED', retriable: false, details: { statusName: 'ESME_RINVCMDID', command } },
    });
    expect(c.health().up).toBe(true);
  });

  test('ESME_ROK with an empty message_id is an unknown part (SMPP_EMPTY_MESSAGE_ID), never resent', async () => {
    const sim = await simulator({ scenario: 'empty-message-ids' });
    const c = await started(connector(sim.smppPort, { password: 'test', unknownOutcome: 'resend-once' }));
    const result = await c.send(textRequest('nameless'));
    expect(result.parts).toEqual([
      { seq: 1, status: 'unknown', error: expect.objectContaining({ code: 'SMPP_EMPTY_MESSAGE_ID', retriable: false }) as unknown },
    ]);
    expect(sim.counts().acceptedParts).toBe(1);
    expect(c.health().counters).toMatchObject({ submitUnknown: 1, submitOk: 0, submitResent: 0, submitEmptyId: 1 });
  });
});

describe('query_sm against a strict local SMSC', () => {
  test('sends the id exactly as submit_sm_resp gave it, with the addressing of the originator', async () => {
    const server = await smsc({ responseIds: 'hex', querySm: 'delivered' });
    const c = await started(connector(server.port));
    const id = submittedId(await c.send(textRequest('exact id', { from: '+447700900999' })));
    const raw = server.submits[0]?.messageId as string;
    expect(raw).toMatch(/^0+[0-9A-F]+$/);
    expect(id).toBe(raw.replace(/^0+/, '').toLowerCase());
    expect(await queryOf(c)({ carrierMessageId: id, from: '+447700900999' })).toEqual({
      status: 'found',
      carrierMessageId: id,
      state: 'delivered',
      final: true,
      raw: { messageState: 2, errorCode: 0, finalDate: '260115103000000+' },
      doneAt: new Date('2026-01-15T10:30:00Z'),
    });
    expect(server.queries).toEqual([{ messageId: raw, sourceTon: 1, sourceNpi: 1, sourceAddr: '447700900999' }]);
  });

  test('an unanswered query_sm is SMPP_QUERY_TIMEOUT after submitTimeoutMs, retriable', async () => {
    const server = await smsc({ querySm: 'silent' });
    const c = await started(connector(server.port, { submitTimeoutMs: 150 }));
    expect(await queryOf(c)({ carrierMessageId: 'abc', from: 'TestShop' })).toMatchObject({
      status: 'failed',
      error: { code: 'SMPP_QUERY_TIMEOUT', retriable: true, details: { timeoutMs: 150 } },
    });
    expect(server.queries).toHaveLength(1);
  });

  test('a connection lost while waiting is SMPP_CONNECTION_LOST', async () => {
    const server = await smsc({ querySm: 'silent' });
    const c = await started(connector(server.port));
    const pending = queryOf(c)({ carrierMessageId: 'abc', from: 'TestShop' });
    await waitFor(() => server.queries.length > 0, 'the query_sm on the wire');
    await server.close();
    expect(await pending).toMatchObject({ status: 'failed', error: { code: 'SMPP_CONNECTION_LOST', retriable: true } });
  });

  test('no bind up, a closed connector, a bad id or originator fail at once, typed', async () => {
    const server = await smsc({ querySm: 'delivered' });
    const idle = connector(server.port);
    expect(await queryOf(idle)({ carrierMessageId: 'abc', from: 'TestShop' })).toMatchObject({ status: 'failed', error: { code: 'SMPP_NOT_BOUND', retriable: true } });
    const c = await started(connector(server.port));
    expect(await queryOf(c)({ carrierMessageId: '', from: 'TestShop' })).toMatchObject({ status: 'failed', error: { code: 'SMPP_INVALID_REQUEST' } });
    expect(await queryOf(c)({ carrierMessageId: 'a'.repeat(65), from: 'TestShop' })).toMatchObject({ status: 'failed', error: { code: 'SMPP_INVALID_REQUEST' } });
    expect(await queryOf(c)({ carrierMessageId: 'abc', from: 'A sender too long' })).toMatchObject({ status: 'failed', error: { code: 'SMPP_INVALID_ADDRESS' } });
    await c.close();
    expect(await queryOf(c)({ carrierMessageId: 'abc', from: 'TestShop' })).toMatchObject({ status: 'failed', error: { code: 'SMPP_CLOSED' } });
    expect(server.queries).toEqual([]);
  });
});
