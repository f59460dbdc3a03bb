/**
 * The bare servers of `npm run bench:http-floor` (bench/http-floor.bench.ts), one per process:
 * `node bench/http-floor-server.ts node-http|fastify`. Each answers `POST /v1/messages` as the gateway does on the
 * wire (the same bearer key, a JSON body read and checked, a 202 with an answer of the gateway's shape and size) and
 * does nothing else: no store, no routing, no encoding, no SMPP. What such a server costs per request is the floor
 * under any Node.js gateway's cost per message on this machine. Prints `listening on http://127.0.0.1:<port>`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { FLOOR_SERVERS, type FloorServer } from './http-floor-options.ts';
import { BENCH_KEY } from './single-posts.ts';

interface SubmitBody {
  readonly to: string;
  readonly text: string;
}

/** The fields and sizes of the gateway's 202 to a one-part message (gateway/accept/accept-service.ts `answer`). */
function accepted(body: SubmitBody): Record<string, unknown> {
  return {
    id: randomUUID(),
    status: 'queued',
    to: body.to,
    carrier: 'docomo',
    carrierSource: 'ranges',
    route: 'only',
    connector: 'smsc',
    encoding: 'gsm7',
    parts: 1,
    createdAt: new Date().toISOString(),
    duplicate: false,
  };
}

const AUTHORIZATION = `Bearer ${BENCH_KEY}`;

function isSubmitBody(value: unknown): value is SubmitBody {
  if (typeof value !== 'object' || value === null) return false;
  const { to, text } = value as Record<string, unknown>;
  return typeof to === 'string' && typeof text === 'string';
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const json = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function refusal(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** node:http and nothing else: the body read whole, parsed, checked, answered. */
function nodeHttp(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST' || req.url !== '/v1/messages') return send(res, 404, refusal('NOT_FOUND', `${req.method ?? ''} ${req.url ?? ''}`));
  if (req.headers.authorization !== AUTHORIZATION) return send(res, 401, refusal('UNAUTHORIZED', 'bad or missing API key'));
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, refusal('INVALID_JSON', 'the body is not JSON'));
    }
    if (!isSubmitBody(body)) return send(res, 400, refusal('INVALID_BODY', 'to and text must be strings'));
    send(res, 202, accepted(body));
  });
}

/** fastify as the gateway uses it: a hook for the key, a body schema (ajv) and a response schema (fast-json-stringify). */
function fastifyApp(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.authorization !== AUTHORIZATION) await reply.code(401).send(refusal('UNAUTHORIZED', 'bad or missing API key'));
  });
  const text = ['id', 'status', 'to', 'carrier', 'carrierSource', 'route', 'connector', 'encoding', 'createdAt'];
  const fields: [string, { type: string }][] = [...text.map((k): [string, { type: string }] => [k, { type: 'string' }]), ['parts', { type: 'integer' }], ['duplicate', { type: 'boolean' }]];
  const answer = { type: 'object', properties: Object.fromEntries(fields) };
  app.post<{ Body: SubmitBody }>(
    '/v1/messages',
    {
      schema: {
        body: { type: 'object', required: ['to', 'text'], additionalProperties: false, properties: { to: { type: 'string', maxLength: 32 }, text: { type: 'string', maxLength: 10_000 } } },
        response: { 202: answer },
      },
    },
    async (request, reply) => reply.code(202).send(accepted(request.body)),
  );
  return app;
}

/** Starts `kind` on 127.0.0.1 (port 0: a free one); resolves to its URL and a close function. */
export async function startFloorServer(kind: FloorServer): Promise<{ url: string; close: () => Promise<void> }> {
  if (kind === 'fastify') {
    const app = fastifyApp();
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return { url, close: () => app.close() };
  }
  const server = createServer({ keepAliveTimeout: 60_000 }, nodeHttp);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const isFloorServer = (value: string | undefined): value is FloorServer => (FLOOR_SERVERS as readonly (string | undefined)[]).includes(value);

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const kind = process.argv[2];
  if (!isFloorServer(kind)) {
    process.stderr.write(`http-floor-server: the server must be one of ${FLOOR_SERVERS.join(', ')}, got "${kind ?? ''}"\n`);
    process.exitCode = 2;
  } else {
    const { url, close } = await startFloorServer(kind);
    process.once('SIGTERM', () => void close());
    process.stdout.write(`listening on ${url}\n`);
  }
}
