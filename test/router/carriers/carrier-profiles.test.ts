import { describe, expect, test } from 'vitest';
import { buildRoutingTable, decideRoute, normalizeNumber, type ConfigIssue, type RoutingTable } from '../../../router/index.ts';

const document = (profiles?: Record<string, unknown>): Record<string, unknown> => ({
  carriers: { ranges: { '8190': 'docomo', '8180': 'au', '8170': 'mvno-x' }, ...(profiles === undefined ? {} : { profiles }) },
  routes: { main: { strategy: 'failover', connectors: [{ id: 'smpp-a' }] } },
  rules: [{ name: 'default', route: 'main' }],
});

function profileFor(table: RoutingTable, national: string): unknown {
  const number = normalizeNumber(national, { defaultCountry: 'JP' });
  const carrier = table.carriers.ranges.lookup(number.e164.slice(1));
  if (carrier === undefined) throw new Error(`no range for ${national}`);
  return decideRoute(table, { account: 'a', number, carrier: { carrier: carrier.carrier, source: 'ranges' }, sender: undefined, tag: undefined, atMs: 0 }).profile;
}

describe('carrier profiles', () => {
  test('docomo takes 10 parts on a 16-bit reference (660 = 10 x 66), au 10 on an 8-bit one; an unknown carrier gets the default', () => {
    const table = buildRoutingTable(document(), { fileName: 'gateway.yaml', connectorIds: new Set(['smpp-a']) });
    expect(profileFor(table, '090-1234-5678')).toEqual({ maxParts: 10, refSize: 16 });
    expect(profileFor(table, '080-1234-5678')).toEqual({ maxParts: 10, refSize: 8 });
    expect(profileFor(table, '070-1234-5678')).toEqual({ maxParts: 10, refSize: 8 });
  });

  test('a configured profile replaces the built-in one and adds carriers', () => {
    const table = buildRoutingTable(document({ docomo: { maxParts: 5, refSize: 16 }, 'mvno-x': { maxParts: 3, refSize: 16 } }), {
      fileName: 'gateway.yaml',
      connectorIds: new Set(['smpp-a']),
    });
    expect(profileFor(table, '090-1234-5678')).toEqual({ maxParts: 5, refSize: 16 });
    expect(profileFor(table, '070-1234-5678')).toEqual({ maxParts: 3, refSize: 16 });
  });

  test.each<[string, Record<string, unknown>, Partial<ConfigIssue>]>([
    ['a carrier no range names', { docmo: { maxParts: 10, refSize: 16 } }, { path: 'carriers.profiles.docmo', field: 'profiles' }],
    ['a reference size other than 8 or 16', { docomo: { maxParts: 10, refSize: 12 } }, { path: 'carriers.profiles.docomo.refSize' }],
    ['more parts than the concatenation element can count', { docomo: { maxParts: 256, refSize: 16 } }, { path: 'carriers.profiles.docomo.maxParts' }],
  ])('refuses %s, naming the field', (_what, profiles, issue) => {
    let issues: ConfigIssue[] = [];
    try {
      buildRoutingTable(document(profiles), { fileName: 'gateway.yaml', connectorIds: new Set(['smpp-a']) });
    } catch (error: unknown) {
      expect(error).toMatchObject({ code: 'ROUTE_CONFIG_INVALID' });
      issues = (error as { details: { issues: ConfigIssue[] } }).details.issues;
    }
    expect(issues).toEqual(expect.arrayContaining([expect.objectContaining(issue)]));
  });
});
