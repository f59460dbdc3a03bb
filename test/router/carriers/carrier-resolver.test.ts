import { describe, expect, test } from 'vitest';
import {
  CarrierResolver,
  HlrHook,
  MemoryPortingSource,
  PrefixTable,
  type CarrierAnswer,
  type CarrierData,
  type PortingRecord,
  type PortingSource,
} from '../../../router/index.ts';

const data: CarrierData = {
  ranges: PrefixTable.build([
    { prefix: '8190', carrier: 'docomo', source: 'ranges' },
    { prefix: '819012', carrier: 'au', source: 'ranges' },
    { prefix: '49151', carrier: 't-mobile', name: 'T-Mobile', source: 'carrier-data' },
  ]),
  defaults: new Map<string, CarrierAnswer>([['JP', { carrier: 'docomo', source: 'default' }]]),
  names: new Map([['rakuten', 'Rakuten Mobile']]),
};
const NOW = Date.parse('2025-06-01T00:00:00Z');

async function portingWith(records: PortingRecord[]): Promise<MemoryPortingSource> {
  const source = new MemoryPortingSource();
  await source.importRows([records]);
  return source;
}

describe('CarrierResolver', () => {
  test.each<[string, string, string | undefined, PortingRecord[], Partial<CarrierAnswer>]>([
    ['MNP overrides ranges', '+819012345678', 'JP', [{ e164: '+819012345678', carrier: 'rakuten' }], { carrier: 'rakuten', name: 'Rakuten Mobile', source: 'mnp' }],
    ['a port in force (past date) applies', '+819012345678', 'JP', [{ e164: '+819012345678', carrier: 'softbank', effectiveDate: '2025-05-31' }], { carrier: 'softbank', source: 'mnp' }],
    ['a port not yet in force (future date) is ignored', '+819012345678', 'JP', [{ e164: '+819012345678', carrier: 'softbank', effectiveDate: '2025-06-02' }], { carrier: 'au', source: 'ranges' }],
    ['a port of another number does not apply', '+819012345678', 'JP', [{ e164: '+819012345679', carrier: 'softbank' }], { carrier: 'au', source: 'ranges' }],
    ['unported: the longest range prefix', '+819012345678', 'JP', [], { carrier: 'au', source: 'ranges', prefix: '819012' }],
    ['unported: a shorter range prefix', '+819099345678', 'JP', [], { carrier: 'docomo', source: 'ranges', prefix: '8190' }],
    ['carrier data for other countries', '+4915112345678', 'DE', [], { carrier: 't-mobile', source: 'carrier-data' }],
    ['no range: the country default', '+818011112222', 'JP', [], { carrier: 'docomo', source: 'default' }],
    ['nothing known', '+14155552671', 'US', [], { carrier: 'unknown', source: 'default' }],
  ])('%s', async (_label, e164, country, records, expected) => {
    const resolver = new CarrierResolver({ porting: await portingWith(records) });
    expect(await resolver.resolve(data, { e164, country }, NOW)).toMatchObject(expected);
  });

  test('without a porting source the order starts at ranges', async () => {
    expect(await new CarrierResolver().resolve(data, { e164: '+819012345678', country: 'JP' }, NOW)).toMatchObject({ carrier: 'au', source: 'ranges' });
  });

  test('resolveMany reads the porting store once for the whole batch and keeps the order', async () => {
    const porting = await portingWith([{ e164: '+819011112222', carrier: 'rakuten' }]);
    let calls = 0;
    const counting: PortingSource = Object.assign(Object.create(porting) as PortingSource, {
      getMany: (n: readonly string[]) => {
        calls++;
        return porting.getMany(n);
      },
    });
    const resolver = new CarrierResolver({ porting: counting });
    const answers = await resolver.resolveMany(data, [{ e164: '+819011112222', country: 'JP' }, { e164: '+819012000000', country: 'JP' }, { e164: '+4915100000000', country: 'DE' }], NOW);
    expect(answers.map((a) => `${a.carrier}/${a.source}`)).toEqual(['rakuten/mnp', 'au/ranges', 't-mobile/carrier-data']);
    expect(calls).toBe(1);
  });

  test('a failing porting store falls back to ranges and says so', async () => {
    const broken: PortingSource = Object.assign(new MemoryPortingSource(), {
      get: () => Promise.reject(new Error('connection refused')),
      getMany: () => Promise.reject(new Error('connection refused')),
    });
    const resolver = new CarrierResolver({ porting: broken });
    expect(await resolver.resolve(data, { e164: '+819012345678', country: 'JP' }, NOW)).toMatchObject({ carrier: 'au', source: 'ranges', mnpUnavailable: true });
    const [many] = await resolver.resolveMany(data, [{ e164: '+819012345678', country: 'JP' }], NOW);
    expect(many).toMatchObject({ carrier: 'au', mnpUnavailable: true });
  });

  test('the HLR hook answers first; when it knows nothing the order goes on', async () => {
    const hlr = new HlrHook({ fetcher: (e164) => Promise.resolve(e164.endsWith('8') ? 'softbank' : undefined), timeoutMs: 1000, ttlMs: 0 });
    const resolver = new CarrierResolver({ porting: await portingWith([{ e164: '+819012345679', carrier: 'rakuten' }]), hlr });
    expect(await resolver.resolve(data, { e164: '+819012345678', country: 'JP' }, NOW)).toMatchObject({ carrier: 'softbank', source: 'hlr' });
    expect(await resolver.resolve(data, { e164: '+819012345679', country: 'JP' }, NOW)).toMatchObject({ carrier: 'rakuten', source: 'mnp' });
  });

  test('MNP answers are shared objects per carrier (no allocation per lookup)', async () => {
    const resolver = new CarrierResolver({ porting: await portingWith([{ e164: '+819012345678', carrier: 'rakuten' }, { e164: '+819012345679', carrier: 'rakuten' }]) });
    const a = await resolver.resolve(data, { e164: '+819012345678', country: 'JP' }, NOW);
    const b = await resolver.resolve(data, { e164: '+819012345679', country: 'JP' }, NOW);
    expect(a).toBe(b);
  });
});
