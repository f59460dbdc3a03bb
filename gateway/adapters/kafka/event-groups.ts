/**
 * Which consumer groups read the event topics, and where a new one starts.
 *
 * With `kafka.eventGroups: shared` (the default) a process reads the event topics once, in one group for all the
 * event roles it runs, and hands each batch to every role's handler; `separate` gives each role a group of its
 * own (each fetches and decodes every record again, but a role whose handler keeps failing holds up only itself).
 * A group is named after the roles it serves, so processes that run the same roles share one and the partitions
 * are split between them: `<prefix>.usage` for one role, `<prefix>.campaigns+usage+webhooks` for several.
 *
 * A group that has never committed would start at the beginning of its topics (nothing skipped), and so replay
 * days of events through handlers whose duplicate checks do not reach that far back; one left behind by an earlier
 * change would replay everything since. When the groups change (an upgrade to shared groups, another role set,
 * back to separate) the group starts instead where its roles stand in all the groups that served them: for each
 * role the furthest any of its groups got, and of those the earliest, so no role misses a record; a group is only
 * ever moved forward. A role no group served before starts where the others stand.
 */

/** An event role this process runs: its handler's name and the topics it reads. */
export interface EventRole {
  readonly name: string;
  readonly topics: readonly string[];
}

/** One group's committed offsets (`-1`: none on that partition). */
export interface GroupOffsets {
  readonly groupId: string;
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly { readonly partition: number; readonly offset: string }[] }[];
}

export interface SeedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export type EventGroupsMode = 'shared' | 'separate';

const ROLE_SEPARATOR = '+';

/** The group that serves `roles` (their names). */
export function eventGroupId(prefix: string, roles: readonly string[]): string {
  return `${prefix}.${[...roles].sort().join(ROLE_SEPARATOR)}`;
}

/**
 * The role names a group of this prefix serves, or undefined for a group that is not this prefix's: a role name
 * has no dot, so `smsgw.eu.usage` belongs to the prefix `smsgw.eu`, not to `smsgw`.
 */
export function rolesOfGroup(prefix: string, groupId: string): string[] | undefined {
  if (!groupId.startsWith(`${prefix}.`)) return undefined;
  const roles = groupId.slice(prefix.length + 1).split(ROLE_SEPARATOR);
  return roles.some((role) => role === '' || role.includes('.')) ? undefined : roles;
}

/** A committed offset as a number; undefined for Kafka's `-1` (nothing committed on that partition). */
function committedOffset(offset: string): bigint | undefined {
  return /^\d+$/.test(offset) ? BigInt(offset) : undefined;
}

/** How this process's event roles are grouped: one group for all, or one each. */
export function groupRoles(mode: EventGroupsMode, roles: readonly EventRole[]): EventRole[][] {
  if (roles.length === 0) return [];
  return mode === 'shared' ? [[...roles]] : roles.map((role) => [role]);
}

/**
 * Where a group serving `roles` starts, from the committed offsets of other groups of the prefix: per topic and
 * partition, the earliest over the roles of the furthest any group serving that role committed. A role counts on a
 * topic once some group serving it committed there (a partition it committed nothing on counts as 0: nothing of it
 * was read); a topic no role counts on gets no seed (the group starts at its beginning).
 */
export function seedOffsets(prefix: string, roles: readonly EventRole[], previous: readonly GroupOffsets[]): SeedOffset[] {
  const seeds: SeedOffset[] = [];
  const topics = [...new Set(roles.flatMap((role) => role.topics))];
  for (const topic of topics) {
    const furthest: Map<number, bigint>[] = [];
    const partitions = new Set<number>();
    for (const role of roles) {
      if (!role.topics.includes(topic)) continue;
      const reached = furthestOf(prefix, role.name, topic, previous);
      if (reached === undefined) continue;
      furthest.push(reached);
      for (const partition of reached.keys()) partitions.add(partition);
    }
    if (furthest.length === 0) continue;
    for (const partition of [...partitions].sort((a, b) => a - b)) {
      const earliest = furthest.map((reached) => reached.get(partition) ?? 0n).reduce((a, b) => (b < a ? b : a));
      seeds.push({ topic, partition, offset: earliest.toString() });
    }
  }
  return seeds;
}

/** Per partition, the furthest offset any group serving `role` committed on `topic`; undefined when none did. */
function furthestOf(prefix: string, role: string, topic: string, previous: readonly GroupOffsets[]): Map<number, bigint> | undefined {
  let reached: Map<number, bigint> | undefined;
  for (const group of previous) {
    if (rolesOfGroup(prefix, group.groupId)?.includes(role) !== true) continue;
    for (const entry of group.topics) {
      if (entry.topic !== topic) continue;
      for (const { partition, offset } of entry.partitions) {
        const value = committedOffset(offset);
        if (value === undefined) continue;
        reached ??= new Map();
        if ((reached.get(partition) ?? -1n) < value) reached.set(partition, value);
      }
    }
  }
  return reached;
}

/**
 * The partitions where the group `groupId` should start further on than it stands: `groups` are the committed
 * offsets of its prefix's groups, its own among them when it has any (so a role only it served holds the start back).
 */
export function startOffsets(prefix: string, groupId: string, roles: readonly EventRole[], groups: readonly GroupOffsets[]): SeedOffset[] {
  const own = new Map<string, bigint>();
  for (const entry of groups.find((group) => group.groupId === groupId)?.topics ?? []) {
    for (const { partition, offset } of entry.partitions) {
      const value = committedOffset(offset);
      if (value !== undefined) own.set(`${entry.topic}:${partition}`, value);
    }
  }
  return seedOffsets(prefix, roles, groups).filter((seed) => BigInt(seed.offset) > (own.get(`${seed.topic}:${seed.partition}`) ?? -1n));
}
