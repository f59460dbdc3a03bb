import { describe, expect, test } from 'vitest';
import { readIndependently } from '../drivers/codec/independent-reader.ts';
import { runCli } from './run-cli.ts';

describe('smsgw pdu encode', () => {
  test('prints the PDU exactly as AT+CMGS takes it, and nothing else', () => {
    // Source: the classic "hellohello" SMS-SUBMIT of the PDU-format tutorial (4 days validity).
    const result = runCli(['pdu', 'encode', '--to', '+46708251358', '--text', 'hellohello', '--validity', '5760']);
    expect(result).toMatchObject({ status: 0, stdout: '0011000B916407281553F80000AA0AE8329BFD4697D9EC37\n', stderr: '' });
  });

  // The "done when": every PDU the CLI prints decodes in an independent decoder (node-pdu) to the same
  // text, parts and references.
  test.each([
    ['GSM', 'Meet at 10:30 by the station, bring the tickets please. '.repeat(5), ['--ref', '77'], 77],
    ['GSM extension characters', 'Price: €5 {promo} [now] ~50% off | code ^A\\B '.repeat(6), ['--ref', '1'], 1],
    ['Japanese', 'こんにちは、世界。今日はいい天気ですね。'.repeat(7), ['--ref', '9'], 9],
    ['emoji', 'Party 🎉 at 8 🕗 see you 😀 '.repeat(8), ['--ref', '200'], 200],
    ['8-bit reference', 'x'.repeat(460), ['--ref', '255'], 255],
    ['16-bit reference', 'y'.repeat(460), ['--ref16', '--ref', '65535'], 65535],
  ])('%s: node-pdu reads the same text, parts and references', (_name, text, flags, ref) => {
    const result = runCli(['pdu', 'encode', '--to', '+447700900123', '--text', text, ...flags]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    const read = readIndependently(lines);
    expect(read.text).toBe(text);
    expect(read.to).toBe('447700900123');
    expect(read.concat).toEqual(lines.map((_, i) => [ref, lines.length, i + 1]));
    // Our own decoder agrees, and each PDU decodes alone.
    const decoded = runCli(['pdu', 'decode', ...lines]);
    expect(decoded.status).toBe(0);
    const views = decoded.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; text: string; udh: { concat: unknown } });
    expect(views.map((view) => view.text).join('')).toBe(text);
    expect(views.map((view) => view.udh.concat)).toEqual(lines.map((_, i) => ({ ref, refSize: flags.includes('--ref16') ? 16 : 8, total: lines.length, part: i + 1 })));
  });

  test('status report request, flash, SMSC and message reference reach the PDU', () => {
    const result = runCli(['pdu', 'encode', '--to', '0123456', '--text', 'hi', '--srr', '--flash', '--smsc', '+447785016005', '--mr', '5']);
    expect(result.status).toBe(0);
    const view = JSON.parse(runCli(['pdu', 'decode', result.stdout.trim()]).stdout) as Record<string, unknown>;
    expect(view).toMatchObject({
      type: 'submit',
      smsc: '+447785016005',
      statusReportRequest: true,
      messageReference: 5,
      dcs: { messageClass: 0 },
      destination: { value: '0123456', type: 'unknown' },
    });
  });
});

describe('smsgw pdu decode', () => {
  test('one JSON object per PDU: deliver, status report', () => {
    // Sources: dreamfabric PDU-format tutorial (DELIVER); python-gsmmodem test/test_pdu.py (STATUS-REPORT).
    const result = runCli([
      'pdu',
      'decode',
      '07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37',
      '0006D60B911326880736F4111011719551401110117195714000',
    ]);
    expect(result.status).toBe(0);
    const [deliver, report] = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(deliver).toMatchObject({
      type: 'deliver',
      smsc: '+27381000015',
      originator: { value: '27838890001' },
      scts: { iso: '1999-03-29T13:16:59.000Z', tzQuarterHours: 8 },
      text: 'hellohello',
      udh: null,
    });
    expect(report).toMatchObject({
      type: 'status-report',
      messageReference: 214,
      recipient: { value: '+31628870634' },
      discharge: { iso: '2011-01-11T16:59:17.000Z' },
      status: { value: 0, state: 'delivered', final: true },
    });
  });

  test('--no-smsc and --direction', () => {
    const result = runCli(['pdu', 'decode', '--no-smsc', '--direction', 'mt', '060004802143113022415204631130224152046300']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'status-report', recipient: { value: '1234' } });
  });
});

describe('bad input: non-zero exit, one line on stderr, nothing on stdout', () => {
  test.each([
    ['invalid hex', ['pdu', 'decode', '0011ZZ'], 'CODEC_INVALID_HEX'],
    ['one bad PDU among good ones', ['pdu', 'decode', '0006D60B911326880736F4111011719551401110117195714000', '0004'], 'CODEC_TRUNCATED_PDU'],
    ['an SMS-COMMAND', ['pdu', 'decode', '--direction', 'mo', '0002'], 'CODEC_UNSUPPORTED_PDU_TYPE'],
    ['a bad direction', ['pdu', 'decode', '--direction', 'up', '00'], 'CODEC_INVALID_OPTION'],
    ['a bad destination', ['pdu', 'encode', '--to', '+12ab', '--text', 'hi'], 'CODEC_INVALID_ADDRESS'],
    ['a bad encoding', ['pdu', 'encode', '--to', '+1555', '--text', 'hi', '--encoding', 'latin1'], 'CODEC_INVALID_OPTION'],
    ['GSM forced on Japanese', ['pdu', 'encode', '--to', '+1555', '--text', '日本', '--encoding', 'gsm7'], 'CODEC_NOT_GSM7'],
    ['too many parts', ['pdu', 'encode', '--to', '+1555', '--text', 'z'.repeat(400), '--max-parts', '2'], 'CODEC_TOO_MANY_PARTS'],
    ['a reference too large', ['pdu', 'encode', '--to', '+1555', '--text', 'hi', '--ref', '256'], 'CODEC_INVALID_OPTION'],
    ['a bad validity', ['pdu', 'encode', '--to', '+1555', '--text', 'hi', '--validity', 'soon'], 'CODEC_INVALID_OPTION'],
  ])('%s', (_name, args, code) => {
    const result = runCli(args);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(code);
  });

  test('a missing --to is a usage error', () => {
    const result = runCli(['pdu', 'encode', '--text', 'hi']);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
