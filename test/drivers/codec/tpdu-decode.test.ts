import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  buildDeliverPdus,
  buildStatusReportPdu,
  buildSubmitPdus,
  CodecError,
  decodeTpdu,
  encodeText,
  fromHex,
  type DecodeTpduOptions,
} from '../../../drivers/codec/index.ts';

const MT = { withSmsc: true } as const;

describe('SMS-DELIVER (TS 23.040 9.2.2.1)', () => {
  // Triples: decode(hex) shows the fields, the builder reproduces the hex, and decoding what it built gives them back.
  test.each([
    {
      source: 'python-gsmmodem test/test_pdu.py test_decode',
      hex: '06917228195339040B917228214365F700003130805120618005D4F29C2E03',
      from: '+27821234567',
      smsc: '+2782913593',
      text: 'Test2',
      scts: '2013-03-08T13:02:16.000Z',
      tz: 8,
    },
    {
      source: 'python-gsmmodem test/test_pdu.py test_decode (UTC+8 time stamp)',
      hex: '07915892000000F0040B915892214365F700007040213252242331493A283D0795C3F33C88FE06C9CB6132885EC6D341EDF27C1E3E97E7207B3A0C0A5241E377BB1D7693E72E',
      from: '+85291234567',
      smsc: '+85290000000',
      text: 'It is easy to read text messages via AT commands.',
      scts: '2007-04-12T15:25:42.000Z',
      tz: 32,
    },
    {
      source: 'python-gsmmodem test/test_pdu.py test_decode (extension characters)',
      hex: '06917228195339040B917228214365F70000313062315352800A800D8A5E98D337A910',
      from: '+27821234567',
      smsc: '+2782913593',
      text: '@{tést}!',
      scts: '2013-03-26T11:35:25.000Z',
      tz: 8,
    },
  ])('$source: $text', ({ hex, from, smsc, text, scts, tz }) => {
    const decoded = decodeTpdu(hex, MT);
    expect(decoded).toMatchObject({
      type: 'deliver',
      smsc: { value: smsc },
      originator: { value: from, type: 'international' },
      pid: 0,
      dcs: { encoding: 'gsm7' },
      scts: { date: new Date(scts), tzQuarterHours: tz },
      moreMessagesToSend: false,
      userData: { text, udh: [] },
    });
    const [built] = buildDeliverPdus(encodeText(text), { from, smsc, scts: new Date(scts), tzQuarterHours: tz });
    expect(built?.hex).toBe(hex);
    expect(decodeTpdu(built!.bytes, MT)).toEqual(decoded);
  });

  test('the DELIVER of the PDU-format tutorial: subscriber number (TOA 0xC8), 1999 time stamp', () => {
    // Source: dreamfabric "SMS and the PDU format" (the SMS-DELIVER counterpart of "hellohello").
    const decoded = decodeTpdu('07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37', MT);
    expect(decoded).toMatchObject({
      type: 'deliver',
      smsc: { value: '+27381000015' },
      originator: { type: 'subscriber', ton: 4, npi: 8, value: '27838890001' },
      scts: { date: new Date('1999-03-29T13:16:59Z'), tzQuarterHours: 8 },
      userData: { text: 'hellohello', udl: 10 },
    });
  });

  test('a concatenated DELIVER from a network (national originator, 8-bit reference 0xC3)', () => {
    // Source: python-gsmmodem test/test_pdu.py test_decode (captured from a South African network).
    const hex =
      '0591721891F1400781721881F800003160526104848059050003C30101916536FB1DCABEEB2074D85E064941B19CAB060319A5C522289C96D3D3ED32286C0FA7D96131BBEC024941B19CAB0603DDD36C36A88C87A7E565D0DB0D82C55EB0DB4B068BCD5C20';
    const decoded = decodeTpdu(hex, MT);
    expect(decoded).toMatchObject({
      type: 'deliver',
      moreMessagesToSend: true,
      originator: { type: 'unknown', value: '2781188' },
      smsc: { value: '+2781191' },
      userData: {
        text: 'Hello!You have R 19.50 FREE airtime available. R 19.50 will expire on 01/07/2013. ',
        concat: { ref: 0xc3, total: 1, seq: 1, refSize: 8 },
        udhLength: 6,
      },
    });
  });

  test.each([
    ['an alphanumeric sender', { from: 'Bank', text: 'Your code is 1234' }],
    ['UCS-2 text and a 16-bit reference', { from: '+819012345678', text: '日本語のメッセージです。'.repeat(8), refSize: 16 as const, concatRef: 4242 }],
    ['an emoji at every boundary', { from: '+15551234567', text: '😀'.repeat(100) }],
    ['GSM extension characters across parts', { from: '+15551234567', text: '{[€]}'.repeat(70) }],
  ])('builds and decodes %s', (_name, { from, text, ...options }) => {
    const message = encodeText(text, { maxParts: 20, ...options });
    const pdus = buildDeliverPdus(message, { from, scts: new Date('2026-01-02T03:04:05Z'), tzQuarterHours: -20 });
    const decoded = pdus.map((pdu) => decodeTpdu(pdu.hex, MT));
    expect(decoded.map((pdu) => (pdu.type === 'deliver' ? pdu.userData.text : '')).join('')).toBe(text);
    for (const [index, pdu] of decoded.entries()) {
      expect(pdu).toMatchObject({ type: 'deliver', originator: { value: from }, scts: { date: new Date('2026-01-02T03:04:05Z'), tzQuarterHours: -20 } });
      if (pdu.type === 'deliver') expect(pdu.userData.concat).toEqual(message.parts[index]?.concat);
    }
  });

  test('national shift tables announced in the UDH decode the text', () => {
    const text = 'Çok güzel bir gün, İstanbul’da ğüşıöç';
    const message = encodeText(text, { shiftTables: true, smart: true });
    expect(message.encoding).toBe('gsm7');
    const [pdu] = buildDeliverPdus(message, { from: '+905321234567', scts: new Date('2026-05-01T12:00:00Z') });
    const decoded = decodeTpdu(pdu!.hex, MT);
    if (decoded.type !== 'deliver') throw new Error('not a deliver');
    expect(decoded.userData.shiftTables).toEqual(message.shiftTables);
    expect(decoded.userData.text).toBe(message.text);
  });

  test('8-bit data keeps its octets and has no text', () => {
    // Built by hand after python-gsmmodem's 8-bit SMS-SUBMIT fixture, as the DELIVER a modem would receive.
    const decoded = decodeTpdu('0591721891F1040B917228214365F70004313080512061800C48656C6C6F20776F726C6421', MT);
    expect(decoded).toMatchObject({ type: 'deliver', dcs: { encoding: 'binary' }, userData: { text: '', encoding: 'binary' } });
    if (decoded.type === 'deliver') expect(new TextDecoder().decode(decoded.userData.payload)).toBe('Hello world!');
  });
});

describe('SMS-STATUS-REPORT (TS 23.040 9.2.2.3)', () => {
  test('a delivered report from a modem: triple', () => {
    // Source: python-gsmmodem test/test_pdu.py test_decode (SMS-STATUS-REPORT, reference 214).
    const hex = '0006D60B911326880736F4111011719551401110117195714000';
    const decoded = decodeTpdu(hex, MT);
    expect(decoded).toEqual({
      type: 'status-report',
      smsc: undefined,
      tpduLength: 25,
      firstOctet: 0x06,
      moreMessagesToSend: false,
      loopPrevention: false,
      statusReportQualifier: false,
      messageReference: 214,
      recipient: { type: 'international', ton: 1, npi: 1, value: '+31628870634' },
      scts: { date: new Date('2011-01-11T16:59:15Z'), tzQuarterHours: 4 },
      discharge: { date: new Date('2011-01-11T16:59:17Z'), tzQuarterHours: 4 },
      status: { value: 0, category: 'completed', state: 'delivered', final: true, description: 'short message received by the SME' },
    });
    const built = buildStatusReportPdu({
      messageReference: 214,
      recipient: '+31628870634',
      scts: new Date('2011-01-11T16:59:15Z'),
      discharge: new Date('2011-01-11T16:59:17Z'),
      tzQuarterHours: 4,
      status: 0,
    });
    expect(built.hex).toBe(hex);
    expect(decodeTpdu(built.bytes, MT)).toEqual(decoded);
  });

  test('a report without SMSC information, RA of unknown plan (TOA 0x80)', () => {
    // Source: fkgi/sms statusreport_test.go.
    const decoded = decodeTpdu('060004802143113022415204631130224152046300', { withSmsc: false });
    expect(decoded).toMatchObject({
      type: 'status-report',
      messageReference: 0,
      recipient: { type: 'unknown', ton: 0, npi: 0, value: '1234' },
      scts: { date: new Date('2011-03-22T05:25:40Z'), tzQuarterHours: 36 },
      status: { state: 'delivered' },
    });
  });

  test.each([
    [0x00, 'delivered', true, 'completed'],
    [0x01, 'unknown', true, 'completed'],
    [0x02, 'deleted', true, 'completed'],
    [0x1f, 'delivered', true, 'completed'],
    [0x20, 'enroute', false, 'temporary-trying'],
    [0x30, 'enroute', false, 'temporary-trying'],
    [0x41, 'undeliverable', true, 'permanent'],
    [0x46, 'expired', true, 'permanent'],
    [0x47, 'deleted', true, 'permanent'],
    [0x48, 'deleted', true, 'permanent'],
    [0x62, 'undeliverable', true, 'temporary-stopped'],
    [0x80, 'undeliverable', true, 'temporary-stopped'],
    [0xff, 'undeliverable', true, 'temporary-stopped'],
  ])('TP-ST 0x%s is %s (final %s, %s), built and decoded', (value, state, final, category) => {
    const built = buildStatusReportPdu({
      messageReference: 7,
      recipient: '+447700900123',
      scts: new Date('2026-03-01T10:00:00Z'),
      discharge: new Date('2026-03-01T10:00:30Z'),
      status: value,
      smsc: '+447785016005',
    });
    const decoded = decodeTpdu(built.hex, MT);
    expect(decoded).toMatchObject({ type: 'status-report', messageReference: 7, status: { value, state, final, category } });
  });

  test('a semi-invalid report captured from a ZTE modem still gives its reference, times and status', () => {
    // Source: python-gsmmodem test/test_pdu.py ("Semi-invalid status report PDU captured from a ZTE modem").
    // Semi-octet 0xB is '#' (TS 23.040 9.1.2.3), so the broken recipient reads as it was sent.
    const decoded = decodeTpdu('0297F1061C0F910B487228297020F5317062419272803170624192138000', MT);
    expect(decoded).toMatchObject({
      type: 'status-report',
      messageReference: 28,
      recipient: { value: '+#08427829207025' },
      scts: { date: new Date('2013-07-26T12:29:27Z'), tzQuarterHours: 8 },
      discharge: { date: new Date('2013-07-26T12:29:31Z'), tzQuarterHours: 8 },
      status: { state: 'delivered' },
    });
  });

  test('octets after TP-ST that do not parse are kept raw, and the status still comes through', () => {
    const base = buildStatusReportPdu({ messageReference: 9, recipient: '+15551234567', scts: new Date('2026-01-01T00:00:00Z'), discharge: new Date('2026-01-01T00:00:00Z'), status: 0x46 });
    const decoded = decodeTpdu(`${base.hex}FF`, MT);
    expect(decoded).toMatchObject({ type: 'status-report', messageReference: 9, status: { state: 'expired' }, trailer: Uint8Array.of(0xff) });
  });

  test('optional TP-PI with PID, DCS and user data', () => {
    const base = buildStatusReportPdu({ messageReference: 1, recipient: '+15551234567', scts: new Date('2026-01-01T00:00:00Z'), discharge: new Date('2026-01-01T00:00:00Z'), status: 0 });
    // TP-PI 07: PID 00, DCS 00, UDL 02 "hi" packed.
    const decoded = decodeTpdu(`${base.hex}07000002E834`, MT);
    expect(decoded).toMatchObject({ type: 'status-report', pid: 0, dcs: { encoding: 'gsm7' }, userData: { text: 'hi' } });
  });
});

describe('direction', () => {
  test('TP-MTI 01 is a SUBMIT only when decoding what the MS sends', () => {
    const [pdu] = buildSubmitPdus(encodeText('hi'), { to: '+1555' });
    expect(() => decodeTpdu(pdu!.hex, MT)).toThrow(expect.objectContaining({ code: 'CODEC_UNSUPPORTED_PDU_TYPE', details: { field: 'TP-MTI', mti: 1, direction: 'mt' } }));
    expect(decodeTpdu(pdu!.hex, { withSmsc: true, direction: 'mo' }).type).toBe('submit');
  });
});

describe('rejections', () => {
  test.each([
    ['no octets', '', MT, 'CODEC_TRUNCATED_PDU', 'SMSC length'],
    ['not hex', '00ZZ', MT, 'CODEC_INVALID_HEX', undefined],
    ['odd hex', '000', MT, 'CODEC_INVALID_HEX', undefined],
    ['only the SMSC octet', '00', MT, 'CODEC_TRUNCATED_PDU', 'first octet'],
    ['SMSC longer than the data', '0791728301', MT, 'CODEC_TRUNCATED_PDU', 'SMSC address'],
    ['reserved TP-MTI 11', '0003', MT, 'CODEC_UNSUPPORTED_PDU_TYPE', 'TP-MTI'],
    ['SMS-COMMAND', '0002', { withSmsc: true, direction: 'mo' }, 'CODEC_UNSUPPORTED_PDU_TYPE', 'TP-MTI'],
    ['DELIVER cut in the originator', '00040B9172', MT, 'CODEC_TRUNCATED_PDU', 'TP-OA'],
    ['DELIVER cut before the DCS', '00040B917228214365F700', MT, 'CODEC_TRUNCATED_PDU', 'TP-DCS'],
    ['DELIVER cut in the time stamp', '00040B917228214365F70000313080', MT, 'CODEC_TRUNCATED_PDU', 'TP-SCTS'],
    ['DELIVER without TP-UDL', '00040B917228214365F7000031308051206180', MT, 'CODEC_TRUNCATED_PDU', 'TP-UDL'],
    ['DELIVER with a reserved DCS', '00040B917228214365F700803130805120618005D4F29C2E03', MT, 'CODEC_UNKNOWN_DCS', 'TP-DCS'],
    ['DELIVER with UDL beyond the data', '00040B917228214365F700003130805120618009D4F29C2E03', MT, 'CODEC_UDL_BEYOND_DATA', 'TP-UDL'],
    ['DELIVER with a bad time stamp', '00040B917228214365F70000F130805120618005D4F29C2E03', MT, 'CODEC_INVALID_TIMESTAMP', 'TP-SCTS'],
    ['UDHL beyond the user data', '00440B917228214365F700083130805120618004070003010201', MT, 'CODEC_INVALID_UDH', undefined],
    ['UCS-2 with an odd octet count', '00040B917228214365F7000831308051206180030041FF', MT, 'CODEC_ODD_UCS2_LENGTH', undefined],
    ['DELIVER ending on a lone escape', '00040B917228214365F7000031308051206180011B', MT, 'CODEC_LONE_ESCAPE', undefined],
    ['STATUS-REPORT cut before TP-ST', '0006D60B911326880736F41110117195514011101171957140', MT, 'CODEC_TRUNCATED_PDU', 'TP-ST'],
    ['STATUS-REPORT cut in TP-DT', '0006D60B911326880736F411101171955140111011', MT, 'CODEC_TRUNCATED_PDU', 'TP-DT'],
    // Source: python-gsmmodem test/test_pdu.py ("User data length is invalid in this PDU (too long)").
    ['SUBMIT with UDL 160 over 10 octets', '0041010C910661345542F60008A0050003000301306F3044', { withSmsc: true, direction: 'mo' }, 'CODEC_UDL_BEYOND_DATA', 'TP-UDL'],
    ['SUBMIT cut in TP-VP (absolute)', '0019000B917228001011F1000031700131', { withSmsc: true, direction: 'mo' }, 'CODEC_TRUNCATED_PDU', 'TP-VP'],
  ] as const)('%s', (_name, hex, options: DecodeTpduOptions, code, field) => {
    let caught: unknown;
    try {
      decodeTpdu(hex, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodecError);
    expect(caught).toMatchObject({ code });
    if (field !== undefined) expect(caught).toMatchObject({ details: { field } });
  });

  test.each([
    // Source: python-gsmmodem test/test_pdu.py test_decode.
    ['07914346466554F601000B914316565811F9000806304253F68449', '+34616585119', 'ucs2', 'あ叶葉'],
    ['0591721891F101000B917228214365F700040C48656C6C6F20776F726C6421', '+27821234567', 'binary', ''],
    ['07911326040000F0310D0B911326880736F40000A90FF7FBDD454E87CDE1B0DB357EB701', '+31628870634', 'gsm7', 'www.diafaan.com'],
  ])('published SUBMIT %s', (hex, to, encoding, text) => {
    expect(decodeTpdu(hex, { withSmsc: true, direction: 'mo' })).toMatchObject({ type: 'submit', destination: { value: to }, userData: { encoding, text } });
  });

  test('absolute validity in a SUBMIT decodes to its time', () => {
    // Source: python-gsmmodem test/test_pdu.py ("absolute validity period").
    const decoded = decodeTpdu('0019000B917228001011F100003170013193008017D474BB3CA787DB70903DCC4E93D3F43C885E9ED301', { withSmsc: true, direction: 'mo' });
    expect(decoded).toMatchObject({
      type: 'submit',
      validity: { format: 'absolute', time: { date: new Date('2013-07-10T11:39:00Z'), tzQuarterHours: 8 } },
      userData: { text: 'Timestamp validity test' },
    });
  });
});

describe('fuzz: any octets give a result or a CodecError', () => {
  const settle = (input: Uint8Array, options: DecodeTpduOptions): void => {
    try {
      decodeTpdu(input, options);
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
    }
  };
  const optionsArb = fc.record({ withSmsc: fc.boolean(), direction: fc.constantFrom('mt' as const, 'mo' as const) });

  test('random octets', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), optionsArb, (bytes, options) => settle(bytes, options)), { numRuns: 3000 });
  });

  const valid = [
    '06917228195339040B917228214365F700003130805120618005D4F29C2E03',
    '0591721891F1400781721881F800003160526104848059050003C30101916536FB1DCABEEB2074D85E064941B19CAB060319A5C522289C96D3D3ED32286C0FA7D96131BBEC024941B19CAB0603DDD36C36A88C87A7E565D0DB0D82C55EB0DB4B068BCD5C20',
    '0006D60B911326880736F4111011719551401110117195714000',
    '0045000B915121551532F40000A0050003000301986F79B90D4AC3E7F53688FC66BFE5A0799A0E0AB7CB741668FC76CFCB637A995E9783C2E4343C3D4F8FD3EE33A8CC4ED359A079990C22BF41E5747DDE7E9341F4721BFE9683D2EE719A9C26D7DD74509D0E6287C56F791954A683C86FF65B5E06B5C36777181466A7E3F5B0AB4A0795DDE936284C06B5D3EE741B642FBBD3E1360B14AFA7DD',
  ].map((hex) => fromHex(hex));

  test('valid PDUs with octets changed and cut', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        optionsArb,
        (pdu, changes, cut, options) => {
          const bytes = pdu.slice(0, pdu.length - (cut % 4 === 0 ? cut % pdu.length : 0));
          for (const [at, value] of changes) if (bytes.length > 0) bytes[at % bytes.length] = value;
          settle(bytes, options);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
