import { describe, expect, test } from 'vitest';
import { buildSubmitPdus, encodeText } from '../../../drivers/codec/index.ts';
import { EngineHarness, OK, quiet, sendPdus } from './engine-harness.ts';

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
