import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadRoutingFile, reloadRoutingFile } from '../../../../gateway/index.ts';
import { RouterHandle } from '../../../../router/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'smsgw-routing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const CONFIG = (connector: string, extra = ''): string => `
connectors:
  - { id: ${connector} }
accounts: [{ id: shop }]
carriers:
  defaults: { JP: docomo }
  rangeFiles: [extra-ranges.csv]
${extra}
routes:
  main: { strategy: failover, connectors: [{ id: ${connector} }] }
rules:
  - { name: default, route: main }
`;

const AT = new Date('2025-06-01T00:00:00Z');

describe('loadRoutingFile', () => {
  write('extra-ranges.csv', '# operator ranges\n81901234,mvno-x,MVNO X\n');

  test('without a path: the built-in default with the shipped ranges', () => {
    const table = loadRoutingFile(undefined);
    expect(table.fileName).toBe('<built-in default>');
    expect(table.carriers.ranges.lookup('+819011112222')?.carrier).toBe('docomo');
    expect(table.carriers.ranges.lookup('+4915112345678')?.source).toBe('carrier-data');
  });

  test('reads the file and its range files (relative to it); file ranges beat shipped ones', async () => {
    const table = loadRoutingFile(write('gateway.yaml', CONFIG('smpp-a')));
    const handle = new RouterHandle(table);
    const decision = await handle.decide({ to: '+819012345678', at: AT });
    expect(decision.carrier).toMatchObject({ carrier: 'mvno-x', name: 'MVNO X', source: 'ranges', prefix: '81901234' });
    expect((await handle.decide({ to: '+819012000000', at: AT })).carrier).toMatchObject({ carrier: 'au', source: 'ranges' });
  });

  test('builtinRanges: false leaves only the file ranges and defaults', () => {
    const table = loadRoutingFile(write('no-builtin.yaml', CONFIG('smpp-a', '  builtinRanges: false')));
    expect(table.carriers.ranges.lookup('+819011112222')).toBeUndefined();
    expect(table.carriers.ranges.lookup('+819012345678')?.carrier).toBe('mvno-x');
  });

  test.each([
    ['a missing file', () => join(dir, 'missing.yaml'), /missing\.yaml: cannot read/],
    ['a missing range file', () => write('bad-ranges.yaml', CONFIG('smpp-a').replace('extra-ranges.csv', 'nope.csv')), /carriers\.rangeFiles\[0\]: cannot read "nope\.csv"/],
    ['an unknown connector', () => write('bad-connector.yaml', CONFIG('smpp-a').replace('connectors:\n  - { id: smpp-a }', 'connectors:\n  - { id: other }')), /routes\.main\.connectors\[0\]\.id: connector "smpp-a" is not defined/],
  ])('%s is ROUTE_CONFIG_INVALID naming the file', (_label, path, message) => {
    const file = path();
    expect(() => loadRoutingFile(file)).toThrow(expect.objectContaining({ code: 'ROUTE_CONFIG_INVALID', message: expect.stringMatching(message) as unknown }));
  });
});

describe('reloadRoutingFile', () => {
  test('swaps on a good file; keeps the old table on a bad one', async () => {
    const path = write('live.yaml', CONFIG('smpp-a'));
    const handle = new RouterHandle(loadRoutingFile(path));
    writeFileSync(path, CONFIG('smpp-b'));
    expect(reloadRoutingFile(handle, path).ok).toBe(true);
    expect((await handle.decide({ to: '+819011112222', at: AT })).connectors[0]?.id).toBe('smpp-b');

    writeFileSync(path, 'routes: [this is not a map\n');
    const result = reloadRoutingFile(handle, path);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: 'ROUTE_CONFIG_INVALID', details: { file: path } });
    expect((await handle.decide({ to: '+819011112222', at: AT })).connectors[0]?.id).toBe('smpp-b');
  });
});
