/**
 * Japanese sender rules in the running gateway: the 202 says which originator goes out and which sender rule
 * rewrote it, the SMSC receives the rewritten source address, and a refusal names the sender rule and carrier.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { runGateway, type RunningGateway } from '../../cli/serve/run-gateway.ts';
import { hashApiKey, newApiKey } from '../../gateway/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = newApiKey();
const dir = mkdtempSync(join(tmpdir(), 'smsgw-sender-rules-'));
let smsc: SmscSimulatorHandle;
let gateway: RunningGateway;

beforeAll(async () => {
  smsc = await startSmscSimulator({ name: 'carrier', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] });
  const path = join(dir, 'gateway.yaml');
  writeFileSync(
    path,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
      connectors: [{ id: 'carrier', type: 'smpp', host: '127.0.0.1', port: smsc.smppPort, systemId: 'gw', password: 'pw', binds: 1 }],
      routes: { carrier: { strategy: 'failover', connectors: [{ id: 'carrier' }] } },
      rules: [{ name: 'default', route: 'carrier' }],
      senderRules: [
        { name: 'docomo-registered', carrier: 'docomo', allow: ['longnumber'], senders: ['+81312345678'] },
        { name: 'au-registered', carrier: 'au', allow: ['longnumber'], senders: ['+81312345678'], rewrite: '+81312345678' },
        { name: 'softbank-codes', carrier: 'softbank', allow: ['shortcode'], senders: ['12345', '0005'], rewrite: '0005' },
      ],
      mnp: { file: 'ports.csv', country: 'JP' },
    }),
  );
  // The carriers of the three destinations are fixed by the portability file, whatever the ranges say.
  writeFileSync(join(dir, 'ports.csv'), '+819011110001,docomo\n+819011110002,au\n+819011110003,softbank\n');
  gateway = await runGateway({ document: parse(readFileSync(path, 'utf8')) as Record<string, unknown>, fileName: path, path, logLevel: 'silent' });
  await waitFor(() => gateway.gateway.links.isUp('carrier'), 'bind up');
});

afterAll(async () => {
  await gateway.stop();
  await smsc.close();
  rmSync(dir, { recursive: true, force: true });
});

async function send(to: string, from: string, text: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to, from, text }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('SoftBank: an alphanumeric sender is rewritten to 0005; the answer says so and the SMSC gets 0005', async () => {
  const accepted = await send('+819011110003', 'SHOP', 'softbank rewrite');
  expect(accepted).toMatchObject({ status: 202, body: { carrier: 'softbank', from: '0005', senderRewritten: { rule: 'softbank-codes', requested: 'SHOP' } } });
  const [submitted] = await waitFor(() => {
    const got = smsc.messages({ text: 'softbank rewrite' });
    return got.length > 0 ? got : undefined;
  }, 'the SMSC received the message');
  expect(submitted?.from).toBe('0005');
});

test('SoftBank: its 5-digit code is kept, and the answer has no rewrite', async () => {
  const accepted = await send('+819011110003', '12345', 'softbank code');
  expect(accepted.status).toBe(202);
  expect(accepted.body).toMatchObject({ from: '12345' });
  expect(accepted.body).not.toHaveProperty('senderRewritten');
  const [submitted] = await waitFor(() => {
    const got = smsc.messages({ text: 'softbank code' });
    return got.length > 0 ? got : undefined;
  }, 'the SMSC received the message');
  expect(submitted?.from).toBe('12345');
});

test('au: an unregistered number is rewritten to the registered one', async () => {
  const accepted = await send('+819011110002', '03-9999-9999', 'au rewrite');
  expect(accepted).toMatchObject({ status: 202, body: { carrier: 'au', from: '+81312345678', senderRewritten: { rule: 'au-registered', requested: '+81399999999' } } });
  const [submitted] = await waitFor(() => {
    const got = smsc.messages({ text: 'au rewrite' });
    return got.length > 0 ? got : undefined;
  }, 'the SMSC received the message');
  expect(submitted?.from).toMatch(/^\+?81312345678$/);
});

test('docomo: an unregistered sender is refused (422) naming the sender rule and the carrier', async () => {
  expect(await send('+819011110001', 'SHOP', 'docomo refused')).toMatchObject({
    status: 422,
    body: { code: 'ROUTE_SENDER_NOT_ALLOWED', field: 'from', details: { senderRule: 'docomo-registered', carrier: 'docomo' } },
  });
  expect(await send('+819011110001', '+81312345678', 'docomo registered')).toMatchObject({ status: 202, body: { from: '+81312345678' } });
});
