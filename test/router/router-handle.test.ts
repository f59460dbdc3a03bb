import { describe, expect, test } from 'vitest';
import { MemoryPortingSource, RouterHandle, buildRoutingTable, loadRoutingTable, type PortingRecord, type RoutingTable } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

const tableRouting = (ruleName: string, connector: string): RoutingTable =>
  buildRoutingTable({ routes: { r: { strategy: 'failover', connectors: [{ id: connector }] } }, rules: [{ name: ruleName, route: 'r' }] }, { fileName: `${ruleName}.yaml`, version: ruleName });

const AT = new Date('2025-06-01T00:00:00Z');

/** A porting source whose reads wait until the test releases them, to hold a decision in flight. */
class GatedPortingSource extends MemoryPortingSource {
  private readonly waiting: (() => void)[] = [];
  override async get(e164: string): Promise<PortingRecord | undefined> {
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.get(e164);
  }
  get pending(): number {
    return this.waiting.length;
  }
  release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

describe('RouterHandle', () => {
  test('swap replaces the table for new decisions and returns the old one', async () => {
    const first = tableRouting('v1', 'a');
    const second = tableRouting('v2', 'b');
    const handle = new RouterHandle(first);
    expect((await handle.decide({ to: '+819012345678', at: AT })).tableVersion).toBe('v1');
    expect(handle.swap(second)).toBe(first);
    const decision = await handle.decide({ to: '+819012345678', at: AT });
    expect([decision.tableVersion, decision.rule.name, decision.connectors[0]?.id]).toEqual(['v2', 'v2', 'b']);
  });

  test('a decision in flight keeps the table it started with, even across the porting lookup', async () => {
    const porting = new GatedPortingSource();
    const handle = new RouterHandle(tableRouting('v1', 'a'), { porting });
    const inFlight = handle.decide({ to: '+819012345678', at: AT });
    await waitFor(() => porting.pending === 1, 'the first read in flight', 5_000, 1);
    handle.swap(tableRouting('v2', 'b'));
    const later = handle.decide({ to: '+819012345678', at: AT });
    await waitFor(() => porting.pending === 2, 'the second read in flight', 5_000, 1);
    porting.release();
    const [old, fresh] = await Promise.all([inFlight, later]);
    expect([old.tableVersion, old.rule.name, old.connectors[0]?.id]).toEqual(['v1', 'v1', 'a']);
    expect([fresh.tableVersion, fresh.rule.name, fresh.connectors[0]?.id]).toEqual(['v2', 'v2', 'b']);
  });

  test('numbered hears the parsed number and sender before the porting lookup answers; bad input tells it nothing', async () => {
    const porting = new GatedPortingSource();
    const handle = new RouterHandle(tableRouting('v1', 'a'), { porting });
    const told: string[] = [];
    const numbered = (number: { e164: string }, sender: { value: string } | undefined): void => void told.push(`${number.e164} ${sender?.value ?? '-'}`);
    const inFlight = handle.decide({ to: '090-1234-5678', from: 'SHOPJP', defaultCountry: 'JP', at: AT }, { numbered });
    await waitFor(() => porting.pending === 1, 'the porting read in flight', 5_000, 1);
    expect(told).toEqual(['+819012345678 SHOPJP']);
    porting.release();
    expect((await inFlight).to.e164).toBe('+819012345678');
    expect(told).toHaveLength(1);
    await expect(handle.decide({ to: '03-1234-5678', defaultCountry: 'JP', requireMobile: true, at: AT }, { numbered })).rejects.toMatchObject({ code: 'ROUTE_NUMBER_NOT_MOBILE' });
    await expect(handle.decide({ to: '+819012345678', from: '東京', at: AT }, { numbered })).rejects.toMatchObject({ code: 'ROUTE_SENDER_INVALID' });
    expect(told).toHaveLength(1);
  });

  test('reload with a good configuration swaps; a bad one is refused and the old table stays in force', async () => {
    const handle = new RouterHandle(tableRouting('v1', 'a'));
    const bad = handle.reload(() => loadRoutingTable('routes: {}\nrules: [{ name: x, route: missing }]\n', { fileName: 'bad.yaml' }));
    expect(bad.ok).toBe(false);
    expect(bad.ok ? undefined : bad.error).toMatchObject({ code: 'ROUTE_CONFIG_INVALID' });
    expect(handle.table.version).toBe('v1');
    expect((await handle.decide({ to: '+819012345678', at: AT })).connectors[0]?.id).toBe('a');

    const good = handle.reload(() => tableRouting('v2', 'b'));
    expect(good.ok && good.previous.version).toBe('v1');
    expect((await handle.decide({ to: '+819012345678', at: AT })).connectors[0]?.id).toBe('b');
  });

  test('normalizes with the account settings and refuses bad input with typed errors', async () => {
    const handle = new RouterHandle(tableRouting('v1', 'a'));
    expect((await handle.decide({ to: '090-1234-5678', defaultCountry: 'JP', at: AT })).to.e164).toBe('+819012345678');
    await expect(handle.decide({ to: '03-1234-5678', defaultCountry: 'JP', requireMobile: true, at: AT })).rejects.toMatchObject({ code: 'ROUTE_NUMBER_NOT_MOBILE' });
    await expect(handle.decide({ to: '+819012345678', from: '東京', at: AT })).rejects.toMatchObject({ code: 'ROUTE_SENDER_INVALID' });
  });

  test('decideMany: one outcome per request in order, ported numbers from one bulk read, bad requests fail alone', async () => {
    const porting = new MemoryPortingSource();
    await porting.set({ e164: '+819011112222', carrier: 'rakuten' });
    let bulkReads = 0;
    const getMany = porting.getMany.bind(porting);
    porting.getMany = (numbers) => {
      bulkReads++;
      return getMany(numbers);
    };
    const table = buildRoutingTable(
      {
        carriers: { ranges: { '8190': 'docomo' } },
        routes: { r: { strategy: 'failover', connectors: [{ id: 'a' }] } },
        rules: [{ name: 'default', route: 'r' }],
      },
      { fileName: 'bulk.yaml' },
    );
    const handle = new RouterHandle(table, { porting });
    const outcomes = await handle.decideMany([
      { to: '090-1111-2222', defaultCountry: 'JP', at: AT },
      { to: 'not a number', at: AT },
      { to: '+819033334444', from: 'SHOP', at: AT },
      { to: '+819033334444', from: 'Way too long sender', at: AT },
    ]);
    expect(outcomes.map((o) => (o.ok ? `${o.decision.carrier.carrier}/${o.decision.carrier.source}` : (o.error as { code: string }).code))).toEqual([
      'rakuten/mnp',
      'ROUTE_NUMBER_UNPARSABLE',
      'docomo/ranges',
      'ROUTE_SENDER_INVALID',
    ]);
    expect(bulkReads).toBe(1);
  });
});
