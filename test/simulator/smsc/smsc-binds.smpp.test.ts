import { afterEach, describe, expect, test } from 'vitest';
import { SimulatorFixture } from './fixture.ts';
import { makePdu } from '../../../drivers/smpp-protocol/index.ts';
import { waitFor } from '../../support/wait-for.ts';

const ESME_RINVBNDSTS = 0x04;
const ESME_RALYBND = 0x05;
const ESME_RBINDFAIL = 0x0d;
const ESME_RINVCMDID = 0x03;

const f = new SimulatorFixture();
afterEach(async () => {
  expect(await f.end()).toEqual([]);
});

const accounts = [
  { systemId: 'alpha', password: 'secret', maxBinds: 2 },
  { systemId: 'beta', password: 'pw', maxBinds: 1 },
];

describe('binds', () => {
  test.each([
    ['bind_transceiver', 'alpha', 'secret', 0],
    ['bind_transmitter', 'alpha', 'secret', 0],
    ['bind_receiver', 'beta', 'pw', 0],
    ['bind_transceiver', 'alpha', 'wrong', ESME_RBINDFAIL],
    ['bind_transmitter', 'nobody', 'secret', ESME_RBINDFAIL],
    ['bind_receiver', 'beta', '', ESME_RBINDFAIL],
  ] as const)('%s as %s / %s answers 0x%s', async (command, systemId, password, status) => {
    await f.start({ accounts });
    const esme = await f.connect();
    const resp = await esme.request(command, { system_id: systemId, password });
    expect(resp.command_status).toBe(status);
    expect(resp.command).toBe(`${command}_resp`);
    if (status === 0) expect(resp.system_id).toBe('SMSC');
    expect(f.handle.binds().map((b) => b.systemId)).toEqual(status === 0 ? [systemId] : []);
  });

  test('an account gets at most maxBinds binds; a freed slot can be bound again', async () => {
    await f.start({ accounts });
    const first = await f.esme('bind_transmitter', 'alpha', 'secret');
    await f.esme('bind_receiver', 'alpha', 'secret');
    const third = await f.connect();
    expect((await third.request('bind_transceiver', { system_id: 'alpha', password: 'secret' })).command_status).toBe(ESME_RBINDFAIL);
    expect(f.handle.counts().bindFailures).toBe(1);
    // Another account is not affected by alpha's limit.
    await f.esme('bind_transceiver', 'beta', 'pw');
    expect((await first.request('unbind')).command_status).toBe(0);
    await first.waitClosed();
    await waitFor(() => f.handle.binds().filter((b) => b.systemId === 'alpha').length === 1, 'one bind of alpha');
    expect((await third.request('bind_transceiver', { system_id: 'alpha', password: 'secret' })).command_status).toBe(0);
  });

  test('a second bind on a bound session is refused with ESME_RALYBND', async () => {
    await f.start();
    const esme = await f.esme();
    expect((await esme.request('bind_transceiver', { system_id: 'test', password: 'test' })).command_status).toBe(ESME_RALYBND);
  });

  test.each([
    ['before any bind', null],
    ['on a receiver bind', 'bind_receiver'],
  ] as const)('submit_sm %s gets ESME_RINVBNDSTS', async (_label, bind) => {
    await f.start();
    const esme = bind === null ? await f.connect() : await f.esme(bind);
    const resp = await esme.submit({ destination_addr: '819012345678', short_message: Buffer.from('hi') });
    expect(resp.command_status).toBe(ESME_RINVBNDSTS);
    expect(f.handle.messages()).toEqual([]);
  });

  test('binds list mode, account and remote address', async () => {
    await f.start();
    await f.esme('bind_transmitter');
    await f.esme('bind_receiver');
    const binds = f.handle.binds();
    expect(binds.map((b) => b.mode)).toEqual(['transmitter', 'receiver']);
    expect(binds.every((b) => b.remote.startsWith('127.0.0.1:') && b.systemId === 'test')).toBe(true);
    const viaApi = await f.api('GET', '/binds');
    expect((viaApi.body.binds as unknown[]).length).toBe(2);
  });
});

describe('link behaviours', () => {
  test('enquire_link is answered, then ignored when answerEnquireLink is off, then answered again', async () => {
    await f.start();
    const esme = await f.esme();
    expect((await esme.request('enquire_link')).command).toBe('enquire_link_resp');
    f.handle.patchBehaviour({ answerEnquireLink: false });
    await expect(esme.request('enquire_link', {}, 300)).rejects.toThrow('no answer');
    expect(f.handle.counts().enquireLinksIgnored).toBe(1);
    f.handle.useScenario('happy');
    expect((await esme.request('enquire_link')).command_status).toBe(0);
  });

  test('the silent-enquire-link scenario never answers enquire_link but still answers submits', async () => {
    await f.start({ scenario: 'silent-enquire-link' });
    const esme = await f.esme();
    await expect(esme.request('enquire_link', {}, 300)).rejects.toThrow('no answer');
    expect((await esme.submit({ destination_addr: '819012345678', short_message: Buffer.from('x') })).command_status).toBe(0);
  });

  test('dropEveryPdus closes the connection on the Nth PDU after bind without answering it', async () => {
    await f.start({ behaviour: { dropEveryPdus: 3, receipts: { enabled: false } } });
    const esme = await f.esme();
    for (let i = 0; i < 2; i++) expect((await esme.submit({ destination_addr: '8190', short_message: Buffer.from(`m${i}`) })).command_status).toBe(0);
    await expect(esme.submit({ destination_addr: '8190', short_message: Buffer.from('m2') })).rejects.toThrow('connection closed');
    expect(f.handle.counts().connectionsDropped).toBe(1);
    expect(f.handle.messages().map((m) => m.text)).toEqual(['m0', 'm1']);
    await waitFor(() => f.handle.binds().length === 0, 'no bind left');
  });

  test('unbind is answered with unbind_resp and the simulator closes the connection', async () => {
    await f.start();
    const esme = await f.esme();
    const resp = await esme.request('unbind');
    expect(resp.command).toBe('unbind_resp');
    await esme.waitClosed();
  });

  test('an unknown command id gets generic_nack with ESME_RINVCMDID', async () => {
    await f.start();
    const esme = await f.esme();
    // Send raw octets: a PDU with command_id 0x00000077, which no SMPP version defines.
    const raw = Buffer.alloc(16);
    raw.writeUInt32BE(16, 0);
    raw.writeUInt32BE(0x77, 4);
    raw.writeUInt32BE(0, 8);
    raw.writeUInt32BE(4242, 12);
    esme.session.socket.write(raw);
    const nack = await waitFor(() => esme.fromSimulator().find((p) => p.command === 'generic_nack'), 'a generic_nack');
    expect(nack.status).toBe(ESME_RINVCMDID);
    expect(nack.sequence).toBe(4242);
  });

  test('with enquireLinkIntervalMs the SMSC itself sends enquire_link to every bind', async () => {
    await f.start();
    const esme = await f.esme();
    f.handle.patchBehaviour({ enquireLinkIntervalMs: 30 });
    await waitFor(() => (f.handle.counts().received.enquire_link_resp ?? 0) >= 2, 'two enquire_link_resp');
    expect(esme.fromSimulator().filter((p) => p.command === 'enquire_link').length).toBeGreaterThanOrEqual(2);
    f.handle.patchBehaviour({ enquireLinkIntervalMs: 0 });
    const sent = f.handle.counts().enquireLinksSent;
    expect((await f.api('POST', '/enquire-link')).body).toEqual({ sent: 1 });
    await waitFor(() => f.handle.counts().enquireLinksSent === sent + 1, 'one more enquire_link sent');
  });

  test('an SMSC-initiated unbind closes the connection on the ESME answer', async () => {
    await f.start();
    const esme = await f.esme();
    expect((await f.api('POST', '/unbind')).body).toEqual({ sent: 1 });
    await esme.waitClosed();
    expect(esme.fromSimulator().some((p) => p.command === 'unbind')).toBe(true);
    expect(f.handle.counts().received.unbind_resp).toBe(1);
    expect(f.handle.binds()).toEqual([]);
  });

  test('an SMSC-initiated unbind left unanswered closes the connection after 2 s', async () => {
    await f.start();
    const esme = await f.esme();
    esme.answerUnbind = false;
    expect(f.handle.unbindAll()).toBe(1);
    await esme.waitClosed();
    expect(f.handle.counts().unbindsSent).toBe(1);
    expect(f.handle.counts().received.unbind_resp).toBeUndefined();
  });

  test('PDUs arriving one octet at a time are framed and answered like whole ones', async () => {
    await f.start({ behaviour: { receipts: { enabled: false } } });
    const esme = await f.esme();
    const octets = Buffer.concat(
      [1, 2, 3].map((n) => makePdu('submit_sm', { sequence_number: 500 + n, destination_addr: `8190${n}`, data_coding: 0, short_message: Buffer.from(`octet ${n}`) }).toBuffer()),
    );
    for (const octet of octets) {
      esme.session.socket.write(Buffer.of(octet));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const answers = await waitFor(() => {
      const resps = esme.fromSimulator().filter((p) => p.command === 'submit_sm_resp' && p.sequence > 500);
      return resps.length === 3 ? resps : undefined;
    }, 'three submit_sm_resp');
    expect(answers.map((a) => [a.sequence, a.status])).toEqual([
      [501, 0],
      [502, 0],
      [503, 0],
    ]);
    expect(f.handle.messages().map((m) => m.text)).toEqual(['octet 1', 'octet 2', 'octet 3']);
  });

  test.each([8, 1_000_000])('a command_length of %d closes the connection', async (length) => {
    await f.start();
    const esme = await f.esme();
    const raw = Buffer.alloc(16);
    raw.writeUInt32BE(length, 0);
    esme.session.socket.write(raw);
    await esme.waitClosed();
    expect(f.handle.counts().connectionsDropped).toBe(1);
  });

  test('dropConnections closes every ESME at once', async () => {
    await f.start();
    const a = await f.esme();
    const b = await f.esme();
    expect((await f.api('POST', '/drop')).body).toEqual({ dropped: 2 });
    await a.waitClosed();
    await b.waitClosed();
  });
});
