import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { MODEMSIM_ERRORS } from '../../../simulator/modem/errors.ts';
import { CME_ERRORS, CMS_ERRORS, renderFailure } from '../../../simulator/modem/at-error-codes.ts';

describe('virtual modem errors', () => {
  test('every MODEMSIM_ code is documented in the README', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Virtual modem'));
    const missing = Object.keys(MODEMSIM_ERRORS).filter((code) => !section.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  test.each([
    [{ kind: 'cms', code: 38 } as const, 0, 'ERROR'],
    [{ kind: 'cms', code: 38 } as const, 1, '+CMS ERROR: 38'],
    [{ kind: 'cms', code: 38 } as const, 2, '+CMS ERROR: network out of order'],
    [{ kind: 'cme', code: 16 } as const, 2, '+CME ERROR: incorrect password'],
    [{ kind: 'cme', code: 999 } as const, 2, '+CME ERROR: unknown error 999'],
    [{ kind: 'plain' } as const, 2, 'ERROR'],
  ])('%j with AT+CMEE=%i is %s', (failure, cmee, line) => {
    expect(renderFailure(failure, cmee)).toBe(line);
  });

  test('the tables carry the codes the scenarios use', () => {
    for (const code of [38, 42, 500, 304, 310, 311, 316, 321, 331]) expect(CMS_ERRORS[code]).toBeTypeOf('string');
    for (const code of [3, 4, 10, 11, 12, 13, 16, 50]) expect(CME_ERRORS[code]).toBeTypeOf('string');
  });
});
