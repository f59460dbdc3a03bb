import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { scanPorts } from '../../../drivers/modem/index.ts';

describe('scanPorts', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smsgw-scan-'));
    for (const name of ['ttyUSB0', 'ttyUSB1', 'ttyUSB10', 'ttyACM0', 'other']) await writeFile(join(dir, name), '');
    await symlink(join(dir, 'ttyUSB1'), join(dir, 'modem-link'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('expands * and ? in the last segment, sorted, first spelling of a device wins', async () => {
    const found = await scanPorts([join(dir, 'modem-*'), join(dir, 'ttyUSB*'), join(dir, 'ttyACM?'), join(dir, 'missing'), join(dir, 'nope-*')]);
    expect(found.map((c) => [c.path.slice(dir.length + 1), c.device.slice(-7)])).toEqual([
      ['modem-link', 'ttyUSB1'],
      ['ttyUSB0', 'ttyUSB0'],
      ['ttyUSB10', 'ttyUSB10'.slice(-7)],
      ['ttyACM0', 'ttyACM0'],
    ]);
  });

  test('a literal path is a candidate only when it exists', async () => {
    expect((await scanPorts([join(dir, 'other'), join(dir, 'gone')])).map((c) => c.path)).toEqual([join(dir, 'other')]);
  });
});
