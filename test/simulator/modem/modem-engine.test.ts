import { describe, expect, test } from 'vitest';
import { buildSubmitPdus, decodeTpdu, encodeText, type SmsDeliver, type SmsStatusReport } from '../../../drivers/codec/index.ts';
import { EngineHarness } from './engine-harness.ts';

const OK = '\r\nOK\r\n';

function quiet(options: ConstructorParameters<typeof EngineHarness>[0] = {}): EngineHarness {
  const modem = new EngineHarness(options);
  modem.at('ATE0');
  modem.advance(60_000);
  return modem;
}

/** Sends every part through AT+CMGS and returns the +CMGS references. */
function sendPdus(modem: EngineHarness, hexes: readonly { hex: string; tpduLength: number }[]): string[] {
  return hexes.map((pdu) => {
    expect(modem.at(`AT+CMGS=${pdu.tpduLength}`)).toBe('\r\n> ');
    return modem.send(`${pdu.hex}\x1a`);
  });
}

describe('framing, echo and chains', () => {
  test('echo is on until ATE0 and the response is framed with CR LF', () => {
    const modem = new EngineHarness();
    expect(modem.at('AT')).toBe('AT\r' + OK);
    expect(modem.at('ATE0')).toBe('ATE0\r' + OK);
    expect(modem.at('AT')).toBe(OK);
    expect(modem.at('ATE1')).toBe(OK);
    expect(modem.at('AT+CGMI')).toBe('AT+CGMI\r\r\nGeneric\r\n' + OK);
  });

  test('chained commands answer in order with one final OK', () => {
    const modem = quiet({ identity: { carrier: 'kddi' } });
    expect(modem.at('AT+CGSN;+CIMI;+COPS?')).toBe('\r\n490154203237518\r\n\r\n440101234567890\r\n\r\n+COPS: 0,0,"KDDI",7\r\n' + OK);
  });

  test('a failing command ends the chain and later ones do not run', () => {
    const modem = quiet();
    expect(modem.at('AT+CMEE=1;+CMGF=7;+CMGF=1')).toBe('\r\n+CMS ERROR: 303\r\n');
    expect(modem.at('AT+CMGF?')).toBe('\r\n+CMGF: 0\r\n' + OK);
  });

  test.each([
    [0, '\r\nERROR\r\n'],
    [1, '\r\n+CME ERROR: 10\r\n'],
    [2, '\r\n+CME ERROR: SIM not inserted\r\n'],
  ])('AT+CMEE=%i renders errors as plain, numeric or verbose', (cmee, expected) => {
    const modem = quiet({ scenario: 'sim-not-inserted' });
    modem.at(`AT+CMEE=${cmee}`);
    expect(modem.at('AT+CPIN?')).toBe(expected);
  });

  test.each(['AT+NOSUCH', 'AT^FOO=1', 'ATV0', 'AT+CMGF="unterminated'])('%s answers ERROR', (line) => {
    const modem = quiet();
    modem.at('AT+CMEE=1');
    expect(modem.at(line)).toBe('\r\nERROR\r\n');
  });

  test('a known command in a form it lacks answers +CME ERROR: 4', () => {
    const modem = quiet();
    modem.at('AT+CMEE=1');
    expect(modem.at('AT+CGMI?')).toBe('\r\n+CME ERROR: 4\r\n');
  });

  test.each([
    ['AT+CMGF=?', '+CMGF: (0,1)'],
    ['AT+CSCS=?', '+CSCS: ("GSM","IRA","UCS2")'],
    ['AT+CNMI=?', '+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)'],
    ['AT+CPMS=?', '+CPMS: ("SM","ME","SR"),("SM","ME"),("SM","ME")'],
    ['AT+CSQ', '+CSQ: 22,99'],
    ['AT+CREG?', '+CREG: 0,1'],
    ['AT+CSCA?', '+CSCA: "+819000000010",145'],
    ['AT+CFUN?', '+CFUN: 1'],
    ['AT+CPIN?', '+CPIN: READY'],
    ['AT+CCID', '+CCID: 8981100000000000018'],
  ])('%s answers %s', (line, info) => {
    expect(quiet().at(line)).toBe(`\r\n${info}\r\n` + OK);
  });

  test('lines without AT and stray line feeds are ignored', () => {
    const modem = quiet();
    expect(modem.send('hello\r\n\n')).toBe('');
    expect(modem.send('\nAT\r')).toBe(OK);
  });

  test('a session split at every offset gives the same bytes as in one piece', () => {
    const [pdu] = buildSubmitPdus(encodeText('split'), { to: '+819012345678' });
    const session = `ATE0\rAT+CMEE=1;+CGSN\r\nAT+CMGS=${pdu!.tpduLength}\r${pdu!.hex}\x1aAT+CMGS=9\r00\x1bAT+CSQ\r`;
    const whole = new EngineHarness();
    const expected = whole.send(session);
    expect(expected).toContain('+CMGS: 0');
    for (let cut = 1; cut < session.length; cut += 1) {
      const modem = new EngineHarness();
      expect(modem.send(session.slice(0, cut)) + modem.send(session.slice(cut))).toBe(expected);
      expect(modem.engine.transmitted().map((m) => m.text)).toEqual(['split']);
    }
  });

  test('a command split over many writes is answered once', () => {
    const modem = quiet();
    let out = '';
    for (const ch of 'AT+CSQ\r') out += modem.send(ch);
    expect(out).toBe('\r\n+CSQ: 22,99\r\n' + OK);
  });

  test('AT+COPS=3,2 switches the operator to its numeric form; AT+CREG=2 adds the cell', () => {
    const modem = quiet({ identity: { carrier: 'rakuten' } });
    expect(modem.at('AT+COPS=3,2;+COPS?')).toBe('\r\n+COPS: 0,2,"44011",7\r\n' + OK);
    expect(modem.at('AT+CREG=2;+CREG?')).toBe('\r\n+CREG: 2,1,"1A2B","01C3D4E5",7\r\n' + OK);
  });
});

describe('profiles', () => {
  test.each([
    ['huawei-e3372', 'AT^ICCID?', '^ICCID: 8981100000000000018'],
    ['quectel-ec25', 'AT+QCCID', '+QCCID: 8981100000000000018'],
    ['simcom-sim7600', 'AT+CICCID', '+ICCID: 8981100000000000018'],
  ])('%s answers its own ICCID command', (profile, line, info) => {
    expect(quiet({ identity: { profile } }).at(line)).toBe(`\r\n${info}\r\n` + OK);
  });

  test('the Huawei profile has no AT+CCID and the generic one no AT+CEREG', () => {
    expect(quiet({ identity: { profile: 'huawei-e3372' } }).at('AT+CCID')).toBe('\r\nERROR\r\n');
    expect(quiet().at('AT+CEREG?')).toBe('\r\nERROR\r\n');
    expect(quiet({ identity: { profile: 'quectel-ec25' } }).at('AT+CEREG?')).toBe('\r\n+CEREG: 0,1\r\n' + OK);
  });
});

describe('SIM and network scenarios', () => {
  test('PIN required: commands needing the SIM fail until the right PIN, which unlocks', () => {
    const modem = quiet({ scenario: 'pin-required' });
    modem.at('AT+CMEE=1');
    expect(modem.at('AT+CPIN?')).toBe('\r\n+CPIN: SIM PIN\r\n' + OK);
    expect(modem.at('AT+CIMI')).toBe('\r\n+CME ERROR: 11\r\n');
    expect(modem.at('AT+CREG?')).toBe('\r\n+CREG: 0,0\r\n' + OK);
    expect(modem.at('AT+CMGS=20')).toBe('\r\n+CMS ERROR: 311\r\n');
    expect(modem.at('AT+CPIN="1234"')).toBe(OK);
    expect(modem.at('AT+CPIN?')).toBe('\r\n+CPIN: READY\r\n' + OK);
    expect(modem.at('AT+CREG?')).toBe('\r\n+CREG: 0,1\r\n' + OK);
  });

  test('three wrong PINs block the SIM; the PUK and a new PIN unlock it', () => {
    const modem = quiet({ scenario: 'pin-required' });
    modem.at('AT+CMEE=1');
    for (let i = 0; i < 3; i += 1) expect(modem.at('AT+CPIN="0000"')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(modem.at('AT+CPIN?')).toBe('\r\n+CPIN: SIM PUK\r\n' + OK);
    expect(modem.at('AT+CPIN="1234"')).toBe('\r\n+CME ERROR: 50\r\n');
    expect(modem.at('AT+CPIN="11111111","4321"')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(modem.at('AT+CPIN="12345678","4321"')).toBe(OK);
    expect(modem.at('AT+CPIN?')).toBe('\r\n+CPIN: READY\r\n' + OK);
  });

  test('a PIN-protected SIM asks again after a power cycle', () => {
    const modem = quiet({ scenario: 'pin-required' });
    modem.at('AT+CPIN="1234"');
    modem.engine.powerOff();
    modem.engine.powerOn();
    expect(modem.at('AT+CPIN?')).toContain('+CPIN: SIM PIN');
  });

  test.each([
    ['no-network', '+CREG: 0,0', '+CSQ: 99,99'],
    ['registration-denied', '+CREG: 0,3', '+CSQ: 22,99'],
    ['searching', '+CREG: 0,2', '+CSQ: 22,99'],
    ['roaming', '+CREG: 0,5', '+CSQ: 22,99'],
    ['weak-signal', '+CREG: 0,1', '+CSQ: 3,7'],
  ])('%s: %s, %s', (scenario, creg, csq) => {
    expect(quiet({ scenario }).at('AT+CREG?;+CSQ')).toBe(`\r\n${creg}\r\n\r\n${csq}\r\n` + OK);
  });

  test('sending without a network answers +CMS ERROR: 331', () => {
    const modem = quiet({ scenario: 'no-network' });
    modem.at('AT+CMEE=1');
    const [pdu] = buildSubmitPdus(encodeText('hi'), { to: '+819012345678' });
    expect(sendPdus(modem, [pdu!])).toEqual(['\r\n+CMS ERROR: 331\r\n']);
  });

  test('registration changes are announced with +CREG when AT+CREG=1', () => {
    const modem = quiet();
    modem.at('AT+CREG=1');
    modem.engine.setBehaviour({ registration: 'denied' });
    expect(modem.output.endsWith('\r\n+CREG: 3\r\n')).toBe(true);
  });

  test('hung: nothing is echoed or answered until ATZ or AT+CFUN=1,1, which answers OK and clears it', () => {
    const modem = new EngineHarness({ scenario: 'hung' });
    expect(modem.at('AT')).toBe('');
    expect(modem.at('AT+CSQ;+CGSN')).toBe('');
    modem.engine.injectInbound({ from: '+819011112222', text: 'held' });
    // What arrived meanwhile was held and follows the reset's OK.
    expect(modem.at('AT+CFUN=1,1')).toBe(OK + '\r\n+CMTI: "SM",1\r\n');
    expect(modem.engine.behaviour.hung).toBe(false);
    expect(modem.at('AT')).toBe('AT\r' + OK);
    modem.engine.setBehaviour({ hung: true });
    expect(modem.at('ATZ')).toBe(OK);
  });

  test('hung while an answer is under way: the answer is never written, the next soft reset is', () => {
    const modem = quiet({ behaviour: { responseDelayMs: 1000 } });
    expect(modem.at('AT+CSQ')).toBe('');
    modem.engine.setBehaviour({ hung: true });
    expect(modem.advance(60_000)).toBe('');
    expect(modem.at('ATZ')).toBe('');
    expect(modem.advance(1000)).toBe(OK);
  });

  test('hung before the prompt: no "> ", what the terminal types is swallowed, ESC then a soft reset bring it back', () => {
    const modem = quiet({ behaviour: { responseDelayMs: 500 } });
    const [pdu] = buildSubmitPdus(encodeText('never prompted'), { to: '+819012345678' });
    modem.at(`AT+CMGS=${pdu!.tpduLength}`);
    modem.engine.setBehaviour({ hung: true });
    expect(modem.advance(10_000)).toBe('');
    expect(modem.send('\x1b')).toBe('');
    expect(modem.advance(10_000)).toBe('');
    modem.at('AT+CFUN=1,1');
    expect(modem.advance(500)).toBe(OK);
    expect(modem.engine.transmitted()).toEqual([]);
  });

  test('hang-mid-send: the chosen PDU goes out on the network, its +CMGS never comes, the modem is hung after it', () => {
    const modem = quiet({ behaviour: { hangOnSubmit: 2 } });
    const text = 'A message in three parts, the second of which hangs the modem. '.repeat(5);
    const pdus = buildSubmitPdus(encodeText(text, { concatRef: 9 }), { to: '+819012345678', srr: true });
    expect(pdus).toHaveLength(3);
    const [first, second, third] = pdus;
    expect(sendPdus(modem, [first!])).toEqual(['\r\n+CMGS: 0\r\n' + OK]);
    expect(modem.engine.behaviour.hangOnSubmit).toBe(1);
    expect(sendPdus(modem, [second!])).toEqual(['']);
    expect(modem.engine.behaviour).toMatchObject({ hung: true, hangOnSubmit: null });
    expect(modem.engine.transmittedParts().map((p) => p.mr)).toEqual([0, 1]);
    // The third part is never prompted for; the status reports wait for the modem to come back.
    expect(modem.at(`AT+CMGS=${third!.tpduLength}`)).toBe('');
    expect(modem.send('\x1b')).toBe('');
    expect(modem.advance(60_000)).toBe('');
    expect(modem.at('ATZ')).toBe(OK);
    expect(modem.engine.transmittedParts()).toHaveLength(2);
  });

  test('wedged: soft resets go unanswered too, until hung is cleared', () => {
    const modem = quiet({ scenario: 'wedged' });
    for (const line of ['AT', 'ATZ', 'AT+CFUN=1,1', 'ATZ']) expect(modem.at(line)).toBe('');
    expect(modem.advance(3_600_000)).toBe('');
    expect(modem.engine.behaviour.hung).toBe(true);
    modem.engine.setBehaviour({ hung: false });
    // It never saw the ATE0 of start-up, so it still echoes.
    expect(modem.at('AT')).toBe('AT\r' + OK);
  });

  test('slow responses: the result comes after the delay, input waits its turn', () => {
    const modem = quiet({ scenario: 'slow' });
    expect(modem.at('AT')).toBe('');
    expect(modem.at('AT+CSQ')).toBe('');
    expect(modem.advance(1499)).toBe('');
    expect(modem.advance(1)).toBe(OK);
    expect(modem.advance(1500)).toBe('\r\n+CSQ: 22,99\r\n' + OK);
  });
});

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

describe('garbage', () => {
  test('noise appears on an idle line from time to time and never inside a response', () => {
    const modem = quiet({ behaviour: { garbage: { meanIntervalMs: 50, maxBytes: 8 }, responseDelayMs: 40 } });
    modem.output = '';
    modem.at('AT+CSQ');
    const during = modem.advance(40);
    expect(during).toContain('\r\n+CSQ: 22,99\r\n\r\nOK\r\n');
    const idle = modem.advance(2000);
    expect(idle.length).toBeGreaterThan(0);
    modem.engine.setBehaviour({ garbage: null });
    expect(modem.advance(2000)).toBe('');
  });
});
