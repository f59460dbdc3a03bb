/**
 * Server errors in the log: an expected, retriable refusal (an outage answers every request with one) is one
 * warn line with its code and no stack; an unexpected error keeps its stack.
 */
import { expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, gatewayError, hashApiKey, loadRoutingFile, MemoryEventTransport } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { captureLog, ERROR, WARN } from '../support/log-capture.ts';

const auth = { authorization: 'Bearer k' };

test('a retriable 503 is one warn line without a stack; an unexpected 500 keeps its stack', async () => {
  const backend = createMemoryBackend();
  // Kafka away and the outbox full: every new message is refused with GW_EVENTS_BACKLOGGED.
  const events = new MemoryEventTransport();
  Object.defineProperty(events, 'accepting', { value: false });
  backend.store.get = () => Promise.reject(gatewayError('GW_CORRUPT_RECORD', 'm-1', { id: 'm-1' }));
  const gateway = new Gateway({ backend, router: new RouterHandle(loadRoutingFile(undefined)), drivers: [], events, accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }] });
  const capture = captureLog();
  const app = await buildApp({ gateway, logger: capture.options });
  try {
    for (let i = 0; i < 3; i += 1) {
      const refused = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '+819012345678', text: 'hello' } });
      expect(refused.statusCode).toBe(503);
    }
    const warned = capture.withMsg('request refused');
    expect(warned).toHaveLength(3);
    for (const line of warned) {
      expect(line).toMatchObject({ level: WARN, code: 'GW_EVENTS_BACKLOGGED', retriable: true, statusCode: 503 });
      expect(JSON.stringify(line)).not.toMatch(/"(err|stack)"/);
    }
    expect(capture.lines().filter((line) => line.level >= ERROR)).toEqual([]);

    const broken = await app.inject({ method: 'GET', url: '/v1/messages/m-1', headers: auth });
    expect(broken.statusCode).toBe(500);
    const [failed] = capture.withMsg('request failed');
    expect(failed?.level).toBe(ERROR);
    expect((failed?.err as { stack?: string; code?: string } | undefined)?.code).toBe('GW_CORRUPT_RECORD');
    // The stack names where the error was thrown (the store stub above), so the line shows how it came about.
    expect((failed?.err as { stack?: string } | undefined)?.stack).toMatch(/error-log\.test\.ts:\d+/);
  } finally {
    await app.close();
    await gateway.stop();
  }
});
