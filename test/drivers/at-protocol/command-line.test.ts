import { describe, expect, test } from 'vitest';
import { parseCommandLine } from '../../../drivers/at-protocol/index.ts';

const summary = (body: string): unknown => {
  const parsed = parseCommandLine(body);
  return parsed.ok ? parsed.commands.map((c) => [c.name, c.form, ...c.args]) : 'syntax error';
};

describe('AT command line syntax (V.250 clause 5.2)', () => {
  test.each([
    ['', []],
    ['E0', [['E', 'exec', '0']]],
    ['E0V1&C1', [['E', 'exec', '0'], ['V', 'exec', '1'], ['&C', 'exec', '1']]],
    ['I', [['I', 'exec', '']]],
    ['S0=0', [['S', 'set', '0', '0']]],
    ['S7?', [['S', 'read', '7']]],
    ['+CSQ', [['+CSQ', 'exec']]],
    ['+cmgf=0', [['+CMGF', 'set', '0']]],
    ['+CMGF?', [['+CMGF', 'read']]],
    ['+CMGF=?', [['+CMGF', 'test']]],
    ['+CMGF=0;+CNMI=2,1,0,2,0', [['+CMGF', 'set', '0'], ['+CNMI', 'set', '2', '1', '0', '2', '0']]],
    ['+CPMS="SM","ME"', [['+CPMS', 'set', 'SM', 'ME']]],
    ['+CMGS="+8190;1"', [['+CMGS', 'set', '+8190;1']]],
    ['+CPMS=,"ME"', [['+CPMS', 'set', '', 'ME']]],
    ['^ICCID?', [['^ICCID', 'read']]],
    ['E0;+CMEE=1', [['E', 'exec', '0'], ['+CMEE', 'set', '1']]],
    ['+CGSN;', [['+CGSN', 'exec']]],
    ['D+819012345678;', [['D', 'exec', '+819012345678']]],
  ])('%j', (body, expected) => {
    expect(summary(body)).toEqual(expected);
  });

  test.each(['+', '+CMGF=0,"x', '+CMGS="unterminated', '&', '!', '+CSQ?x'])('%j is a syntax error', (body) => {
    expect(summary(body)).toBe('syntax error');
  });

  test('quoted parameters are marked', () => {
    const parsed = parseCommandLine('+CMGS="123",129');
    expect(parsed.ok && parsed.commands[0]?.quoted).toEqual([true, false]);
  });
});
