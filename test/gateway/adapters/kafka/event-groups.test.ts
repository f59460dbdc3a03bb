/**
 * Event groups: named after the roles they serve, and a new one starts where its roles stood in the groups that
 * served them before, so a change of grouping neither skips a record for a role nor replays the topics' history.
 */
import { describe, expect, test } from 'vitest';
import { eventGroupId, groupRoles, rolesOfGroup, seedOffsets, startOffsets, type GroupOffsets } from '../../../../gateway/adapters/kafka/event-groups.ts';

const usage = { name: 'usage', topics: ['sms.events'] };
const webhooks = { name: 'webhooks', topics: ['sms.events', 'sms.inbound'] };
const campaigns = { name: 'campaigns', topics: ['sms.events', 'sms.campaigns'] };

function group(groupId: string, topics: Record<string, (string | number)[]>): GroupOffsets {
  return { groupId, topics: Object.entries(topics).map(([topic, offsets]) => ({ topic, partitions: offsets.map((offset, partition) => ({ partition, offset: String(offset) })) })) };
}

describe('group names', () => {
  test('one role keeps the name a group of its own always had; several are sorted, so every process names them alike', () => {
    expect(eventGroupId('smsgw', ['usage'])).toBe('smsgw.usage');
    expect(eventGroupId('smsgw', ['webhooks', 'usage', 'campaigns'])).toBe('smsgw.campaigns+usage+webhooks');
    expect(rolesOfGroup('smsgw', 'smsgw.campaigns+usage+webhooks')).toEqual(['campaigns', 'usage', 'webhooks']);
    expect(rolesOfGroup('smsgw', 'smsgw.status')).toEqual(['status']);
    expect(rolesOfGroup('smsgw', 'other.usage')).toBeUndefined();
    expect(rolesOfGroup('smsgw', 'smsgw.usage+')).toBeUndefined();
    // A longer prefix's group is not this prefix's, whatever its roles.
    expect(rolesOfGroup('smsgw', 'smsgw.eu.campaigns+usage')).toBeUndefined();
  });

  test('shared: one group for all the roles; separate: one each; no roles, no group', () => {
    expect(groupRoles('shared', [usage, webhooks])).toEqual([[usage, webhooks]]);
    expect(groupRoles('separate', [usage, webhooks])).toEqual([[usage], [webhooks]]);
    expect(groupRoles('shared', [])).toEqual([]);
  });
});

describe('where a new group starts', () => {
  test('from separate groups: per partition, the earliest of the roles\' offsets', () => {
    const seeds = seedOffsets('smsgw', [usage, webhooks], [group('smsgw.usage', { 'sms.events': [10, 20, 30] }), group('smsgw.webhooks', { 'sms.events': [12, 18, 30], 'sms.inbound': [4, 5, 6] })]);
    expect(seeds).toEqual([
      { topic: 'sms.events', partition: 0, offset: '10' },
      { topic: 'sms.events', partition: 1, offset: '18' },
      { topic: 'sms.events', partition: 2, offset: '30' },
      { topic: 'sms.inbound', partition: 0, offset: '4' },
      { topic: 'sms.inbound', partition: 1, offset: '5' },
      { topic: 'sms.inbound', partition: 2, offset: '6' },
    ]);
  });

  test('a role served by two groups counts where the further one got; a stale group does not pull the start back', () => {
    const previous = [group('smsgw.usage', { 'sms.events': [1, 1] }), group('smsgw.usage+webhooks', { 'sms.events': [500, 600] }), group('smsgw.webhooks', { 'sms.events': [450, 700] })];
    expect(seedOffsets('smsgw', [usage, webhooks], previous)).toEqual([
      { topic: 'sms.events', partition: 0, offset: '500' },
      { topic: 'sms.events', partition: 1, offset: '600' },
    ]);
  });

  test('back to separate groups: each role starts where the shared group stood', () => {
    const previous = [group('smsgw.campaigns+usage+webhooks', { 'sms.events': [70, 80] })];
    expect(seedOffsets('smsgw', [usage], previous)).toEqual([
      { topic: 'sms.events', partition: 0, offset: '70' },
      { topic: 'sms.events', partition: 1, offset: '80' },
    ]);
  });

  test('a partition a role committed nothing on counts from 0 (nothing of it was read for that role)', () => {
    const previous = [group('smsgw.usage', { 'sms.events': [100, -1] }), group('smsgw.webhooks', { 'sms.events': [100, 100] })];
    expect(seedOffsets('smsgw', [usage, webhooks], previous)).toEqual([
      { topic: 'sms.events', partition: 0, offset: '100' },
      { topic: 'sms.events', partition: 1, offset: '0' },
    ]);
  });

  test('a role no group served before starts where the others stand; a topic only it reads starts at the beginning', () => {
    const previous = [group('smsgw.usage', { 'sms.events': [40] }), group('smsgw.webhooks', { 'sms.events': [50], 'sms.inbound': [3] })];
    expect(seedOffsets('smsgw', [campaigns, usage, webhooks], previous)).toEqual([
      { topic: 'sms.events', partition: 0, offset: '40' },
      { topic: 'sms.inbound', partition: 0, offset: '3' },
    ]);
  });

  test('other prefixes, the receipts group and groups with nothing committed give no start', () => {
    const previous = [group('other.usage', { 'sms.events': [900] }), group('smsgw.status', { 'sms.events': [900] }), group('smsgw.usage', { 'sms.events': [-1, -1] })];
    expect(seedOffsets('smsgw', [usage], previous)).toEqual([]);
  });

  test('a group left behind by an earlier change moves forward to where its roles got, never back', () => {
    const stale = group('smsgw.usage', { 'sms.events': [5, 900] });
    const shared = group('smsgw.campaigns+usage+webhooks', { 'sms.events': [700, 800] });
    expect(startOffsets('smsgw', 'smsgw.usage', [usage], [stale, shared])).toEqual([{ topic: 'sms.events', partition: 0, offset: '700' }]);
  });

  test('a role only the group itself served holds it where it stands', () => {
    const own = group('smsgw.usage+webhooks', { 'sms.events': [10, 10] });
    const usageAlone = group('smsgw.usage', { 'sms.events': [100, 100] });
    expect(startOffsets('smsgw', 'smsgw.usage+webhooks', [usage, webhooks], [own, usageAlone])).toEqual([]);
    // Without a commit of its own, the same group starts where usage got (webhooks is new to it).
    expect(startOffsets('smsgw', 'smsgw.usage+webhooks', [usage, webhooks], [usageAlone])).toEqual([
      { topic: 'sms.events', partition: 0, offset: '100' },
      { topic: 'sms.events', partition: 1, offset: '100' },
    ]);
  });
});
