/**
 * Webhook targets against server-side request forgery: the URL check at submit (scheme, literal addresses), and
 * at delivery every address a name resolves to, with the connection made to a checked address. A receiver on
 * 127.0.0.1 stands for an internal service; an injected resolver stands for DNS.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryWebhookQueue } from '../../../gateway/adapters/memory/memory-webhook-queue.ts';
import { AddressList } from '../../../gateway/net/address-list.ts';
import { postWebhook } from '../../../gateway/webhooks/webhook-delivery.ts';
import { WebhookSender } from '../../../gateway/webhooks/webhook-sender.ts';
import { WebhookTargets, type HostResolver } from '../../../gateway/webhooks/webhook-targets.ts';

let server: Server;
let port: number;
const received: { host: string | undefined; url: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push({ host: req.headers.host, url: req.url });
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const dns: Record<string, string[]> = {
  'internal.test': ['127.0.0.1'],
  'mixed.test': ['93.184.216.34', '10.0.0.7'],
  'metadata.test': ['169.254.169.254'],
  'mapped.test': ['::ffff:127.0.0.1'],
};
const resolver: HostResolver = (hostname) => {
  const addresses = dns[hostname];
  if (addresses === undefined) return Promise.reject(Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' }));
  return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
};
const job = (url: string) => ({ id: `e-${received.length}-${url}`, url, secret: 'a-very-long-webhook-secret', body: '{}' });

describe('the URL check (submit time)', () => {
  const targets = new WebhookTargets(AddressList.parse(['10.20.0.0/16', 'hooks.internal'], 'webhooks.allow', { hosts: true }));

  test.each([
    ['gopher://127.0.0.1:25/_HELO', /scheme gopher/],
    ['file:///etc/passwd', /scheme file/],
    ['ftp://93.184.216.34/x', /scheme ftp/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254/],
    ['http://127.0.0.1:3000/admin', /127\.0\.0\.1/],
    ['http://2130706433/', /127\.0\.0\.1/],
    ['http://0x7f.1/', /127\.0\.0\.1/],
    ['http://[::1]/', /::1/],
    ['http://[::ffff:127.0.0.1]/', /::ffff:7f00:1/],
    ['http://[fd00::1]/', /fd00::1/],
    ['http://100.64.1.1/', /100\.64\.1\.1/],
    ['http://0.0.0.0:8080/', /0\.0\.0\.0/],
    ['http://224.0.0.1/', /224\.0\.0\.1/],
    ['http://192.168.0.10/', /192\.168\.0\.10/],
    ['http://localhost:9/', /localhost/],
    ['http://user:pw@93.184.216.34/', /credentials/],
    ['not a url', /not a URL/],
  ])('%s is refused', (url, reason) => {
    expect(targets.refusal(url)).toMatch(reason);
  });

  test.each([['https://hooks.example.com/sms'], ['http://93.184.216.34:8080/x'], ['http://10.20.3.4/hook'], ['http://hooks.internal/x'], ['http://[2606:4700::1111]/']])(
    '%s is allowed',
    (url) => {
      expect(targets.refusal(url)).toBeUndefined();
    },
  );
});

describe('delivery', () => {
  test('a literal loopback target is refused without a request, unless webhooks.allow lists it', async () => {
    const before = received.length;
    const refused = await postWebhook(job(`http://127.0.0.1:${port}/a`), 2_000, Date.now(), new WebhookTargets());
    expect(refused).toMatchObject({ ok: false, refused: true });
    expect(received.length).toBe(before);
    const allowed = new WebhookTargets(AddressList.parse(['127.0.0.1/32'], 'webhooks.allow'));
    expect(await postWebhook(job(`http://127.0.0.1:${port}/b`), 2_000, Date.now(), allowed)).toEqual({ ok: true });
    expect(received.at(-1)?.url).toBe('/b');
    await allowed.close();
  });

  test.each([['internal.test'], ['metadata.test'], ['mapped.test'], ['mixed.test']])('a name resolving to a non-public address (%s) is refused after DNS', async (host) => {
    const targets = new WebhookTargets(AddressList.EMPTY, resolver);
    const before = received.length;
    const result = await postWebhook(job(`http://${host}:${port}/c`), 2_000, Date.now(), targets);
    expect(result).toMatchObject({ ok: false, refused: true, reason: expect.stringMatching(/resolves to .*non-public/) as unknown });
    expect(received.length).toBe(before);
    await targets.close();
  });

  test('an allowed name is connected at the address that was checked', async () => {
    const targets = new WebhookTargets(AddressList.parse(['127.0.0.0/8'], 'webhooks.allow'), resolver);
    expect(await postWebhook(job(`http://internal.test:${port}/d`), 2_000, Date.now(), targets)).toEqual({ ok: true });
    expect(received.at(-1)).toEqual({ host: `internal.test:${port}`, url: '/d' });
    await targets.close();
  });

  test('a host name in webhooks.allow is reached whatever it resolves to', async () => {
    const targets = new WebhookTargets(AddressList.parse(['internal.test'], 'webhooks.allow', { hosts: true }), resolver);
    expect(await postWebhook(job(`http://internal.test:${port}/e`), 2_000, Date.now(), targets)).toEqual({ ok: true });
    await targets.close();
  });

  test('the sender finishes a refused job at once, without retries, and reports it', async () => {
    const queue = new MemoryWebhookQueue();
    const before = received.length;
    let retried = 0;
    const refused = new Promise<string>((resolve) => {
      const sender = new WebhookSender({
        queue: { lease: (...args) => queue.lease(...args), finish: (id) => queue.finish(id), retryAt: (...args) => ((retried += 1), queue.retryAt(...args)) },
        schedule: [10, 10],
        pollMs: 5,
        observer: {
          refused: (_job, reason) => {
            void sender.stop().then(() => resolve(reason));
          },
        },
      });
      sender.start();
    });
    await queue.add([job(`http://127.0.0.1:${port}/f`)], Date.now());
    expect(await refused).toMatch(/127\.0\.0\.1/);
    expect(retried).toBe(0);
    expect(await queue.waiting()).toBe(0);
    expect(received.length).toBe(before);
  });
});
