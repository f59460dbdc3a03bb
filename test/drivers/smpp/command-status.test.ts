import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { COMMAND_STATUSES, commandStatus, commandStatusByName } from '../../../drivers/smpp/command-status.ts';
import { SMPP_ERRORS, submitStatusError } from '../../../drivers/smpp/errors.ts';

// The smpp package's own table is an independent source for the numbers.
const library = createRequire(import.meta.url)('smpp') as { errors: Record<string, number> };

describe('command_status table', () => {
  test.each(Object.entries(library.errors))('%s is %i as in the smpp package', (name, status) => {
    expect(commandStatusByName(name)?.status).toBe(status);
    expect(commandStatus(status).name).toBe(name);
  });

  test('numbers and names are unique', () => {
    expect(new Set(COMMAND_STATUSES.map((r) => r.status)).size).toBe(COMMAND_STATUSES.length);
    expect(new Set(COMMAND_STATUSES.map((r) => r.name)).size).toBe(COMMAND_STATUSES.length);
  });

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
