import { afterEach, describe, expect, test } from 'vitest';
import { encodeText, toSmppParts, type SmppCarriage } from '../../../drivers/codec/index.ts';
import { SimulatorFixture } from './fixture.ts';
import type { TestEsme } from './test-esme.ts';

const ESME_RMSGQFUL = 0x14;
const ESME_RTHROTTLED = 0x58;
const ESME_RINVDSTADR = 0x0b;

const f = new SimulatorFixture();
afterEach(async () => {
  expect(await f.end()).toEqual([]);
});

/** Submits every part of `text` in one carriage form, as an ESME would, and returns the message ids. */
async function submitText(esme: TestEsme, text: string, form: SmppCarriage, to: string, reverse = false): Promise<string[]> {
  const encoded = encodeText(text, { concatRef: 77 });
  const parts = toSmppParts(encoded, form, { gsmDataCoding: 0x00 });
  const order = reverse ? [...parts].reverse() : parts;
  const answers = await Promise.all(
    order.map((part) =>
      esme.submit({
        source_addr_ton: 5,
        source_addr: 'Shop',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: to,
        esm_class: part.esmClass,
        data_coding: part.dataCoding,
        short_message: Buffer.from(part.shortMessage),
        ...(part.messagePayload === undefined ? {} : { message_payload: Buffer.from(part.messagePayload) }),
        ...(part.sar === undefined
          ? {}
          : { sar_msg_ref_num: part.sar.msgRefNum, sar_total_segments: part.sar.totalSegments, sar_segment_seqnum: part.sar.segmentSeqnum }),
      }),
    ),
  );
  expect(answers.map((a) => a.command_status)).toEqual(order.map(() => 0));
  const ids = answers.map((a) => String(a.message_id));
  return reverse ? ids.reverse() : ids;
}

const TEXTS = {
  gsm: 'Your parcel 4711 arrives today between 10:00 and 12:00. Reply STOP to opt out. '.repeat(4),
  'gsm extension': 'Price {EUR} [net] ~ 5€ | a^b \\ path; '.repeat(8),
  japanese: 'ご注文ありがとうございます。明日の午前中にお届けします。'.repeat(5),
  emoji: 'Party time 🎉🎂 see you there 👋🏽 '.repeat(6),
} as const;

describe('records: what the carrier received, reassembled and decoded', () => {
  const cases = (Object.keys(TEXTS) as (keyof typeof TEXTS)[]).flatMap((name) =>
    (['udh', 'sar', 'payload'] as const).map((form) => [name, form] as const),
  );
  test.each(cases)('%s text in %s form arrives exact', async (name, form) => {
    await f.start();
    const esme = await f.esme();
    const text = TEXTS[name];
    const ids = await submitText(esme, text, form, '819011112222');
    const [record] = f.handle.messages({ to: '+819011112222' });
    expect(record?.text).toBe(text);
    expect(record?.complete).toBe(true);
    expect(record?.carriage).toBe(form);
    expect(record?.messageIds).toEqual(ids);
    expect(record?.parts).toBe(form === 'payload' ? 1 : ids.length);
    if (form !== 'payload') expect(ids.length).toBeGreaterThan(1);
    // Each part's id finds the whole message, over HTTP too.
    const viaApi = await f.api('GET', `/messages/${ids[ids.length - 1]}`);
    expect(viaApi.body.text).toBe(text);
  });

  test.each(['udh', 'sar'] as const)('%s parts sent in reverse order are reassembled in part order', async (form) => {
    await f.start();
    const esme = await f.esme();
    const ids = await submitText(esme, TEXTS.japanese, form, '819033334444', true);
    const [record] = f.handle.messages({ to: '819033334444' });
    expect(record?.text).toBe(TEXTS.japanese);
    expect(record?.messageIds).toEqual(ids);
  });

  test('data_sm with message_payload is answered with data_sm_resp and recorded', async () => {
    await f.start();
    const esme = await f.esme();
    const resp = await esme.request('data_sm', {
      source_addr: '12345',
      destination_addr: '819055556666',
      data_coding: 8,
      registered_delivery: 0,
      message_payload: Buffer.from('こんにちは', 'utf16le').swap16(),
    });
    expect(resp.command).toBe('data_sm_resp');
    expect(resp.command_status).toBe(0);
    const record = f.handle.message(String(resp.message_id));
    expect(record?.text).toBe('こんにちは');
    expect(record?.command).toBe('data_sm');
    expect(record?.carriage).toBe('payload');
  });

  test('a part whose octets the codec cannot read is kept as binary with the reason', async () => {
    await f.start();
    const esme = await f.esme();
    // UCS-2 with an odd number of octets.
    const resp = await esme.submit({ destination_addr: '8190', data_coding: 8, short_message: Buffer.from([0x30, 0x42, 0x30]) });
    expect(resp.command_status).toBe(0);
    const record = f.handle.message(String(resp.message_id));
    expect(record?.binaryHex).toBe('304230');
    expect(record?.decodeError).toMatch(/odd/i);
  });

  test('filters and limits select records; reset clears records and counts', async () => {
    await f.start();
    const esme = await f.esme();
    for (const to of ['81901', '81902', '81901']) await esme.submit({ destination_addr: to, short_message: Buffer.from(`to ${to}`) });
    expect(f.handle.messages({ to: '81901' }).length).toBe(2);
    expect(f.handle.messages({ text: '81902' }).map((m) => m.to)).toEqual(['81902']);
    const newest = await f.api('GET', '/messages?limit=1&newestFirst=true');
    expect((newest.body.messages as { to: string }[]).map((m) => m.to)).toEqual(['81901']);
    expect(newest.body.total).toBe(3);
    expect(f.handle.counts().received.submit_sm).toBe(3);
    expect((await f.api('POST', '/reset')).status).toBe(200);
    expect(f.handle.messages()).toEqual([]);
    expect(f.handle.counts().received).toEqual({});
    expect(f.handle.binds().length).toBe(1);
  });

  test('the ring keeps the newest maxRecords messages while counts keep the total', async () => {
    await f.start({ maxRecords: 3, behaviour: { receipts: { enabled: false } } });
    const esme = await f.esme();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(String((await esme.submit({ destination_addr: '8190', short_message: Buffer.from(`n${i}`) })).message_id));
    expect(f.handle.messages().map((m) => m.text)).toEqual(['n2', 'n3', 'n4']);
    expect(f.handle.message(ids[0] as string)).toBeUndefined();
    expect(f.handle.counts().messagesRecorded).toBe(5);
  });
});

describe('submit behaviours', () => {
  const burst = (esme: TestEsme, n: number, label: string) =>
    esme.burst(
      'submit_sm',
      Array.from({ length: n }, (_, i) => ({ destination_addr: '8190', data_coding: 0, short_message: Buffer.from(`${label}${i}`) })),
    );

  test('throttle: beyond N submits in a sliding second the answer is ESME_RTHROTTLED', async () => {
    await f.start({ behaviour: { throttle: { tps: 5, scope: 'account' }, receipts: { enabled: false } } });
    const esme = await f.esme();
    const statuses = (await burst(esme, 20, 't')).map((a) => a.status);
    expect(statuses.filter((s) => s === 0).length).toBe(5);
    expect(statuses.filter((s) => s === ESME_RTHROTTLED).length).toBe(15);
    expect(f.handle.counts().submitStatuses).toEqual({ ESME_ROK: 5, ESME_RTHROTTLED: 15 });
    expect(f.handle.messages().length).toBe(5);
  });

  test('throttle per account is shared by its binds', async () => {
    await f.start({ behaviour: { throttle: { tps: 4, scope: 'account' }, receipts: { enabled: false } } });
    const a = await f.esme('bind_transmitter');
    const b = await f.esme('bind_transmitter');
    const first = await burst(a, 3, 'a');
    const second = await burst(b, 3, 'b');
    const accepted = [...first, ...second].filter((r) => r.status === 0).length;
    // Unless the second burst came a full second after the first, the account had 4 to share.
    const records = f.handle.messages().map((m) => Date.parse(m.receivedAt));
    const spread = Math.max(...records) - Math.min(...records);
    expect(accepted).toBe(spread >= 1000 ? 6 : 4);
  });

  test.each([
    ['ESME_RMSGQFUL', ESME_RMSGQFUL],
    ['ESME_RTHROTTLED', ESME_RTHROTTLED],
  ] as const)('window limit: beyond N outstanding submits the answer is %s', async (name, status) => {
    await f.start({ behaviour: { latency: { kind: 'fixed', ms: 200 }, window: { max: 3, status: name }, receipts: { enabled: false } } });
    const esme = await f.esme();
    const answers = await burst(esme, 5, 'w');
    expect(answers.map((a) => a.status)).toEqual([0, 0, 0, status, status]);
    expect(f.handle.binds()[0]?.maxOutstandingSubmits).toBe(3);
    expect(f.handle.counts().maxOutstandingSubmits).toBe(3);
  });

  test('latency delays the answer by at least the configured time', async () => {
    await f.start({ behaviour: { latency: { kind: 'fixed', ms: 150 } } });
    const esme = await f.esme();
    const started = Date.now();
    const resp = await esme.submit({ destination_addr: '8190', short_message: Buffer.from('slow') });
    expect(resp.command_status).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(f.handle.binds()[0]?.outstandingSubmits).toBe(0);
  });

  test('per-prefix errors refuse matching destinations with the configured status', async () => {
    await f.start({
      behaviour: {
        submitErrors: [
          { prefix: '+8170', status: 'ESME_RINVDSTADR' },
          { prefix: '8180', status: 0x45 },
        ],
      },
    });
    const esme = await f.esme();
    const cases: [string, number][] = [
      ['817012345678', ESME_RINVDSTADR],
      ['818012345678', 0x45],
      ['819012345678', 0],
    ];
    for (const [to, status] of cases) expect((await esme.submit({ destination_addr: to, short_message: Buffer.from('x') })).command_status).toBe(status);
    expect(f.handle.messages().map((m) => m.to)).toEqual(['819012345678']);
  });

  test('a rule with nack answers generic_nack carrying the status and the submit_sm sequence_number', async () => {
    await f.start({ behaviour: { submitErrors: [{ prefix: '8170', status: 'ESME_RSYSERR', nack: true }] } });
    const esme = await f.esme();
    const [answer] = await esme.burst('submit_sm', [{ destination_addr: '817012345678', data_coding: 0, short_message: Buffer.from('x') }]);
    expect([answer?.command, answer?.status, answer?.sequence]).toEqual(['generic_nack', 0x08, 1_000_000]);
  });

  test('a malformed submit_sm (source_addr beyond 21 octets) gets ESME_RINVSRCADR and is not recorded', async () => {
    await f.start();
    const esme = await f.esme();
    const resp = await esme.submit({ source_addr: '1'.repeat(25), destination_addr: '8190', short_message: Buffer.from('x') });
    expect(resp.command_status).toBe(0x0a);
    expect(f.handle.messages()).toEqual([]);
  });

  test('behaviour changes at run time through the control API apply to the next PDU', async () => {
    await f.start();
    const esme = await f.esme();
    expect((await esme.submit({ destination_addr: '817000', short_message: Buffer.from('a') })).command_status).toBe(0);
    const patched = await f.api('POST', '/scenario', { name: 'invalid-destinations' });
    expect(patched.status).toBe(200);
    expect((await esme.submit({ destination_addr: '817000', short_message: Buffer.from('b') })).command_status).toBe(ESME_RINVDSTADR);
    expect(f.handle.messages().map((m) => m.text)).toEqual(['a']);
    expect(((await f.api('GET', '/behaviour')).body.submitErrors as unknown[]).length).toBe(1);
  });
});
