/**
 * Moves an event group on to where its roles stand in the other groups that served them (see event-groups.ts),
 * through the Kafka admin API, before the group is joined. Kafka sets a group's offsets only while it has no
 * members, so a group another process already runs is refused: that process's progress stands.
 */
import type { Admin } from 'kafkajs';
import { rolesOfGroup, startOffsets, type EventRole, type GroupOffsets, type SeedOffset } from './event-groups.ts';

export interface SeedResult {
  /** The groups the seed was taken from. */
  readonly from: readonly string[];
  readonly offsets: readonly SeedOffset[];
}

/** Moves `groupId` on where its roles' other groups got further; undefined when there was nothing to move. */
export async function seedEventGroup(admin: Admin, prefix: string, groupId: string, roles: readonly EventRole[]): Promise<SeedResult | undefined> {
  const topics = [...new Set(roles.flatMap((role) => role.topics))];
  const names = new Set(roles.map((role) => role.name));
  const { groups } = await admin.listGroups();
  const others = groups
    .map((group) => group.groupId)
    .filter((id) => id !== groupId && rolesOfGroup(prefix, id)?.some((role) => names.has(role)) === true)
    .sort();
  if (others.length === 0) return undefined;
  const committed: GroupOffsets[] = [];
  for (const id of [groupId, ...others]) committed.push({ groupId: id, topics: await admin.fetchOffsets({ groupId: id, topics }) });
  const offsets = startOffsets(prefix, groupId, roles, committed);
  if (offsets.length === 0) return undefined;
  for (const topic of new Set(offsets.map((seed) => seed.topic))) {
    const partitions = offsets.filter((seed) => seed.topic === topic).map(({ partition, offset }) => ({ partition, offset }));
    await admin.setOffsets({ groupId, topic, partitions });
  }
  return { from: others, offsets };
}
