import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildSubmitPdus, decodeTpdu, encodeText, type SmsDeliver, type SmsStatusReport } from '../../../drivers/codec/index.ts';
import { startVirtualModem, type VirtualModemHandle, type VirtualModemOptions } from '../../../simulator/index.ts';
import { AtClient } from './at-client.ts';

let dir: string;
const modems: VirtualModemHandle[] = [];
const clients: AtClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmodem-'));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(modems.splice(0).map((modem) => modem.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(options: Partial<VirtualModemOptions> = {}): Promise<{ modem: VirtualModemHandle; client: AtClient }> {
  const modem = await startVirtualModem({ path: join(dir, 'modem0'), imei: '490154203237518', ...options });
  modems.push(modem);
  const client = await AtClient.open(modem.path);
  clients.push(client);
  return { modem, client };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function init(client: AtClient, cnmi = '2,1,0,1,0'): Promise<void> {
  expect(await client.command('ATE0')).toBe('ATE0\r\r\nOK\r\n');
  expect(await client.command(`AT+CMEE=1;+CMGF=0;+CNMI=${cnmi}`)).toBe('\r\nOK\r\n');
}

describe('virtual modem on a pseudo-terminal', () => {
  test('echo until ATE0, identity and chained commands over a real serial port', async () => {
    const { client } = await start({ carrier: 'softbank', profile: 'quectel-ec25', imsi: '440201234567890' });
    expect(await client.command('AT')).toBe('AT\r\r\nOK\r\n');
    await init(client);
    expect(await client.command('AT+CGMI;+CGMM;+CGSN;+CIMI')).toBe('\r\nQuectel\r\n\r\nEC25\r\n\r\n490154203237518\r\n\r\n440201234567890\r\n\r\nOK\r\n');
    expect(await client.command('AT+COPS?;+CPIN?')).toBe('\r\n+COPS: 0,0,"SoftBank",7\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n');
    expect(await client.command('AT+NOTACOMMAND')).toBe('\r\nERROR\r\n');
  });

  test('AT+CMGS in PDU mode records the exact reassembled text and answers TP-MRs; +CDS follows by MR after the delay', async () => {
    const { modem, client } = await start({ behaviour: { statusReport: { delayMs: 300, outcome: 'delivered' } } });
    await init(client);
    const text = 'Concatenated GSM message with {braces} and €uro signs. '.repeat(4);
    const pdus = buildSubmitPdus(encodeText(text, { concatRef: 9 }), { to: '+819012345678', srr: true });
    expect(pdus.length).toBe(2);
    const mrs: number[] = [];
    const sentAt = Date.now();
    for (const pdu of pdus) {
      expect(await client.command(`AT+CMGS=${pdu.tpduLength}`)).toBe('\r\n> ');
      const answer = await client.submit(pdu.hex);
      mrs.push(Number(/\+CMGS: (\d+)/.exec(answer)?.[1]));
    }
    expect(modem.transmitted()).toMatchObject([{ to: '+819012345678', text, complete: true, total: 2 }]);
    expect(modem.transmittedParts().map((part) => part.mr)).toEqual(mrs);
    const reports = await client.waitFor((t) => (t.match(/\+CDS: \d+\r\n[0-9A-F]+\r\n/g) ?? []).length === 2, 0);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(250);
    const decoded = [...reports.matchAll(/\+CDS: \d+\r\n([0-9A-F]+)\r\n/g)].map((m) => decodeTpdu(m[1]!, { withSmsc: true }) as SmsStatusReport);
    expect(decoded.map((r) => r.messageReference).sort()).toEqual([...mrs].sort());
    expect(decoded.every((r) => r.status.value === 0 && r.recipient.value === '+819012345678')).toBe(true);
  });

  test('text mode AT+CMGS="number"', async () => {
    const { modem, client } = await start();
    await init(client);
    await client.command('AT+CMGF=1');
    expect(await client.command('AT+CMGS="+819087654321"')).toBe('\r\n> ');
    expect(await client.submit('Plain text mode')).toMatch(/^\r\n\+CMGS: \d+\r\n\r\nOK\r\n$/);
    expect(modem.transmitted()).toMatchObject([{ to: '+819087654321', text: 'Plain text mode' }]);
  });

  test('+CMS ERROR on every N-th send', async () => {
    const { modem, client } = await start({ scenario: 'send-errors' });
    await init(client);
    const [pdu] = buildSubmitPdus(encodeText('retry me'), { to: '+819012345678' });
    const answers: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      await client.command(`AT+CMGS=${pdu!.tpduLength}`);
      answers.push(await client.submit(pdu!.hex));
    }
    expect(answers[2]).toBe('\r\n+CMS ERROR: 38\r\n');
    expect(modem.transmittedParts()).toHaveLength(2);
  });

  test('injected STOP: +CMTI, AT+CMGR, AT+CMGD; then +CMT direct with <mt>=2', async () => {
    const { modem, client } = await start();
    await init(client, '2,1,0,0,0');
    const mark = client.received.length;
    modem.injectInbound({ from: '+819011112222', text: 'STOP' });
    const urc = await client.waitFor(/\+CMTI: "SM",(\d+)\r\n/, mark);
    const index = /\+CMTI: "SM",(\d+)/.exec(urc)?.[1];
    const read = await client.command(`AT+CMGR=${index}`);
    const hex = /\+CMGR: 0,,\d+\r\n([0-9A-F]+)\r\n/.exec(read)?.[1];
    const deliver = decodeTpdu(hex!, { withSmsc: true }) as SmsDeliver;
    expect([deliver.originator.value, deliver.userData.text]).toEqual(['+819011112222', 'STOP']);
    expect(await client.command(`AT+CMGD=${index}`)).toBe('\r\nOK\r\n');
    expect(await client.command('AT+CMGL=4')).toBe('\r\nOK\r\n');

    await client.command('AT+CNMI=2,2,0,0,0');
    const text = 'ご注文ありがとうございました。'.repeat(6);
    const direct = client.received.length;
    modem.injectInbound({ from: '+819011112222', text });
    const cmt = await client.waitFor((t) => (t.match(/\+CMT: ,\d+\r\n[0-9A-F]+\r\n/g) ?? []).length === 2, direct);
    const parts = [...cmt.matchAll(/\+CMT: ,\d+\r\n([0-9A-F]+)\r\n/g)].map((m) => decodeTpdu(m[1]!, { withSmsc: true }) as SmsDeliver);
    expect(parts.map((p) => p.userData.text).join('')).toBe(text);
  });

  test('unplug makes the path vanish and hangs up the client; replug brings it back powered on', async () => {
    const { modem, client } = await start();
    await init(client);
    await modem.unplug();
    expect(await exists(modem.path)).toBe(false);
    // serialport may miss a hang-up that follows traffic closely; the next write surely fails (EIO) and closes it.
    client.write('AT\r');
    await client.waitFor(() => client.closed, 0);
    expect(modem.plugged).toBe(false);
    await modem.replug();
    expect(await exists(modem.path)).toBe(true);
    const again = await AtClient.open(modem.path);
    clients.push(again);
    // Power-on state: echo is on again.
    expect(await again.command('AT+CGSN')).toBe('AT+CGSN\r\r\n490154203237518\r\n\r\nOK\r\n');
  });

  test('replug under a new name: the old path stays gone, storage carries over', async () => {
    const { modem, client } = await start();
    await init(client, '2,1,0,0,0');
    modem.injectInbound({ from: '+819011112222', text: 'kept on the SIM' });
    await client.waitFor(/\+CMTI/, 0);
    const oldPath = modem.path;
    await modem.unplug();
    await modem.replug({ path: join(dir, 'modem9') });
    expect(modem.path).toBe(join(dir, 'modem9'));
    expect([await exists(oldPath), await exists(modem.path)]).toEqual([false, true]);
    const again = await AtClient.open(modem.path);
    clients.push(again);
    expect(await again.command('ATE0;+CMGF=1;+CMGL="ALL"')).toContain('\r\nkept on the SIM\r\n');
  });

  test('flapping: the device vanishes and comes back by itself until told to stop', async () => {
    const modem = await startVirtualModem({ path: join(dir, 'flappy'), behaviour: { flapping: { upMs: 150, downMs: 150 } } });
    modems.push(modem);
    const seen: boolean[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(seen.includes(false) && seen.lastIndexOf(true) > seen.indexOf(false))) {
      seen.push(await exists(modem.path));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen.indexOf(false)).toBeGreaterThanOrEqual(0);
    expect(seen.lastIndexOf(true)).toBeGreaterThan(seen.indexOf(false));
    modem.setBehaviour({ flapping: null });
    // Stopping brings a device that flapping had unplugged back by itself, and it then stays.
    for (let i = 0; i < 200 && !modem.plugged; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(modem.plugged).toBe(true);
    const client = await AtClient.open(modem.path);
    clients.push(client);
    expect(await client.command('AT')).toBe('AT\r\r\nOK\r\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await client.command('AT')).toBe('AT\r\r\nOK\r\n');
  });

  test('waitForTransmitted resolves with complete messages and times out with a coded error', async () => {
    const { modem, client } = await start();
    await init(client);
    await expect(modem.waitForTransmitted(1, 100)).rejects.toMatchObject({ code: 'MODEMSIM_TIMEOUT' });
    const [pdu] = buildSubmitPdus(encodeText('waited for'), { to: '+819012345678' });
    const waiting = modem.waitForTransmitted(1);
    await client.command(`AT+CMGS=${pdu!.tpduLength}`);
    await client.submit(pdu!.hex);
    expect((await waiting).map((m) => m.text)).toEqual(['waited for']);
  });

  test('garbage bytes show up on an idle line, and commands still work', async () => {
    const { client } = await start({ behaviour: { garbage: { meanIntervalMs: 30, maxBytes: 6 } } });
    await client.waitFor((t) => t.length >= 10, 0, 5000);
    expect(await client.command('AT+CSQ')).toContain('\r\n+CSQ: 22,99\r\n\r\nOK\r\n');
  });

  test('the control API reads transmissions, injects inbound and changes behaviour', async () => {
    const { modem, client } = await start({ controlPort: 0 });
    await init(client);
    const base = `http://127.0.0.1:${modem.controlPort}`;
    const [pdu] = buildSubmitPdus(encodeText('via API'), { to: '+819012345678' });
    await client.command(`AT+CMGS=${pdu!.tpduLength}`);
    await client.submit(pdu!.hex);
    const transmitted = (await (await fetch(`${base}/transmitted`)).json()) as { messages: { text: string }[] };
    expect(transmitted.messages.map((m) => m.text)).toEqual(['via API']);
    const injected = await fetch(`${base}/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+819011112222', text: 'STOP' }) });
    expect(injected.status).toBe(201);
    await client.waitFor(/\+CMTI: "SM",\d+/, 0);
    const patched = await fetch(`${base}/behaviour`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signal: { rssi: 5, ber: 0 } }) });
    expect(patched.status).toBe(200);
    expect(await client.command('AT+CSQ')).toBe('\r\n+CSQ: 5,0\r\n\r\nOK\r\n');
    const bad = await fetch(`${base}/behaviour`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signal: { rssi: 50 } }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('MODEMSIM_INVALID_OPTION');
    const scenario = await fetch(`${base}/scenario`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'no-network' }) });
    expect(scenario.status).toBe(200);
    expect(await client.command('AT+CREG?')).toBe('\r\n+CREG: 0,0\r\n\r\nOK\r\n');
    const unplug = await fetch(`${base}/unplug`, { method: 'POST' });
    expect(await unplug.json()).toEqual({ plugged: false });
    expect(await exists(modem.path)).toBe(false);
    const replugged = await fetch(`${base}/replug`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await replugged.json()).toEqual({ plugged: true, path: modem.path });
    expect(await exists(modem.path)).toBe(true);
  });

  test('two modems at different paths are independent, and a live link is not taken over', async () => {
    const first = await start({ carrier: 'docomo' });
    const second = await startVirtualModem({ path: join(dir, 'modem1'), imei: '356938035643809', carrier: 'kddi' });
    modems.push(second);
    const client = await AtClient.open(second.path);
    clients.push(client);
    expect(await client.command('ATE0;+CGSN;+COPS?')).toContain('356938035643809\r\n\r\n+COPS: 0,0,"KDDI",7');
    expect(await first.client.command('AT+COPS?')).toContain('"NTT DOCOMO"');
    await expect(startVirtualModem({ path: first.modem.path })).rejects.toMatchObject({ code: 'MODEMSIM_LINK_BUSY' });
  });
});
