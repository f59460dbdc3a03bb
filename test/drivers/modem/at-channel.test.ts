import { describe, expect, test } from 'vitest';
import { AtChannel, type SubmitResult, type Urc } from '../../../drivers/modem/at-channel.ts';
import { isModemError } from '../../../drivers/modem/is-modem-error.ts';
import { FakeLink, OK, scripted } from './fake-link.ts';

async function rejection(promise: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (isModemError(error)) return { code: error.code, details: { ...error.details } };
    throw error;
  }
  throw new Error('expected a rejection');
}

/** The typed facts of a failed AT+CMGS, with the error's code and details for the reader. */
async function submitFailure(result: Promise<SubmitResult>): Promise<Record<string, unknown>> {
  const settled = await result;
  if (settled.ok) throw new Error(`expected a failure, got TP-MR ${settled.mr}`);
  const { error, ...facts } = settled.failure;
  return { code: error.code, details: { ...error.details }, ...facts };
}

describe('AtChannel', () => {
  test('collects the information lines of a command and ignores its echo', async () => {
    const link = new FakeLink(scripted({ 'AT+CGSN': 'AT+CGSN\r\r\n356938035643809\r\n\r\nOK\r\n' }));
    const channel = new AtChannel(link);
    expect(await channel.run('AT+CGSN')).toEqual([{ text: '356938035643809' }]);
    expect(link.unexpected).toEqual([]);
  });

  test('a bare answer starting with "AT" is an answer, the command line itself is its echo', async () => {
    const link = new FakeLink(scripted({ 'AT+CGMI': 'AT+CGMI\r\r\nATMEL\r\n\r\nOK\r\n' }));
    expect(await new AtChannel(link).run('AT+CGMI')).toEqual([{ text: 'ATMEL' }]);
  });

  test('runs one command at a time, in order', async () => {
    const link = new FakeLink(scripted({ AT: OK, 'AT+CSQ': '\r\n+CSQ: 20,99\r\n\r\nOK\r\n', 'AT+CREG?': '\r\n+CREG: 0,1\r\n\r\nOK\r\n' }));
    const channel = new AtChannel(link);
    const results = await Promise.all([channel.run('AT'), channel.run('AT+CSQ'), channel.run('AT+CREG?')]);
    expect(results).toEqual([[], [{ text: '+CSQ: 20,99' }], [{ text: '+CREG: 0,1' }]]);
    expect(link.writes).toEqual(['AT\r', 'AT+CSQ\r', 'AT+CREG?\r']);
  });

  test.each([
    ['+CME ERROR: 10', 'MODEM_SIM_NOT_INSERTED', { cme: 10 }],
    ['+CME ERROR: 16', 'MODEM_SIM_PIN_WRONG', { cme: 16 }],
    ['+CME ERROR: 30', 'MODEM_CME_TEMPORARY', { cme: 30, name: 'no network service' }],
    ['+CME ERROR: 4', 'MODEM_CME_ERROR', { cme: 4 }],
    ['+CMS ERROR: 321', 'MODEM_CMS_ERROR', { cms: 321, name: 'invalid memory index' }],
    ['+CMS ERROR: 42', 'MODEM_CMS_TEMPORARY', { cms: 42, name: 'congestion' }],
    ['+CMS ERROR: 600', 'MODEM_CMS_TEMPORARY', { cms: 600, name: 'manufacturer specific' }],
    ['ERROR', 'MODEM_COMMAND_ERROR', { command: 'AT+CMGD=1' }],
  ])('%s becomes %s', async (line, code, details) => {
    const channel = new AtChannel(new FakeLink(scripted({ 'AT+CMGD=1': `\r\n${line}\r\n` })));
    const error = await rejection(channel.run('AT+CMGD=1'));
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject(details);
  });

  test('a command without an answer times out, and the next command still runs', async () => {
    const link = new FakeLink(scripted({ 'AT+CSQ': () => undefined, AT: OK }));
    const channel = new AtChannel(link, { timeouts: { '+CSQ': 30 } });
    expect((await rejection(channel.run('AT+CSQ'))).code).toBe('MODEM_TIMEOUT');
    expect(await channel.run('AT')).toEqual([]);
    expect(channel.stats().timeouts).toBe(1);
  });

  test('AT+CMGS: PDU written at the prompt, URCs in the middle are passed on, TP-MR returned', async () => {
    const urcs: Urc[] = [];
    const link = new FakeLink(
      scripted(
        { 'AT+CMGS=13': '\r\n+CMTI: "SM",2\r\n\r\n> ' },
        (unit) => (unit === '0001000B914477009001F30000' ? '\r\n+CDSI: "SR",4\r\n\r\n+CMGS: 77\r\n+CREG: 1\r\n\r\nOK\r\n' : null),
      ),
    );
    const channel = new AtChannel(link);
    channel.onUrc((urc) => urcs.push(urc));
    expect(await channel.submitPdu(13, '0001000B914477009001F30000')).toEqual({ ok: true, mr: 77 });
    expect(link.writes).toEqual(['AT+CMGS=13\r', '0001000B914477009001F30000\x1a']);
    expect(urcs.map((u) => u.text)).toEqual(['+CMTI: "SM",2', '+CDSI: "SR",4', '+CREG: 1']);
  });

  test('AT+CMGS refused before the prompt: not written', async () => {
    const channel = new AtChannel(new FakeLink(scripted({ 'AT+CMGS=13': '\r\n+CMS ERROR: 331\r\n' })));
    const failure = await submitFailure(channel.submitPdu(13, '00'));
    expect(failure).toMatchObject({ code: 'MODEM_CMS_TEMPORARY', written: false, uncertain: false, raw: { cmsError: 331 }, details: { cms: 331 } });
  });

  test('+CMS ERROR after the PDU: written, refused', async () => {
    const channel = new AtChannel(new FakeLink(scripted({ 'AT+CMGS=13': '\r\n> ', '00AB': '\r\n+CMS ERROR: 21\r\n' })));
    const failure = await submitFailure(channel.submitPdu(13, '00AB'));
    expect(failure).toMatchObject({ code: 'MODEM_CMS_ERROR', written: true, uncertain: false, raw: { cmsError: 21 }, details: { cms: 21, name: 'short message transfer rejected' } });
  });

  test('+CMS ERROR 332 after the PDU: written, and the network may have it', async () => {
    const channel = new AtChannel(new FakeLink(scripted({ 'AT+CMGS=13': '\r\n> ', '00AB': '\r\n+CMS ERROR: 332\r\n' })));
    expect(await submitFailure(channel.submitPdu(13, '00AB'))).toMatchObject({ code: 'MODEM_CMS_TEMPORARY', written: true, uncertain: true, raw: { cmsError: 332 } });
  });

  test('+CMGS without a message reference: written, unreadable', async () => {
    const channel = new AtChannel(new FakeLink(scripted({ 'AT+CMGS=13': '\r\n> ', '00AB': '\r\n+CMGS: x\r\n\r\nOK\r\n' })));
    expect(await submitFailure(channel.submitPdu(13, '00AB'))).toMatchObject({ code: 'MODEM_UNEXPECTED_REPLY', written: true, uncertain: false });
  });

  test('no prompt: ESC cancels the input and the PDU is never written', async () => {
    const link = new FakeLink(scripted({ 'AT+CMGS=13': () => undefined }, (unit) => (unit === '' ? undefined : null)));
    const channel = new AtChannel(link, { promptTimeoutMs: 30 });
    expect(await submitFailure(channel.submitPdu(13, '00AB'))).toMatchObject({ code: 'MODEM_NO_PROMPT', written: false });
    expect(link.writes).toEqual(['AT+CMGS=13\r', '\x1b']);
  });

  test('port lost after the PDU was written: the outcome is unknown to the caller (written: true)', async () => {
    const link = new FakeLink(scripted({ 'AT+CMGS=13': '\r\n> ' }, () => undefined));
    const channel = new AtChannel(link);
    const pending = submitFailure(channel.submitPdu(13, '00AB'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    link.hangUp('unplugged');
    expect(await pending).toMatchObject({ code: 'MODEM_PORT_CLOSED', written: true });
    expect((await rejection(channel.run('AT'))).details).toMatchObject({ written: false });
  });

  test('noise on the line is counted and lines around it still parse', async () => {
    const link = new FakeLink(scripted({ 'AT+CSQ': '\x00\xfe\r\n+CSQ: 1\x039,99\r\n\r\nO\x80K\r\n' }));
    const channel = new AtChannel(link);
    expect(await channel.run('AT+CSQ')).toEqual([{ text: '+CSQ: 19,99' }]);
    expect(channel.stats().garbageBytes).toBe(4);
  });

  test('a +CREG line is the answer to AT+CREG? but unsolicited otherwise', async () => {
    const urcs: string[] = [];
    const link = new FakeLink(scripted({ 'AT+CREG?': '\r\n+CREG: 0,5\r\n\r\nOK\r\n', AT: '\r\n+CREG: 2\r\n\r\nOK\r\n' }));
    const channel = new AtChannel(link);
    channel.onUrc((u) => urcs.push(u.text));
    expect(await channel.run('AT+CREG?')).toEqual([{ text: '+CREG: 0,5' }]);
    expect(await channel.run('AT')).toEqual([]);
    expect(urcs).toEqual(['+CREG: 2']);
  });
});
