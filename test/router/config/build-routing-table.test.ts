import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULT_ROUTING_YAML, buildRoutingTable, loadRoutingTable, type ConfigIssue } from '../../../router/index.ts';

const valid = (): Record<string, unknown> => ({
  routes: {
    main: { strategy: 'failover', connectors: [{ id: 'smpp-a' }, { id: 'modem' }] },
    cheap: { strategy: 'least-cost', connectors: [{ id: 'smpp-a', price: 3 }, { id: 'modem', price: { default: 4, au: 2 } }] },
  },
  rules: [
    { name: 'night', match: { tag: 'marketing', time: { from: '22:00', to: '06:00', timezone: 'Asia/Tokyo' } }, route: 'cheap' },
    { name: 'default', route: 'main' },
  ],
});

function issuesOf(document: unknown, connectorIds?: ReadonlySet<string>): ConfigIssue[] {
  try {
    buildRoutingTable(document, { fileName: 'gateway.yaml', connectorIds });
  } catch (error: unknown) {
    expect(error).toMatchObject({ code: 'ROUTE_CONFIG_INVALID', retriable: false, details: { file: 'gateway.yaml' } });
    return (error as { details: { issues: ConfigIssue[] } }).details.issues;
  }
  throw new Error('expected the configuration to be refused');
}

type Mutation = (doc: Record<string, unknown>) => void;
const rules = (doc: Record<string, unknown>): Record<string, unknown>[] => doc.rules as Record<string, unknown>[];
const rule0 = (doc: Record<string, unknown>): Record<string, unknown> => rules(doc)[0] as Record<string, unknown>;
const routes = (doc: Record<string, unknown>): Record<string, Record<string, unknown>> => doc.routes as Record<string, Record<string, unknown>>;

describe('configuration errors name the file, the rule and the field', () => {
  test.each<[string, Mutation, Partial<ConfigIssue>]>([
    ['unknown route', (d) => void (rule0(d).route = 'nope'), { path: 'rules[0].route', rule: { index: 0, name: 'night' }, field: 'route' }],
    ['bad time format', (d) => void ((rule0(d).match as { time: { from: string } }).time.from = '25:00'), { path: 'rules[0].match.time.from', rule: { index: 0, name: 'night' }, field: 'match.time.from' }],
    ['unknown time zone', (d) => void ((rule0(d).match as { time: { timezone: string } }).time.timezone = 'Mars/Olympus'), { path: 'rules[0].match.time.timezone', field: 'match.time.timezone' }],
    ['unknown match field', (d) => void ((rule0(d).match as Record<string, unknown>).colour = 'red'), { path: 'rules[0].match.colour', field: 'match.colour', message: 'is not a known field' }],
    ['missing route field', (d) => void delete rule0(d).route, { path: 'rules[0].route', rule: { index: 0, name: 'night' }, field: 'route' }],
    ['bad country code', (d) => void ((rule0(d).match as Record<string, unknown>).country = 'jp'), { path: 'rules[0].match.country', field: 'match.country' }],
    ['duplicate rule name', (d) => void (rule0(d).name = 'default'), { path: 'rules[1].name', rule: { index: 1, name: 'default' }, field: 'name' }],
    ['default rule not last', (d) => void rules(d).reverse(), { path: 'rules[0].match', rule: { index: 0, name: 'default' } }],
    ['last rule has conditions', (d) => void rules(d).pop(), { path: 'rules[0].match', rule: { index: 0, name: 'night' } }],
    ['unknown strategy', (d) => void ((routes(d).main as Record<string, unknown>).strategy = 'random'), { path: 'routes.main.strategy', field: 'routes.main.strategy' }],
    ['least cost without a price', (d) => void delete ((routes(d).cheap?.connectors as Record<string, unknown>[])[0] as Record<string, unknown>).price, { path: 'routes.cheap.connectors[0].price' }],
    ['negative price', (d) => void (((routes(d).cheap?.connectors as Record<string, unknown>[])[1] as Record<string, unknown>).price = { au: -1 }), { path: 'routes.cheap.connectors[1].price.au' }],
    ['connector listed twice', (d) => void ((routes(d).main?.connectors as Record<string, unknown>[]).push({ id: 'modem' })), { path: 'routes.main.connectors[2].id' }],
    ['sender rewrite not accepted by its own rule', (d) => void (d.senderRules = [{ name: 'sb', carrier: 'softbank', allow: ['shortcode'], rewrite: '+81312345678' }]), { path: 'senderRules[0].rewrite', rule: { index: 0, name: 'sb' } }],
    ['invalid sender rewrite', (d) => void (d.senderRules = [{ carrier: 'softbank', rewrite: 'WAY-TOO-LONG-NAME' }]), { path: 'senderRules[0].rewrite', rule: { index: 0 } }],
    ['missing rules section', (d) => void delete d.rules, { path: 'rules', field: 'rules' }],
    ['empty portability file name', (d) => void (d.mnp = { file: '' }), { path: 'mnp.file', field: 'mnp.file' }],
    ['bad portability file country', (d) => void (d.mnp = { file: 'ports.csv', country: 'jp' }), { path: 'mnp.country', field: 'mnp.country' }],
  ])('%s', (_label, mutate, expected) => {
    const document = valid();
    mutate(document);
    const issues = issuesOf(document);
    expect(issues).toContainEqual(expect.objectContaining({ file: 'gateway.yaml', ...expected }));
  });

  test('every issue is reported, not only the first', () => {
    const document = valid();
    rule0(document).route = 'nope';
    ((routes(document).main as Record<string, unknown>).connectors as Record<string, unknown>[]).push({ id: 'modem' });
    expect(issuesOf(document).length).toBeGreaterThanOrEqual(2);
  });

  test('the error message reads as file, rule and field', () => {
    const document = valid();
    rule0(document).route = 'nope';
    expect(() => buildRoutingTable(document, { fileName: 'gateway.yaml' })).toThrow('gateway.yaml: rule 0 "night": rules[0].route: route "nope" is not defined in routes');
  });
});

describe('other sections of the gateway file', () => {
  test('unknown top-level sections are ignored', () => {
    expect(() => buildRoutingTable({ ...valid(), accounts: [{ id: 'x' }], webhooks: { any: 'thing' } }, { fileName: 'g.yaml' })).not.toThrow();
  });

  test.each([
    ['a list with ids', [{ id: 'smpp-a' }, { id: 'modem' }], true],
    ['a map keyed by id', { 'smpp-a': {}, modem: {} }, true],
    ['a list missing one', [{ id: 'smpp-a' }], false],
  ])('connectors are referenced by id: %s', (_label, connectors, ok) => {
    const document = { ...valid(), connectors };
    if (ok) expect(() => buildRoutingTable(document, { fileName: 'g.yaml' })).not.toThrow();
    else expect(issuesOf(document)).toContainEqual(expect.objectContaining({ path: 'routes.main.connectors[1].id', message: 'connector "modem" is not defined in connectors' }));
  });

  test('connector ids given by the caller win over the file', () => {
    expect(issuesOf(valid(), new Set(['smpp-a']))).toContainEqual(expect.objectContaining({ path: 'routes.main.connectors[1].id' }));
  });
});

describe('YAML', () => {
  test('a syntax error names the file and line', () => {
    expect(() => loadRoutingTable('routes:\n  main: [\n', { fileName: 'broken.yaml' })).toThrow(expect.objectContaining({ code: 'ROUTE_CONFIG_INVALID', message: expect.stringMatching(/broken\.yaml.*line \d+/) as unknown }));
  });

  test('a duplicate key is refused', () => {
    expect(() => loadRoutingTable('routes: {}\nroutes: {}\nrules: []\n', { fileName: 'dup.yaml' })).toThrow(expect.objectContaining({ code: 'ROUTE_CONFIG_INVALID' }));
  });

  test('the version follows the content', () => {
    const a = loadRoutingTable(DEFAULT_ROUTING_YAML, { fileName: 'a' });
    const b = loadRoutingTable(`${DEFAULT_ROUTING_YAML}\n# changed\n`, { fileName: 'a' });
    expect(a.version).not.toBe(b.version);
    expect(loadRoutingTable(DEFAULT_ROUTING_YAML, { fileName: 'a' }).version).toBe(a.version);
  });

  test.each([
    ['the built-in default', DEFAULT_ROUTING_YAML],
    ['config/gateway.example.yaml', readFileSync(new URL('../../../config/gateway.example.yaml', import.meta.url), 'utf8')],
  ])('%s is valid', (_label, content) => {
    const table = loadRoutingTable(content, { fileName: 'example' });
    expect(table.rules.at(-1)?.isCatchAll).toBe(true);
    expect(table.routes.size).toBeGreaterThanOrEqual(3);
  });
});
