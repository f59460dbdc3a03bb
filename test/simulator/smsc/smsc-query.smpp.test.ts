/**
 * query_sm against the simulator (SMPP 3.4 section 4.8): the recorded part's state whatever happened to its receipt,
 * ESME_RQUERYFAIL for what this account did not submit, the refusal switch, and ESME_ROK with an empty message_id.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { encodeText, toSmppParts } from '../../../drivers/codec/index.ts';
import { SimulatorFixture } from './fixture.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { TestEsme } from './test-esme.ts';

const ESME_RINVCMDID = 0x03;
const ESME_RINVBNDSTS = 0x04;
const ESME_RQUERYFAIL = 0x67;
const ENROUTE = 1;
const DELIVERED = 2;
const UNDELIVERABLE = 5;

const f = new SimulatorFixture();
afterEach(async () => {
  expect(await f.end()).toEqual([]);
});

const submitFields = (registeredDelivery = 1, to = '819012345678') => ({
  source_addr_ton: 5,
  source_addr: 'Shop',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: to,
  registered_delivery: registeredDelivery,
  short_message: Buffer.from('query me', 'latin1'),
});

async function submitted(esme: TestEsme, registeredDelivery = 1, to?: string): Promise<string> {
  const resp = await esme.submit(submitFields(registeredDelivery, to));
  expect(resp.command_status).toBe(0);
  return String(resp.message_id);
}

/** The query_sm_resp octets as they travelled: fields read here, independently of the package's time filter. */
function queryResp(esme: TestEsme, sequence: number) {
  const pdu = esme.fromSimulator().find((p) => p.sequence === sequence && (p.commandId & 0x80000000) !== 0);
  if (pdu === undefined) return undefined;
  if (pdu.status !== 0 || pdu.command !== 'query_sm_resp') return { command: pdu.command, status: pdu.status };
  const body = pdu.octets.subarray(16);
  const idEnd = body.indexOf(0);
  const dateEnd = body.indexOf(0, idEnd + 1);
  return {
    command: pdu.command,
    status: 0,
    messageId: body.toString('latin1', 0, idEnd),
    finalDate: body.toString('latin1', idEnd + 1, dateEnd),
    messageState: body[dateEnd + 1],
    errorCode: body[dateEnd + 2],
  };
}

/** Asks again until the answer has `state` (the part settles on the simulator's scheduler). */
async function queryUntil(esme: TestEsme, messageId: string, state: number) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const answer = await query(esme, messageId);
    if (answer.messageState === state || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function query(esme: TestEsme, messageId: string, sourceAddr = 'Shop') {
  const seq = esme.fire('query_sm', { message_id: messageId, source_addr_ton: 5, source_addr_npi: 0, source_addr: sourceAddr });
  return waitFor(() => queryResp(esme, seq), `the answer to query_sm ${messageId}`, 5000);
}

describe('query_sm', () => {
  test('a delivered part: DELIVERED, final_date in section 7.1.1 format near now, the id echoed', async () => {
    await f.start();
    const esme = await f.esme();
    const before = Date.now();
    const id = await submitted(esme);
    await esme.waitForDeliveries(1);
    const answer = await query(esme, id);
    expect(answer).toMatchObject({ command: 'query_sm_resp', status: 0, messageId: id, messageState: DELIVERED, errorCode: 0 });
    expect(answer.finalDate).toMatch(/^\d{12}\d00\+$/);
    // The smpp package reads final_date on its own: the same instant, to the tenth of a second.
    const parsed = await esme.request('query_sm', { message_id: id, source_addr_ton: 5, source_addr_npi: 0, source_addr: 'Shop' });
    const at = (parsed.final_date as Date).getTime();
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 100) * 100);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  test.each([
    ['receipts switched off (no-receipts)', 'no-receipts', 1],
    ['no receipt asked for', 'happy', 0],
  ])('%s: the part still ends in its true state', async (_label, scenario, registeredDelivery) => {
    await f.start({ scenario });
    const esme = await f.esme();
    const id = await submitted(esme, registeredDelivery);
    const answer = await queryUntil(esme, id, DELIVERED);
    expect(answer).toMatchObject({ messageState: DELIVERED });
    expect(answer.finalDate).not.toBe('');
    expect(esme.deliveries()).toEqual([]);
  });

  test('before its receipt is due a part is ENROUTE with a NULL final_date; failures carry error_code', async () => {
    await f.start({ behaviour: { receipts: { delayMs: 60_000 } } });
    const esme = await f.esme();
    const id = await submitted(esme);
    expect(await query(esme, id)).toMatchObject({ status: 0, messageState: ENROUTE, finalDate: '', errorCode: 0 });
    f.handle.patchBehaviour({ receipts: { delayMs: 0, outcomes: [{ stat: 'UNDELIV', weight: 1, err: 11 }] } });
    const failed = await submitted(esme, 0);
    expect(await queryUntil(esme, failed, UNDELIVERABLE)).toMatchObject({ messageState: UNDELIVERABLE, errorCode: 11 });
  });

  test('every part of a concatenated message answers for itself', async () => {
    await f.start();
    const esme = await f.esme();
    const parts = toSmppParts(encodeText('A long message. '.repeat(20), { concatRef: 9 }), 'udh', { gsmDataCoding: 0 });
    const ids: string[] = [];
    for (const part of parts) {
      const resp = await esme.submit({ ...submitFields(0), esm_class: part.esmClass, short_message: Buffer.from(part.shortMessage) });
      ids.push(String(resp.message_id));
    }
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) {
      expect(await queryUntil(esme, id, DELIVERED)).toMatchObject({ messageState: DELIVERED });
    }
  });

  test.each([
    ['an id never given', () => 'ffffffff', 'Shop'],
    ['another originator', (id: string) => id, 'Other'],
  ])('%s: ESME_RQUERYFAIL', async (_label, idOf, source) => {
    await f.start();
    const esme = await f.esme();
    const id = await submitted(esme);
    expect(await query(esme, idOf(id), source)).toMatchObject({ command: 'query_sm_resp', status: ESME_RQUERYFAIL });
  });

  test("another account's message: ESME_RQUERYFAIL; a receiver bind: ESME_RINVBNDSTS", async () => {
    await f.start({ accounts: [{ systemId: 'test', password: 'test', maxBinds: 2 }, { systemId: 'other', password: 'other', maxBinds: 2 }] });
    const esme = await f.esme();
    const id = await submitted(esme);
    const other = await f.esme('bind_transceiver', 'other', 'other');
    expect(await query(other, id)).toMatchObject({ status: ESME_RQUERYFAIL });
    const receiver = await f.esme('bind_receiver');
    expect(await query(receiver, id)).toMatchObject({ command: 'query_sm_resp', status: ESME_RINVBNDSTS });
  });

  test.each([
    ['no-query-sm scenario', { scenario: 'no-query-sm' }, 'generic_nack'],
    ['querySm ESME_RINVCMDID', { behaviour: { querySm: 'ESME_RINVCMDID' } }, 'query_sm_resp'],
  ] as const)('%s refuses query_sm with ESME_RINVCMDID in %s', async (_label, options, command) => {
    await f.start(options);
    const esme = await f.esme();
    const id = await submitted(esme);
    expect(await query(esme, id)).toEqual({ command, status: ESME_RINVCMDID });
    expect(f.handle.counts().received.query_sm).toBe(1);
  });

  test('the refusal switches at run time through the control API', async () => {
    await f.start();
    const esme = await f.esme();
    const id = await submitted(esme);
    expect((await f.api('PATCH', '/behaviour', { querySm: 'generic_nack' })).status).toBe(200);
    expect(await query(esme, id)).toMatchObject({ command: 'generic_nack', status: ESME_RINVCMDID });
    expect((await f.api('PATCH', '/behaviour', { querySm: 'answer' })).status).toBe(200);
    expect(await query(esme, id)).toMatchObject({ command: 'query_sm_resp', status: 0 });
  });
});

describe('ESME_ROK with an empty message_id (empty-message-ids)', () => {
  test('the part is accepted, recorded and receipted under an id the ESME never learns', async () => {
    await f.start({ scenario: 'empty-message-ids' });
    const esme = await f.esme();
    const resp = await esme.submit(submitFields(1));
    expect(resp.command_status).toBe(0);
    expect(resp.message_id).toBe('');
    const [record] = f.handle.messages();
    const realId = record?.messageIds[0];
    expect(realId).toMatch(/^[0-9a-f]+$/);
    const [receipt] = await esme.waitForDeliveries(1);
    const tlv = receipt?.deliver?.tlvs.get(0x001e);
    expect(tlv?.subarray(0, tlv.length - 1).toString('latin1')).toBe(realId);
    expect(await query(esme, realId as string)).toMatchObject({ status: 0, messageState: DELIVERED });
  });
});
