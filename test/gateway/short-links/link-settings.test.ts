import { expect, test } from 'vitest';
import { createMemoryBackend, hashApiKey, LinkService, parseGatewayConfig } from '../../../gateway/index.ts';

const base = { accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')] }], connectors: [{ id: 'a', type: 'smpp' }] };

test('the links section: defaults filled in; a bad base URL or code length is refused naming the field', () => {
  expect(parseGatewayConfig(base, 'g.yaml').links).toEqual({ codeLength: 10, defaultTtlSeconds: 2_592_000, graceSeconds: 2_592_000, appendToken: false, tokenParam: 't' });
  expect(parseGatewayConfig({ ...base, links: { baseUrl: 'https://s.example.jp' } }, 'g.yaml').links.baseUrl).toBe('https://s.example.jp');
  for (const [links, field] of [
    [{ baseUrl: 'https://s.example.jp/path' }, 'links.baseUrl'],
    [{ baseUrl: 'ftp://s.example.jp' }, 'links.baseUrl'],
    [{ codeLength: 7 }, 'links.codeLength'],
    [{ tokenParam: 'a b' }, 'links.tokenParam'],
    [{ colour: 'red' }, 'links'],
  ] as const) {
    let refusal: unknown;
    try {
      parseGatewayConfig({ ...base, links }, 'g.yaml');
    } catch (error: unknown) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'GW_INVALID_CONFIG' });
    expect((refusal as { details: { field: string } }).details.field).toContain(field);
  }
});

test('create refuses bad targets, expiries and tokens it cannot sign, naming the field', async () => {
  const links = new LinkService({ store: createMemoryBackend().links, baseUrl: 'https://s.example.jp', tokenSecret: (id) => (id === 'signed' ? 'a-secret-of-16-chars' : undefined), now: () => 1_000_000 });
  const refusals: [Parameters<LinkService['create']>[0], string, string][] = [
    [{ accountId: 'a', target: 'javascript:alert(1)' }, 'GW_INVALID_REQUEST', 'target'],
    [{ accountId: 'a', target: 'not a url' }, 'GW_INVALID_REQUEST', 'target'],
    [{ accountId: 'a', target: `https://example.com/${'x'.repeat(2050)}` }, 'GW_INVALID_REQUEST', 'target'],
    [{ accountId: 'a', target: 'https://example.com/', expiresAt: 999_999 }, 'GW_INVALID_REQUEST', 'expiresAt'],
    [{ accountId: 'a', target: 'https://example.com/', ttlSeconds: 0 }, 'GW_INVALID_REQUEST', 'ttlSeconds'],
    [{ accountId: 'a', target: 'https://example.com/', ttlSeconds: 60, expiresAt: 2_000_000 }, 'GW_INVALID_REQUEST', 'ttlSeconds'],
    [{ accountId: 'signed', target: 'https://example.com/', appendToken: true }, 'GW_INVALID_REQUEST', 'recipient'],
    [{ accountId: 'a', target: 'https://example.com/', appendToken: true, recipient: '+819012345678' }, 'GW_CALLBACK_WITHOUT_SECRET', 'appendToken'],
  ];
  for (const [request, code, field] of refusals) await expect(links.create(request)).rejects.toMatchObject({ code, details: { field } });
  const made = await links.create({ accountId: 'a', target: 'https://example.com/', ttlSeconds: 60 });
  expect(made).toMatchObject({ url: `https://s.example.jp/l/${made.code}`, expiresAt: 1_060_000 });
  expect(links.sampleUrl()).toHaveLength(made.url.length);
  expect(() => new LinkService({ store: createMemoryBackend().links, codeLength: 6, tokenSecret: () => undefined })).toThrow(expect.objectContaining({ code: 'GW_INVALID_CONFIG' }));
  expect(() => new LinkService({ store: createMemoryBackend().links, baseUrl: 'https://s.example.jp/x?y', tokenSecret: () => undefined })).toThrow(expect.objectContaining({ code: 'GW_INVALID_CONFIG' }));
});
