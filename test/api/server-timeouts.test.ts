/**
 * Slow clients over raw sockets: half-sent headers, half-sent bodies and idle keep-alive connections are closed
 * after the configured `server` timeouts (small here) instead of being held (Node's defaults keep them a minute
 * or more).
 */
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type MessageBackend } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';

const KEY = 'key-timeouts-0123456789abcdef';
let backend: MessageBackend;
let gateway: Gateway;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  backend = createMemoryBackend();
  gateway = new Gateway({ backend, router: new RouterHandle(loadRoutingFile(undefined)), drivers: [], accounts: [{ id: 'a', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }] });
  app = await buildApp({ gateway, server: { headersTimeoutMs: 200, requestTimeoutMs: 400, keepAliveTimeoutMs: 200 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
});

/** Opens a socket, writes `text`, and resolves with how long the server kept it and what it answered. */
function hold(text: string): Promise<{ ms: number; answer: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let start = 0;
    socket.on('connect', () => {
      start = performance.now();
      socket.write(text);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve({ ms: performance.now() - start, answer, socket }));
  });
}

const BODY = JSON.stringify({ to: '09012345678', text: 'slow' });

test('connections with half-sent headers are closed after headersTimeoutMs', async () => {
  const held = await Promise.all(Array.from({ length: 30 }, () => hold(`POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\n`)));
  for (const { ms } of held) {
    expect(ms).toBeGreaterThanOrEqual(150);
    expect(ms).toBeLessThan(5_000);
  }
});

test('a half-sent body is closed after requestTimeoutMs with 408', async () => {
  const { ms, answer } = await hold(
    `POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY.slice(0, 10)}`,
  );
  expect(answer).toMatch(/^HTTP\/1\.1 408/);
  expect(ms).toBeGreaterThanOrEqual(350);
  expect(ms).toBeLessThan(5_000);
});

test('an idle keep-alive connection is closed after keepAliveTimeoutMs, once its request was answered', async () => {
  const { ms, answer } = await hold('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 200/);
  expect(ms).toBeGreaterThanOrEqual(150);
  expect(ms).toBeLessThan(5_000);
});

test('a complete request within the timeouts is answered', async () => {
  const { answer } = await hold(
    `POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n${BODY}`,
  );
  expect(answer).toMatch(/^HTTP\/1\.1 202/);
});
