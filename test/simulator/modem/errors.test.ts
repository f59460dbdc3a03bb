import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { MODEMSIM_ERRORS } from '../../../simulator/modem/errors.ts';

describe('virtual modem errors', () => {
  test('every MODEMSIM_ code is documented in the README', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Virtual modem'));
    const missing = Object.keys(MODEMSIM_ERRORS).filter((code) => !section.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
