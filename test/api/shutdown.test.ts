/**
 * A request that arrives while the server closes gets a coded 503 with Retry-After, not fastify's bare one. Over a
 * real socket: a request still being sent holds the close open, and a second request pipelined behind it arrives
 * after the close began.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

test('during a graceful stop a request that arrives is answered 503 API_SHUTTING_DOWN with Retry-After', async () => {
  const gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(loadRoutingFile(new URL('../../config/gateway.example.yaml', import.meta.url).pathname)),
    drivers: [],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
  });
  const app = await buildApp({ gateway });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const body = JSON.stringify({ to: '09012345678', text: 'first' });
  // The server has the first request once its headers are read; its body is still on the way.
  const requested = new Promise((resolve) => app.server.once('request', resolve));
  socket.write(`POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
  await requested;
  const closing = app.close();
  // The listener closes after the preClose hooks, so from then on a request is one that arrived during the stop.
  await waitFor(() => !app.server.listening, 'the listener closed');
  socket.write(`${body.slice(5)}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
  await closing;
  await new Promise((resolve) => (socket.destroyed ? resolve(undefined) : socket.once('close', resolve)));
  const answers = received.split(/(?=HTTP\/1\.1 )/);
  expect(answers[0]).toMatch(/^HTTP\/1\.1 202/);
  expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
  expect(answers[1]).toMatch(/retry-after: 5/i);
  expect(answers[1]).toContain('"code":"API_SHUTTING_DOWN"');
});
