/**
 * A modem's +CMS ERROR on a submit, through the whole gateway over a real pty (the virtual modem through socat):
 * the refused part keeps the device's number as its carrier value (`raw.cmsError`) in the message store and in the
 * API's view, beside its MODEM_ error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { ModemPool } from '../../drivers/modem/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, isFinalMessageStatus, readBuiltinRanges } from '../../gateway/index.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';
import { startVirtualModem, type VirtualModemHandle } from '../../simulator/index.ts';
import { waitFor } from '../support/wait-for.ts';

const IMEI = '356938035643809';
const CONNECTOR = 'modems';
const ROUTING = { routes: { jp: { strategy: 'failover', connectors: [{ id: CONNECTOR }] } }, rules: [{ name: 'default', route: 'jp' }] };
/** TS 24.011 E.2 cause 21, "short message transfer rejected": final, so the message fails without a retry. */
const REFUSED = 21;

let dir = '';
let sim: VirtualModemHandle | undefined;
let gateway: Gateway | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smsgw-modem-cms-'));
});

afterEach(async () => {
  await gateway?.stop();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
  gateway = undefined;
  sim = undefined;
});

describe('a +CMS ERROR behind the gateway (pty)', () => {
  test('the failed part keeps the +CMS number in the store and in the API view', async () => {
    sim = await startVirtualModem({ path: join(dir, 'ttyA'), imei: IMEI, behaviour: { sendFailure: { every: 1, codes: [REFUSED] } } });
    const modems = new ModemPool({ id: CONNECTOR, modems: [{ imei: IMEI }], scan: [join(dir, '*')], pollMs: 0, registrationWaitMs: 500 });
    gateway = new Gateway({
      backend: createMemoryBackend(),
      router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set([CONNECTOR]) })),
      drivers: [modems],
      accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    });
    await gateway.start();
    const gw = gateway;
    await waitFor(() => (gw.isUp(CONNECTOR) ? true : undefined), 'the modem up');

    const accepted = await gw.submit('demo', { to: '09012345670', text: 'refused by the network' });
    const record = await waitFor(async () => {
      const now = await gw.get('demo', accepted.id);
      return isFinalMessageStatus(now.status) ? now : undefined;
    }, 'the message final');
    expect(record.status).toBe('failed');
    expect(record.parts).toMatchObject([{ seq: 1, status: 'failed', raw: { cmsError: REFUSED }, error: { code: 'MODEM_CMS_ERROR' } }]);
    expect(sim.transmitted()).toEqual([]);

    const app = await buildApp({ gateway: gw, logger: false });
    try {
      const response = await app.inject({ method: 'GET', url: `/v1/messages/${accepted.id}`, headers: { authorization: 'Bearer k' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'failed', parts: [{ seq: 1, status: 'failed', raw: { cmsError: REFUSED }, error: { code: 'MODEM_CMS_ERROR' } }] });
    } finally {
      await app.close();
    }
  }, 30_000);
});
