import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { SMPP_ERRORS, submitStatusError } from '../../../drivers/smpp/errors.ts';

describe('judging a submit command_status', () => {
  test.each([
    [0x58, 'ESME_RTHROTTLED', true, 'SMPP_SUBMIT_TEMPORARY'],
    [0x14, 'ESME_RMSGQFUL', true, 'SMPP_SUBMIT_TEMPORARY'],
    [0x08, 'ESME_RSYSERR', true, 'SMPP_SUBMIT_TEMPORARY'],
    [0x0b, 'ESME_RINVDSTADR', false, 'SMPP_SUBMIT_REJECTED'],
    [0x0a, 'ESME_RINVSRCADR', false, 'SMPP_SUBMIT_REJECTED'],
    [0x01, 'ESME_RINVMSGLEN', false, 'SMPP_SUBMIT_REJECTED'],
    [0x0401, '0x00000401', false, 'SMPP_SUBMIT_REJECTED'],
  ])('%i is %s, retriable %s', (status, name, retriable, code) => {
    const error = submitStatusError(status, { part: 2 });
    expect(error).toMatchObject({ code, retriable, details: { commandStatus: status, statusName: name, part: 2 } });
    expect(SMPP_ERRORS[error.code].retriable).toBe(retriable);
  });
});

describe('SMPP_ error table', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## SMPP connectors'), readme.indexOf('\n## ', readme.indexOf('## SMPP connectors') + 1));

  test.each(Object.entries(SMPP_ERRORS))('%s is documented in the README with its retriable flag', (code, spec) => {
    const row = section.split('\n').find((line) => line.startsWith(`| \`${code}\``));
    expect(row).toBeDefined();
    expect(row?.split('|')[2]?.trim()).toBe(spec.retriable ? 'yes' : 'no');
  });
});
