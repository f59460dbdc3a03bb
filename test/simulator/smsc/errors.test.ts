import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { SIM_ERRORS } from '../../../simulator/index.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## SMSC simulator'), readme.indexOf('\n## ', readme.indexOf('## SMSC simulator') + 3));

describe('SIM_ error table', () => {
  test.each(Object.keys(SIM_ERRORS))('%s is documented in the README section', (code) => {
    expect(section).toContain(`\`${code}\``);
  });
});
