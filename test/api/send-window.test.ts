/** `notBefore` through HTTP: the 202 and GET /v1/messages/{id} of a message held by its account's send window. */
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { jst, stopWindowGateway, windowGateway } from '../gateway/windows/window-gateway.ts';

afterEach(stopWindowGateway);

describe('send window in the API', () => {
  test('a message accepted at 21:00 JST answers 202 scheduled with notBefore, and GET shows it with the deferred event', async () => {
    const { gw, carrier } = await windowGateway(jst('2026-01-15T21:00:00'));
    const app = await buildApp({ gateway: gw });
    try {
      const auth = { authorization: 'Bearer k' };
      const posted = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '09012345678', text: 'good night' } });
      expect(posted.statusCode).toBe(202);
      const notBefore = new Date(jst('2026-01-16T08:00:00')).toISOString();
      const accepted = posted.json<{ id: string; status: string; notBefore?: string }>();
      expect(accepted).toMatchObject({ status: 'scheduled', notBefore });
      const got = await app.inject({ method: 'GET', url: `/v1/messages/${accepted.id}`, headers: auth });
      expect(got.json()).toMatchObject({ status: 'scheduled', notBefore, timeline: expect.arrayContaining([expect.objectContaining({ event: 'deferred', until: notBefore })]) as unknown });
      carrier.expectSend({});
      const otp = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '09012345678', text: 'code 4711', tag: 'otp' } });
      expect(otp.json()).not.toHaveProperty('notBefore');
      await carrier.whenSent(1);
      const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ components: { schemas: Record<string, { properties: Record<string, unknown> }> } }>();
      expect(Object.keys(openapi.components.schemas.Accepted?.properties ?? {})).toContain('notBefore');
      expect(Object.keys(openapi.components.schemas.Message?.properties ?? {})).toContain('notBefore');
    } finally {
      await app.close();
    }
  });
});
