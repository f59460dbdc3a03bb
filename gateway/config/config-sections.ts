import { ROUTING_SCHEMA } from '../../router/index.ts';

/**
 * The top-level sections a configuration file may have, by the part that validates each. One list, so a
 * misspelt or misplaced section (`acounts:`, `retry:` instead of `dispatch:`) is refused instead of ignored.
 * A part that grows a section adds its name here and validates the section's body in its own schema.
 */
export const CONFIG_SECTIONS: Readonly<Record<string, readonly string[]>> = {
  gateway: ['server', 'accounts', 'connectors', 'dispatch', 'kafka', 'webhooks', 'usage', 'memory', 'links', 'console'],
  router: Object.keys(ROUTING_SCHEMA.properties),
};

const KNOWN: ReadonlySet<string> = new Set(Object.values(CONFIG_SECTIONS).flat());

/** The document's top-level keys that no part of the gateway reads, in file order. */
export function unknownSections(document: object): string[] {
  return Object.keys(document).filter((key) => !KNOWN.has(key));
}

export function knownSections(): string[] {
  return [...KNOWN];
}
