import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { EMBEDDED_ROUTING } from '../../cli/serve/embedded-routing.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'smsgw-route-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Decision {
  to: { e164: string; country: string };
  carrier: { carrier: string; source: string };
  rule: { name: string };
  route: { id: string; strategy: string };
  connectors: { id: string; price: number; sender: string | null }[];
  sender: { used: string | null; rewritten: boolean };
  at: string;
  config: string;
}

function route(args: string[]): Decision {
  const result = runCli(['route', ...args]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Decision;
}

describe('smsgw route', () => {
  test('without --config it decides with the embedded defaults `smsgw serve` (npm start) runs', () => {
    const decision = route(['--to', '090-1111-2222']);
    expect(decision.config).toBe('<embedded defaults>');
    expect(decision.rule.name).toBe('docomo-and-rakuten');
    expect(decision.route.id).toBe('carrier-a');
    // The connectors and prices of serve's own route, in its failover order.
    expect(decision.connectors.map((c) => [c.id, c.price])).toEqual(EMBEDDED_ROUTING.routes['carrier-a'].connectors.map((c) => [c.id, c.price]));
  });

  test.each([
    ['unported docomo block', ['--to', '090-1111-2222'], '+819011112222', 'docomo', 'ranges', 'docomo-and-rakuten'],
    ['0081 form with a tag (otp rule)', ['--to', '0081-80-9123-4567', '--tag', 'otp'], '+818091234567', 'softbank', 'ranges', 'otp'],
    ['another country (carrier data)', ['--to', '+4915112345678'], '+4915112345678', 't-mobile', 'carrier-data', 'default'],
  ])('%s', (_label, args, e164, carrier, source, rule) => {
    const decision = route(args);
    expect(decision.to.e164).toBe(e164);
    expect(decision.carrier).toMatchObject({ carrier, source });
    expect(decision.rule.name).toBe(rule);
    expect(decision.connectors.length).toBeGreaterThan(0);
    expect(typeof decision.connectors[0]?.price).toBe('number');
  });

  test('a ported number (portability file loaded for the run) overrides the ranges', () => {
    const csv = join(dir, 'ported.csv');
    writeFileSync(csv, 'number,carrier\n+819011112222,rakuten\n');
    const decision = route(['--to', '090-1111-2222', '--mnp-file', csv]);
    expect(decision.carrier).toMatchObject({ carrier: 'rakuten', source: 'mnp' });
    expect(decision.connectors[0]).toMatchObject({ id: 'carrier-a', price: 3.2 });
  });

  test('au goes to carrier B first, and --down moves to the next healthy connector', () => {
    expect(route(['--to', '090-1234-5678']).connectors.map((c) => [c.id, c.price])).toEqual([['carrier-b', 3.3], ['carrier-a', 3.5]]);
    expect(route(['--to', '090-1234-5678', '--down', 'carrier-b']).connectors.map((c) => c.id)).toEqual(['carrier-a']);
  }, 60_000);

  test('--config with sender rules: SoftBank rewrites an alphanumeric sender', () => {
    const config = join(dir, 'senders.yaml');
    writeFileSync(
      config,
      `routes: { main: { strategy: failover, connectors: [{ id: smsc }] } }
rules: [{ name: default, route: main }]
senderRules: [{ name: softbank-numeric, carrier: softbank, allow: [longnumber], rewrite: "+81312345678" }]
`,
    );
    const softbank = route(['--to', '080-9123-4567', '--from', 'ACME', '--config', config]);
    expect(softbank.sender).toEqual({ requested: 'ACME', used: '+81312345678', kind: 'longnumber', rewritten: true, rule: 'softbank-numeric' });
  });

  test('--config with a time window and --at', () => {
    const config = join(dir, 'gateway.yaml');
    writeFileSync(
      config,
      `connectors: [{ id: night-smsc }, { id: day-smsc }]
routes:
  night: { strategy: failover, connectors: [{ id: night-smsc, price: 1 }] }
  day: { strategy: failover, connectors: [{ id: day-smsc, price: 2 }] }
rules:
  - { name: night, match: { time: { from: "22:00", to: "06:00", timezone: Asia/Tokyo } }, route: night }
  - { name: default, route: day }
`,
    );
    expect(route(['--to', '090-1111-2222', '--config', config, '--at', '2025-06-01T14:00:00Z']).rule.name).toBe('night');
    const day = route(['--to', '090-1111-2222', '--config', config, '--at', '2025-06-01T03:00:00Z']);
    expect([day.rule.name, day.at]).toEqual(['default', '2025-06-01T03:00:00.000Z']);
  }, 60_000);

  test('--config with mnp.file: the configuration\'s portability file, as `smsgw serve` reads it without Redis', () => {
    writeFileSync(join(dir, 'ports.csv'), '090-1111-2222,rakuten\n');
    const config = join(dir, 'mnp.yaml');
    writeFileSync(
      config,
      `routes: { main: { strategy: failover, connectors: [{ id: smsc }] } }
rules: [{ name: default, route: main }]
mnp: { file: ports.csv, country: JP }
`,
    );
    expect(route(['--to', '090-1111-2222', '--config', config]).carrier).toMatchObject({ carrier: 'rakuten', source: 'mnp' });
  });

  test.each([
    ['an invalid number', ['--to', '090-123'], /ROUTE_NUMBER_TOO_SHORT/],
    ['a fixed line where mobile is required', ['--to', '03-1234-5678', '--require-mobile'], /ROUTE_NUMBER_NOT_MOBILE/],
    ['a missing config file', ['--to', '090-1111-2222', '--config', '/nonexistent/gateway.yaml'], /ROUTE_CONFIG_INVALID: .*gateway\.yaml/],
    ['every connector down', ['--to', '090-1111-2222', '--down', 'carrier-a', '--down', 'carrier-b'], /ROUTE_NO_HEALTHY_CONNECTOR/],
  ])('%s: one line on stderr and exit 1', (_label, args, message) => {
    const result = runCli(['route', ...args]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
