/**
 * A modem's +CMS ERROR on a submit, through the whole gateway over a real pty (the virtual modem through socat):
 * the refused part keeps the device's number as its carrier value (`raw.cmsError`) in the message store and in the
 * API's view, beside its MODEM_ error.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { isFinalMessageStatus } from '../../gateway/index.ts';
import { waitFor } from '../support/wait-for.ts';
import { ModemGatewayHarness } from './modem-gateway-harness.ts';

/** TS 24.011 E.2 cause 21, "short message transfer rejected": final, so the message fails without a retry. */
const REFUSED = 21;

const harness = new ModemGatewayHarness();
afterEach(() => harness.tearDown());

describe('a +CMS ERROR behind the gateway (pty)', () => {
  test('the failed part keeps the +CMS number in the store and in the API view', async () => {
    const { gw, modem } = await harness.setUp({
      modem: { behaviour: { sendFailure: { every: 1, codes: [REFUSED] } } },
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    });

    const accepted = await gw.messages.submit('demo', { to: '09012345670', text: 'refused by the network' });
    const record = await waitFor(async () => {
      const now = await gw.messages.get('demo', accepted.id);
      return isFinalMessageStatus(now.status) ? now : undefined;
    }, 'the message final');
    expect(record.status).toBe('failed');
    expect(record.parts).toMatchObject([{ seq: 1, status: 'failed', raw: { cmsError: REFUSED }, error: { code: 'MODEM_CMS_ERROR' } }]);
    expect(modem.transmitted()).toEqual([]);

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
