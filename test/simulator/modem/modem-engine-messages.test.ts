/** The virtual modem's engine with messages: sending (AT+CMGS), status reports and inbound delivery. */
import { describe, expect, test } from 'vitest';
import { buildSubmitPdus, decodeTpdu, encodeText, type SmsDeliver, type SmsStatusReport } from '../../../drivers/codec/index.ts';
import { EngineHarness, OK, quiet, sendPdus } from './engine-harness.ts';

describe('sending', () => {
  test('PDU mode: the prompt, the decoded text, reassembled parts and increasing TP-MRs', () => {
    const modem = quiet();
    const text = 'A long message. '.repeat(15);
    const pdus = buildSubmitPdus(encodeText(text, { concatRef: 77 }), { to: '+819012345678' });
    expect(pdus).toHaveLength(2);
    expect(sendPdus(modem, pdus)).toEqual(['\r\n+CMGS: 0\r\n' + OK, '\r\n+CMGS: 1\r\n' + OK]);
    const [message] = modem.engine.transmitted();
    expect(message).toMatchObject({ to: '+819012345678', text, complete: true, total: 2, encoding: 'gsm7' });
    expect(message?.parts.map((part) => part.mr)).toEqual([0, 1]);
  });

  test('PDU mode with echo on echoes the PDU but not the ctrl-Z', () => {
    const modem = new EngineHarness();
    const [pdu] = buildSubmitPdus(encodeText('echo'), { to: '+819012345678' });
    expect(modem.at(`AT+CMGS=${pdu!.tpduLength}`)).toBe(`AT+CMGS=${pdu!.tpduLength}\r\r\n> `);
    expect(modem.send(`${pdu!.hex}\x1a`)).toBe(`${pdu!.hex}\r\n+CMGS: 0\r\n` + OK);
  });

  test('Japanese UCS-2 in three parts is recorded exactly', () => {
    const modem = quiet();
    const text = 'こんにちは、世界。'.repeat(18);
    const pdus = buildSubmitPdus(encodeText(text), { to: '+818012345678' });
    expect(pdus).toHaveLength(3);
    sendPdus(modem, pdus);
    expect(modem.engine.transmitted()).toMatchObject([{ text, encoding: 'ucs2', complete: true, total: 3 }]);
  });

  test.each([
    ['a length that does not match the PDU', (hex: string, n: number) => [n + 1, hex] as const],
    ['hex with an odd digit count', (hex: string, n: number) => [n, `${hex}0`] as const],
    ['not hex at all', (_hex: string, n: number) => [n, 'ZZ'.repeat(n + 1)] as const],
  ])('refuses %s with +CMS ERROR: 304', (_name, mangle) => {
    const modem = quiet();
    modem.at('AT+CMEE=1');
    const [pdu] = buildSubmitPdus(encodeText('hi'), { to: '+819012345678' });
    const [length, hex] = mangle(pdu!.hex, pdu!.tpduLength);
    modem.at(`AT+CMGS=${length}`);
    expect(modem.send(`${hex}\x1a`)).toBe('\r\n+CMS ERROR: 304\r\n');
    expect(modem.engine.transmitted()).toEqual([]);
  });

  test('ESC cancels the prompt and nothing is sent', () => {
    const modem = quiet();
    modem.at('AT+CMGS=20');
    expect(modem.send('0011\x1b')).toBe(OK);
    expect(modem.at('AT')).toBe(OK);
    expect(modem.engine.transmitted()).toEqual([]);
  });

  test('text mode: AT+CMGS="number" takes the text up to ctrl-Z', () => {
    const modem = quiet();
    expect(modem.at('AT+CMGF=1')).toBe(OK);
    expect(modem.at('AT+CMGS="+819012345678"')).toBe('\r\n> ');
    expect(modem.send('Hello text mode\x1a')).toBe('\r\n+CMGS: 0\r\n' + OK);
    expect(modem.engine.transmitted()).toMatchObject([{ to: '+819012345678', text: 'Hello text mode', complete: true }]);
  });

  test('text mode with AT+CSCS="UCS2" and AT+CSMP dcs 8 takes hex UTF-16', () => {
    const modem = quiet();
    modem.at('AT+CMGF=1;+CSCS="UCS2";+CSMP=17,167,0,8');
    modem.at('AT+CMGS="09012345678"');
    modem.send('65E5672C8A9E\x1a');
    expect(modem.engine.transmitted()).toMatchObject([{ to: '09012345678', text: '日本語', encoding: 'ucs2' }]);
  });

  test('every N-th send fails with the configured +CMS ERROR codes in turn', () => {
    const modem = quiet({ behaviour: { sendFailure: { every: 2, codes: [38, 42] } } });
    modem.at('AT+CMEE=1');
    const pdus = buildSubmitPdus(encodeText('x'), { to: '+819012345678' });
    const answers = [1, 2, 3, 4, 5].map(() => sendPdus(modem, pdus)[0]);
    expect(answers).toEqual([
      '\r\n+CMGS: 0\r\n' + OK,
      '\r\n+CMS ERROR: 38\r\n',
      '\r\n+CMGS: 1\r\n' + OK,
      '\r\n+CMS ERROR: 42\r\n',
      '\r\n+CMGS: 2\r\n' + OK,
    ]);
    expect(modem.engine.transmittedParts()).toHaveLength(3);
  });
});

describe('status reports', () => {
  function reportAfterSend(options: ConstructorParameters<typeof EngineHarness>[0], cnmi: string): { modem: EngineHarness; mr: number } {
    const modem = quiet(options);
    modem.at(`AT+CNMI=${cnmi}`);
    modem.at('AT+CMGS=0'); // refused (length), proves nothing is half-open afterwards
    const [pdu] = buildSubmitPdus(encodeText('report me'), { to: '+819012345678', srr: true });
    sendPdus(modem, [pdu!, pdu!]);
    return { modem, mr: 1 };
  }

  test('+CDS arrives after the delay with the TP-MR of the part and the outcome', () => {
    const { modem } = reportAfterSend({ behaviour: { statusReport: { delayMs: 1000, outcome: 'delivered' } } }, '2,1,0,1,0');
    expect(modem.advance(999)).toBe('');
    const out = modem.advance(1);
    const reports = [...out.matchAll(/\r\n\+CDS: (\d+)\r\n([0-9A-F]+)\r\n/g)];
    expect(reports).toHaveLength(2);
    const decoded = reports.map((match) => decodeTpdu(match[2]!, { withSmsc: true }) as SmsStatusReport);
    expect(decoded.map((report) => [report.messageReference, report.status.value, report.recipient.value])).toEqual([
      [0, 0, '+819012345678'],
      [1, 0, '+819012345678'],
    ]);
    expect(reports.map((match) => Number(match[1]))).toEqual(decoded.map((report) => report.tpduLength));
  });

  test('a failed outcome carries its TP-ST; a given status overrides it', () => {
    const failed = reportAfterSend({ scenario: 'delivery-failed' }, '2,1,0,1,0').modem;
    const hex = /\+CDS: \d+\r\n([0-9A-F]+)/.exec(failed.advance(200))?.[1];
    expect((decodeTpdu(hex!, { withSmsc: true }) as SmsStatusReport).status.value).toBe(0x41);
    const custom = reportAfterSend({ behaviour: { statusReport: { delayMs: 10, outcome: 'failed', status: 0x45 } } }, '2,1,0,1,0').modem;
    expect(custom.engine.statusReports()).toEqual([]);
    custom.advance(10);
    expect(custom.engine.statusReports().map((report) => report.status)).toEqual([0x45, 0x45]);
  });

  test('<ds>=2 stores reports in "SR" and announces +CDSI; AT+CMGR reads them there', () => {
    const { modem } = reportAfterSend({}, '2,1,0,2,0');
    expect(modem.advance(200)).toBe('\r\n+CDSI: "SR",1\r\n\r\n+CDSI: "SR",2\r\n');
    modem.at('AT+CPMS="SR"');
    const out = modem.at('AT+CMGR=2');
    const hex = /\+CMGR: 0,,\d+\r\n([0-9A-F]+)\r\n/.exec(out)?.[1];
    expect((decodeTpdu(hex!, { withSmsc: true }) as SmsStatusReport).messageReference).toBe(1);
  });

  test('<ds>=0 drops reports, as a real modem would', () => {
    const { modem } = reportAfterSend({}, '2,1,0,0,0');
    expect(modem.advance(500)).toBe('');
    expect(modem.engine.statusReports().map((report) => report.via)).toEqual(['discarded', 'discarded']);
  });

  test('reports due while the modem is unplugged wait in the network until it is registered again', () => {
    const { modem } = reportAfterSend({ behaviour: { attachDelayMs: 1000 } }, '2,1,0,1,0');
    modem.engine.powerOff();
    modem.advance(500);
    expect(modem.engine.statusReports()).toEqual([]);
    modem.engine.powerOn();
    expect(modem.at('AT+CREG?')).toBe('AT+CREG?\r\r\n+CREG: 0,2\r\n' + OK);
    expect(modem.engine.stats().heldByNetwork).toBe(2);
    modem.at('ATE0;+CNMI=2,1,0,1,0');
    const out = modem.advance(1000);
    expect(out.match(/\+CDS: /g)).toHaveLength(2);
    expect(modem.at('AT+CREG?')).toBe('\r\n+CREG: 0,1\r\n' + OK);
  });

  test('without an attach delay, held reports meet the power-on AT+CNMI (<ds>=0) and are dropped', () => {
    const { modem } = reportAfterSend({}, '2,1,0,1,0');
    modem.engine.powerOff();
    modem.advance(500);
    modem.engine.powerOn();
    expect(modem.engine.statusReports().map((report) => report.via)).toEqual(['discarded', 'discarded']);
  });
});

describe('inbound', () => {
  test('stored with +CMTI, read with AT+CMGR (REC UNREAD then READ), listed and deleted', () => {
    const modem = quiet();
    modem.at('AT+CNMI=2,1,0,0,0');
    const result = modem.engine.injectInbound({ from: '+819011112222', text: 'STOP' });
    expect(result).toMatchObject({ parts: 1, delivered: 1 });
    expect(modem.output.endsWith('\r\n+CMTI: "SM",1\r\n')).toBe(true);
    const first = modem.at('AT+CMGR=1');
    const [, length, hex] = /\+CMGR: 0,,(\d+)\r\n([0-9A-F]+)\r\n/.exec(first) ?? [];
    const deliver = decodeTpdu(hex!, { withSmsc: true }) as SmsDeliver;
    expect([deliver.originator.value, deliver.userData.text, deliver.tpduLength]).toEqual(['+819011112222', 'STOP', Number(length)]);
    expect(modem.at('AT+CMGR=1')).toContain('+CMGR: 1,,');
    expect(modem.at('AT+CMGL=4')).toBe(`\r\n+CMGL: 1,1,,${length}\r\n${hex}\r\n` + OK);
    expect(modem.at('AT+CMGD=1')).toBe(OK);
    expect(modem.at('AT+CMGL=4')).toBe(OK);
    modem.at('AT+CMEE=1');
    expect(modem.at('AT+CMGR=1')).toBe('\r\n+CMS ERROR: 321\r\n');
  });

  test('multi-part UCS-2 arrives as parts that reassemble, in the order asked', () => {
    const modem = quiet();
    modem.at('AT+CNMI=2,1,0,0,0');
    const text = '本日は晴天なり。'.repeat(12);
    const result = modem.engine.injectInbound({ from: '+819011112222', text, order: [2, 1] });
    expect(result.parts).toBe(2);
    const listing = modem.at('AT+CMGL=0');
    const parts = [...listing.matchAll(/\+CMGL: (\d+),0,,\d+\r\n([0-9A-F]+)/g)].map((m) => decodeTpdu(m[2]!, { withSmsc: true }) as SmsDeliver);
    expect(parts.map((p) => p.userData.concat?.seq)).toEqual([2, 1]);
    expect(parts.sort((a, b) => a.userData.concat!.seq - b.userData.concat!.seq).map((p) => p.userData.text).join('')).toBe(text);
  });

  test('<mt>=2 delivers directly with +CMT: ,<length>', () => {
    const modem = quiet();
    modem.at('AT+CNMI=2,2,0,0,0');
    const out = modem.send('');
    expect(out).toBe('');
    modem.engine.injectInbound({ from: 'Shop', text: 'hello' });
    const [, length, hex] = /\r\n\+CMT: ,(\d+)\r\n([0-9A-F]+)\r\n$/.exec(modem.output) ?? [];
    const deliver = decodeTpdu(hex!, { withSmsc: true }) as SmsDeliver;
    expect([deliver.originator.value, deliver.originator.type, deliver.userData.text, deliver.tpduLength]).toEqual(['Shop', 'alphanumeric', 'hello', Number(length)]);
    expect(modem.engine.storedMessages('SM')).toEqual([]);
  });

  test('text mode: +CMTI then AT+CMGR shows sender, time stamp and text', () => {
    const modem = quiet();
    modem.at('AT+CMGF=1;+CNMI=2,1,0,0,0');
    modem.engine.injectInbound({ from: '+819011112222', text: 'STOP' });
    expect(modem.at('AT+CMGR=1')).toBe('\r\n+CMGR: "REC UNREAD","+819011112222",,"26/01/15,12:05:05+36"\r\nSTOP\r\n' + OK);
  });

  test('with <mode>=2 a URC waits for the running command to end; interleave sends it at once', () => {
    const held = quiet({ behaviour: { responseDelayMs: 100 } });
    held.at('AT+CNMI=2,1,0,0,0');
    held.advance(100);
    held.at('AT+CSQ');
    held.engine.injectInbound({ from: '+819011112222', text: 'x' });
    expect(held.advance(100)).toBe('\r\n+CSQ: 22,99\r\n' + OK + '\r\n+CMTI: "SM",1\r\n');

    const eager = quiet({ behaviour: { responseDelayMs: 100, urcTiming: 'interleave' } });
    eager.at('AT+CNMI=2,1,0,0,0');
    eager.advance(100);
    eager.at('AT+CMGS=20');
    eager.advance(100);
    eager.engine.injectInbound({ from: '+819011112222', text: 'x' });
    expect(eager.output.endsWith('\r\n> \r\n+CMTI: "SM",1\r\n')).toBe(true);
  });

  test('messages wait in the network while the SIM is locked and arrive once it is unlocked', () => {
    const modem = quiet({ scenario: 'pin-required' });
    modem.at('AT+CNMI=2,1,0,0,0');
    expect(modem.engine.injectInbound({ from: '+819011112222', text: 'later' })).toMatchObject({ parts: 1, delivered: 0 });
    expect(modem.at('AT+CPIN="1234"')).toBe(OK + '\r\n+CMTI: "SM",1\r\n');
  });

  test('a full SIM leaves messages with the network; freeing a slot lets the next one in', () => {
    const modem = quiet();
    modem.at('AT+CNMI=2,1,0,0,0');
    const results = Array.from({ length: 31 }, (_, i) => modem.engine.injectInbound({ from: '+819011112222', text: `m${i}` }));
    expect(results.map((r) => r.delivered)).toEqual([...new Array<number>(30).fill(1), 0]);
    expect(modem.engine.stats()).toMatchObject({ heldByNetwork: 1, storage: { SM: 30 } });
    expect(modem.at('AT+CMGD=5')).toBe(OK + '\r\n+CMTI: "SM",5\r\n');
    expect(modem.at('AT+CMGF=1;+CMGR=5')).toContain('\r\nm30\r\n');
  });

  test('an inbound text the codec cannot carry is refused with a coded error', () => {
    const modem = quiet();
    expect(() => modem.engine.injectInbound({ from: '+819011112222', text: 'x'.repeat(2000) })).toThrow(
      expect.objectContaining({ code: 'MODEMSIM_INVALID_INBOUND' }),
    );
    expect(() => modem.engine.injectInbound({ from: '+819011112222', text: 'x', order: [2] })).toThrow(
      expect.objectContaining({ code: 'MODEMSIM_INVALID_INBOUND' }),
    );
  });
});
