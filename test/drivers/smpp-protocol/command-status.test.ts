import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { COMMAND_STATUSES, STATUS, commandStatus, commandStatusByName, knownStatusName, statusValue } from '../../../drivers/smpp-protocol/index.ts';

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

  test('STATUS names every row, and a status is given by name or number', () => {
    expect(Object.keys(STATUS)).toHaveLength(COMMAND_STATUSES.length);
    expect(statusValue('ESME_RINVDSTADR')).toBe(0x0b);
    expect(statusValue(0x0401)).toBe(0x0401);
    expect(knownStatusName(0x58)).toBe('ESME_RTHROTTLED');
    expect(knownStatusName(0x0401)).toBeUndefined();
    expect(commandStatus(0x0401).name).toBe('0x00000401');
  });
});
