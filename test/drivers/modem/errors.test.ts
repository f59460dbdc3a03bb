import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { MODEM_ERRORS, modemError } from '../../../drivers/modem/index.ts';
import { isLinkLost, type ModemErrorCode } from '../../../drivers/modem/errors.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## GSM modems'));

describe('modem errors', () => {
  test.each(Object.entries(MODEM_ERRORS))('%s is documented with its retriable flag', (code, spec) => {
    const row = section.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${code}\``));
    expect(row, `${code} in README`).toBeDefined();
    const cells = row?.split('|').map((c) => c.trim()) ?? [];
    const codes = cells[1]?.split('/').map((c) => c.trim()) ?? [];
    const flags = cells[2]?.split('/').map((c) => c.trim()) ?? [];
    const flag = flags[codes.indexOf(`\`${code}\``)] ?? flags[0];
    expect(flag).toBe(spec.retriable ? 'yes' : 'no');
  });

  test('errors carry code, retriable and details', () => {
    const error = modemError('MODEM_SIM_PIN_WRONG', 'refused', { field: 'pin' });
    expect(error.toJSON()).toEqual({ code: 'MODEM_SIM_PIN_WRONG', message: `${MODEM_ERRORS.MODEM_SIM_PIN_WRONG.message}: refused`, retriable: false, details: { field: 'pin' } });
  });

  test('the link-lost column marks the errors after which the modem goes down', () => {
    const codes = Object.keys(MODEM_ERRORS) as ModemErrorCode[];
    expect(codes.filter(isLinkLost).sort()).toEqual(['MODEM_NO_PROMPT', 'MODEM_PORT_CLOSED', 'MODEM_TIMEOUT', 'MODEM_UNEXPECTED_REPLY']);
  });
});
