import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SECTIONS, createDriver, hashApiKey, loadRoutingFile, parseGatewayConfig, readConfigFile } from '../../../gateway/index.ts';
import { ROUTING_SCHEMA } from '../../../router/index.ts';

const EXAMPLE = fileURLToPath(new URL('../../../config/gateway.example.yaml', import.meta.url));

describe('gateway configuration', () => {
  test('the shipped example is valid in every section, and its drivers accept their fields', async () => {
    const document = parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    const config = parseGatewayConfig(document, EXAMPLE);
    expect(config.accounts[0]?.apiKeyHashes).toEqual([hashApiKey('change-me')]);
    expect(config.dispatch).toEqual({
      maxAttempts: 12,
      baseDelayMs: 2000,
      maxDelayMs: 300000,
      reclaimIdleMs: 60000,
      leaseMs: 30000,
      receiptTimeoutSeconds: 259200,
      defaultValiditySeconds: 172800,
      maxBacklogPerConnector: 1000000,
    });
    const table = loadRoutingFile(EXAMPLE, { connectorIds: new Set(config.connectors.map((c) => c.id)) });
    expect(table.fileName).toBe(EXAMPLE);
    const drivers = config.connectors.map(createDriver);
    expect(drivers.map((d) => [d.id, d.kind])).toEqual([
      ['smpp-aggregator', 'smpp'],
      ['modem-pool', 'modem'],
    ]);
    await Promise.all(drivers.map((d) => d.close()));
  });

  test.each([
    [{ accounts: [], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts'],
    [{ accounts: [{ id: 'x', apiKeyHashes: ['nothex'] }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.apiKeyHashes.0'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], colour: 'red' }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.colour'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'fax' }] }, 'connectors.0.type'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }, { id: 'a', type: 'modem' }] }, 'connectors[1].id'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }] }, 'connectors'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }], kafka: { brokers: ['kafka'] } }, 'kafka.brokers.0'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }], kafka: { topics: { events: 'sms events' } } }, 'kafka.topics.events'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }], kafka: { compression: 'zstd' } }, 'kafka.compression'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }], kafka: { outboxSize: 5 } }, 'kafka.outboxSize'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], suppression: { scope: 'global' } }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.suppression.scope'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], suppression: { exemptTags: 'otp' } }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.suppression.exemptTags'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], suppression: { exempt: ['otp'] } }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.suppression.exempt'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], verify: { codeLength: 3 } }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.verify.codeLength'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], verify: { ttlSeconds: 7200 } }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.verify.ttlSeconds'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], verify: { templates: { ja: 'コードなし' } } }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.verify.templates.ja'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], verify: { countries: ['jp'] } }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.verify.countries.0'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], verify: { fraud: { minConversion: 2 } } }], connectors: [{ id: 'a', type: 'smpp' }] }, 'accounts.0.verify.fraud.minConversion'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }], memory: { maxPendingMessages: 0 } }, 'memory.maxPendingMessages'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }], memory: { maxFinal: 10 } }, 'memory.maxFinal'],
    [{ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }], kafka: { brokers: ['127.0.0.1:9092'], eventGroups: 'one' } }, 'kafka.eventGroups'],
  ])('%j is refused naming %s and the file', (document, field) => {
    expect(() => parseGatewayConfig(document, 'gw.yaml')).toThrowError(
      expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: expect.objectContaining({ file: 'gw.yaml', field }) as unknown }) as Error,
    );
  });

  test('the memory section bounds the memory mode: documented defaults, each settable alone', () => {
    const base = { accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }] };
    expect(parseGatewayConfig(base, 'gw.yaml').memory).toEqual({ maxFinalMessages: 10_000, maxPendingMessages: 200_000, maxUsageMarkers: 20_000, recentCorrelations: 10_000 });
    expect(parseGatewayConfig({ ...base, memory: { maxFinalMessages: 500 } }, 'gw.yaml').memory).toMatchObject({ maxFinalMessages: 500, maxPendingMessages: 200_000 });
  });

  test('suppression settings default to scope "account" and no exempt tag', () => {
    const config = parseGatewayConfig({ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }] }, 'gw.yaml');
    expect(config.accounts[0]?.suppression).toEqual({ scope: 'account', exemptTags: [] });
  });

  test('the kafka section of the README is a valid kafka section', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const block = /```yaml\n(kafka:[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const config = parseGatewayConfig({ accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }], ...(parse(block ?? '') as object) }, 'README.md');
    expect(config.kafka).toMatchObject({ brokers: ['127.0.0.1:9092'], groupPrefix: 'smsgw', eventGroups: 'shared', topics: { unmatched: 'sms.receipts.unmatched' } });
  });

  test('a connector whose driver fields are wrong is refused by its driver, naming the field', () => {
    expect(() => createDriver({ id: 'a', type: 'smpp', host: '127.0.0.1', port: 2775, systemId: 's', password: 'p', windowSize: 0 })).toThrowError(
      expect.objectContaining({ code: 'SMPP_INVALID_CONFIG', details: expect.objectContaining({ field: 'windowSize' }) as unknown }) as Error,
    );
  });
});

const KEY_A = hashApiKey('key-a');
const KEY_B = hashApiKey('key-b');
const CONNECTORS = [{ id: 'a', type: 'smpp' }];

describe('contradictions in a configuration are refused, naming the file and both fields', () => {
  test.each([
    [
      'two accounts with the same id',
      [{ id: 'shop', apiKeyHashes: [KEY_A] }, { id: 'shop', apiKeyHashes: [KEY_B] }],
      'accounts[1].id',
      'accounts[0].id',
    ],
    [
      'two accounts with the same API key hash (any letter case)',
      [{ id: 'shop', apiKeyHashes: [KEY_A] }, { id: 'bank', apiKeyHashes: [KEY_B, KEY_A.toUpperCase()] }],
      'accounts[1].apiKeyHashes[1]',
      'accounts[0].apiKeyHashes[0]',
    ],
    [
      'two accounts with the same inbound number (with and without +)',
      [{ id: 'shop', apiKeyHashes: [KEY_A], numbers: ['+81300000000'] }, { id: 'bank', apiKeyHashes: [KEY_B], numbers: ['12345', '81300000000'] }],
      'accounts[1].numbers[1]',
      'accounts[0].numbers[0]',
    ],
  ])('%s', (_label, accounts, field, other) => {
    let error: unknown;
    try {
      parseGatewayConfig({ accounts, connectors: CONNECTORS }, 'gw.yaml');
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'GW_INVALID_CONFIG', details: { file: 'gw.yaml', field, other } });
    expect((error as Error).message).toContain(`gw.yaml: ${field}`);
    expect((error as Error).message).toContain(other);
    // The refusal shows where the hash is, never the hash.
    expect((error as Error).message).not.toContain(KEY_A);
  });

  test('distinct accounts pass', () => {
    const accounts = [{ id: 'shop', apiKeyHashes: [KEY_A], numbers: ['+81300000000'] }, { id: 'bank', apiKeyHashes: [KEY_B], numbers: ['12345'] }];
    expect(parseGatewayConfig({ accounts, connectors: CONNECTORS }, 'gw.yaml').accounts).toHaveLength(2);
  });

  test('a default sender must be an originator the router takes; a valid one passes', () => {
    const withSender = (defaultSender: string): unknown => [{ id: 'shop', apiKeyHashes: [KEY_A], defaultCountry: 'JP', defaultSender }];
    expect(parseGatewayConfig({ accounts: withSender('03-1234-5678'), connectors: CONNECTORS }, 'gw.yaml').accounts[0]?.defaultSender).toBe('03-1234-5678');
    expect(() => parseGatewayConfig({ accounts: withSender('Shop Name Too Long'), connectors: CONNECTORS }, 'gw.yaml')).toThrowError(
      expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: { file: 'gw.yaml', field: 'accounts[0].defaultSender' } }),
    );
  });

  test('dispatch.baseDelayMs above dispatch.maxDelayMs (given, or the default 300000)', () => {
    const accounts = [{ id: 'shop', apiKeyHashes: [KEY_A] }];
    for (const dispatch of [{ baseDelayMs: 5000, maxDelayMs: 1000 }, { baseDelayMs: 400_000 }]) {
      expect(() => parseGatewayConfig({ accounts, connectors: CONNECTORS, dispatch }, 'gw.yaml')).toThrowError(
        expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: expect.objectContaining({ file: 'gw.yaml', field: 'dispatch.baseDelayMs', other: 'dispatch.maxDelayMs' }) as unknown }) as Error,
      );
    }
    expect(parseGatewayConfig({ accounts, connectors: CONNECTORS, dispatch: { baseDelayMs: 1000, maxDelayMs: 1000 } }, 'gw.yaml').dispatch.maxDelayMs).toBe(1000);
  });

  test('an unknown top-level section is refused; every part\'s sections are known', () => {
    const accounts = [{ id: 'shop', apiKeyHashes: [KEY_A] }];
    expect(() => parseGatewayConfig({ accounts, connectors: CONNECTORS, acounts: [], retry: {} }, 'gw.yaml')).toThrowError(
      expect.objectContaining({
        code: 'GW_INVALID_CONFIG',
        message: expect.stringMatching(/gw\.yaml: acounts \(and retry\) is not a known section/) as unknown,
        details: expect.objectContaining({ file: 'gw.yaml', field: 'acounts', unknown: ['acounts', 'retry'] }) as unknown,
      }) as Error,
    );
    const known = Object.values(CONFIG_SECTIONS).flat();
    expect(known).toEqual(expect.arrayContaining([...Object.keys(ROUTING_SCHEMA.properties), 'server', 'accounts', 'connectors', 'dispatch', 'kafka', 'webhooks']));
  });
});

const dir = mkdtempSync(join(tmpdir(), 'smsgw-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readConfigFile', () => {
  test('a YAML syntax error names the file, line and column', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'server:\n  port: 3000\naccounts:\n  - id: shop\n    apiKeyHashes: [abc\nconnectors: []\n');
    expect(() => readConfigFile(file)).toThrowError(
      expect.objectContaining({
        code: 'GW_INVALID_CONFIG',
        message: expect.stringContaining(`${file}:6:1: YAML syntax`) as unknown,
        details: expect.objectContaining({ file, line: 6, column: 1 }) as unknown,
      }) as Error,
    );
  });

  test('a missing file and a file that is not a mapping', () => {
    expect(() => readConfigFile(join(dir, 'missing.yaml'))).toThrowError(expect.objectContaining({ code: 'GW_INVALID_CONFIG', message: expect.stringContaining('missing.yaml: cannot read') as unknown }) as Error);
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    expect(() => readConfigFile(list)).toThrowError(expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: expect.objectContaining({ file: list }) as unknown }) as Error);
  });

  test('the shipped example reads as a mapping', () => {
    expect(Object.keys(readConfigFile(EXAMPLE))).toContain('accounts');
  });
});

describe('security settings', () => {
  const base = { accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }] };
  const account = (extra: Record<string, unknown>) => ({ ...base, accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], ...extra }] });
  const SECRET = 'a-very-long-webhook-secret';

  test('defaults: server timeouts, no metrics token, no trusted proxy, no webhook allow-list', () => {
    const config = parseGatewayConfig(base, 'gw.yaml');
    expect(config.server).toEqual({ host: '127.0.0.1', port: 3000, headersTimeoutMs: 10000, requestTimeoutMs: 60000, keepAliveTimeoutMs: 5000, trustProxy: [] });
    expect(config.webhooks).toEqual({ allow: [] });
  });

  test('a trusted proxy that is no address or range is refused naming it', () => {
    expect(() => parseGatewayConfig({ ...base, server: { trustProxy: ['10.0.0.0/8', 'lb.internal'] } }, 'gw.yaml')).toThrow(
      expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: expect.objectContaining({ field: 'server.trustProxy[1]' }) as unknown }),
    );
    expect(parseGatewayConfig({ ...base, server: { trustProxy: ['10.0.0.0/8', '::1'] } }, 'gw.yaml').server.trustProxy).toEqual(['10.0.0.0/8', '::1']);
  });

  test('allow-lists, timeouts and a metrics token are taken', () => {
    const config = parseGatewayConfig(
      {
        ...account({ allowedIps: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'], callbackUrl: 'http://10.1.2.3/hook', callbackSecret: SECRET }),
        server: { headersTimeoutMs: 5000, requestTimeoutMs: 20000, keepAliveTimeoutMs: 2000, metricsToken: 'm'.repeat(32) },
        webhooks: { allow: ['10.0.0.0/8', 'hooks.internal'] },
      },
      'gw.yaml',
    );
    expect(config.accounts[0]?.allowedIps).toHaveLength(3);
    expect(config.server.metricsToken).toBe('m'.repeat(32));
  });

  test.each([
    [account({ allowedIps: ['10.0.0.0/33'] }), 'accounts[0].allowedIps[0]'],
    [account({ allowedIps: ['office.example'] }), 'accounts[0].allowedIps[0]'],
    [{ ...base, webhooks: { allow: ['10.0.0.0/8', 'not a host'] } }, 'webhooks.allow[1]'],
    [account({ callbackUrl: 'https://hooks.example.com/x' }), 'accounts[0].callbackUrl'],
    [account({ inboundUrl: 'https://hooks.example.com/x' }), 'accounts[0].inboundUrl'],
    [account({ callbackUrl: 'http://169.254.169.254/x', callbackSecret: SECRET }), 'accounts[0].callbackUrl'],
    [account({ callbackUrl: 'http://127.0.0.1:3000/x', callbackSecret: SECRET }), 'accounts[0].callbackUrl'],
    [{ ...base, server: { headersTimeoutMs: 20000, requestTimeoutMs: 10000 } }, 'server.headersTimeoutMs'],
    [{ ...base, server: { metricsToken: 'short' } }, 'server.metricsToken'],
  ])('%j is refused naming %s', (document, field) => {
    expect(() => parseGatewayConfig(document, 'gw.yaml')).toThrowError(
      expect.objectContaining({ code: 'GW_INVALID_CONFIG', message: expect.stringContaining('gw.yaml: ') as unknown, details: expect.objectContaining({ file: 'gw.yaml', field }) as unknown }) as Error,
    );
  });
});
