/**
 * Compose files read as `docker compose` reads them, for tests without a Docker engine: YAML with merge keys and
 * the `!reset` / `!override` tags, `${VAR...}` interpolation from a given environment, and several files merged in
 * order (mappings merged key by key, `command` / `entrypoint` / `healthcheck.test` replaced, other sequences
 * joined). Enough of the compose specification for this repository's files, not all of it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const at = (path: string): string => resolve(ROOT, path);
export const read = (path: string): string => readFileSync(at(path), 'utf8');

export type Mapping = Record<string, unknown>;

export interface Service {
  readonly image?: string;
  readonly build?: unknown;
  readonly command?: readonly string[];
  readonly environment?: Mapping;
  readonly volumes?: readonly string[];
  readonly ports?: readonly unknown[];
  readonly depends_on?: readonly string[] | Mapping;
  readonly healthcheck?: Mapping;
  readonly hostname?: string;
  readonly container_name?: string;
}

export interface Compose {
  readonly services: Record<string, Service>;
  readonly volumes?: Mapping;
}

/** `!reset`: the key goes back to its default (nothing) in the merged file. */
export class Reset {}
/** `!override`: the value replaces the earlier file's instead of being merged with it. */
export class Override {
  constructor(readonly value: unknown) {}
}

const TAGS = [
  { tag: '!reset', resolve: () => new Reset() },
  { tag: '!reset', collection: 'seq' as const, resolve: () => new Reset() },
  { tag: '!reset', collection: 'map' as const, resolve: () => new Reset() },
  { tag: '!override', collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => new Override(seq.toJSON()) },
  { tag: '!override', collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => new Override(map.toJSON()) },
];

/** Compose interpolation: `$$`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`. */
export function interpolate(value: string, env: Readonly<Record<string, string>> = {}): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string | undefined, colon: string, kind: string | undefined, arg: string) => {
    if (whole === '$$') return '$';
    const set = name !== undefined && name in env;
    const given = set ? (env[name] ?? '') : undefined;
    const missing = given === undefined || (colon === ':' && given === '');
    if (!missing) return given;
    if (kind === '?') throw new Error(`required variable ${name ?? ''} is missing a value: ${arg}`);
    return kind === '-' ? arg : (given ?? '');
  });
}

function interpolateAll(value: unknown, env: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (value instanceof Reset) return value;
  if (value instanceof Override) return new Override(interpolateAll(value.value, env));
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  return value;
}

/** One compose file, tags kept (as Reset / Override) and variables interpolated from `env` (default: none set). */
export function readComposeFile(path: string, env: Readonly<Record<string, string>> = {}): Mapping {
  return interpolateAll(parse(read(path), { merge: true, customTags: TAGS }), env) as Mapping;
}

const REPLACED = new Set(['command', 'entrypoint', 'test']);

function merge(base: unknown, over: unknown, key: string): unknown {
  if (over instanceof Override) return over.value;
  if (Array.isArray(base) && Array.isArray(over)) {
    if (REPLACED.has(key)) return over;
    const earlier: readonly unknown[] = base;
    const seen = new Set(earlier.map((item) => JSON.stringify(item)));
    return earlier.concat((over as readonly unknown[]).filter((item) => !seen.has(JSON.stringify(item))));
  }
  if (isMapping(base) && isMapping(over)) {
    const out: Mapping = { ...base };
    for (const [k, v] of Object.entries(over)) {
      if (v instanceof Reset) delete out[k];
      else out[k] = k in out ? merge(out[k], v, k) : strip(v);
    }
    return out;
  }
  return strip(over);
}

/** A value new in a later file: its own `!reset` keys mean nothing, `!override` is the value. */
function strip(value: unknown): unknown {
  if (value instanceof Override) return value.value;
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).filter(([, v]) => !(v instanceof Reset)).map(([k, v]) => [k, strip(v)]));
  return value;
}

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Reset) && !(value instanceof Override);
}

/** The files merged in order, as `docker compose -f a -f b ...` would. */
export function loadCompose(paths: readonly string[], env: Readonly<Record<string, string>> = {}): Compose {
  const [first, ...rest] = paths.map((path) => readComposeFile(path, env));
  return rest.reduce<unknown>((merged, file) => merge(merged, file, ''), strip(first)) as Compose;
}

export function serviceOf(compose: Compose, name: string): Service {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`the compose file has no service ${name}`);
  return found;
}

/** `source:target[:mode]` entries whose source is a path (a named volume has none of . / ~). */
export function mounts(s: Service): { source: string; target: string; bind: boolean }[] {
  return (s.volumes ?? []).map((entry) => {
    const [source = '', target = ''] = entry.split(':');
    return { source, target, bind: /^[./~]/.test(source) };
  });
}

export function dependsOn(s: Service): string[] {
  if (s.depends_on === undefined) return [];
  return Array.isArray(s.depends_on) ? [...(s.depends_on as readonly string[])] : Object.keys(s.depends_on);
}
