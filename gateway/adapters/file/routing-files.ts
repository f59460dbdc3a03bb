import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BUILTIN_RANGE_FILES,
  DEFAULT_ROUTING_FILE_NAME,
  DEFAULT_ROUTING_YAML,
  buildRoutingTable,
  parseRangeData,
  parseRoutingYaml,
  routeError,
  type PrefixEntry,
  type RouterHandle,
  type ReloadResult,
  type RoutingTable,
} from '../../../router/index.ts';

/**
 * The file side of routing configuration: the router takes contents, this module reads them. Used by
 * `smsgw route` and by the gateway's reload (SIGHUP, admin call): `reloadRoutingFile(handle, path)`.
 */
const DATA_DIR = fileURLToPath(new URL('../../../router/data/', import.meta.url));

let builtinRanges: readonly (readonly PrefixEntry[])[] | undefined;

/** The range data shipped in router/data, read once per process (it only changes with a release). */
export function readBuiltinRanges(): readonly (readonly PrefixEntry[])[] {
  builtinRanges ??= BUILTIN_RANGE_FILES.map(({ file, source }) => parseRangeData(readFileSync(resolve(DATA_DIR, file), 'utf8'), source, file));
  return builtinRanges;
}

export interface LoadRoutingOptions {
  /** Connector ids known from elsewhere; by default taken from the file's `connectors` section, if any. */
  readonly connectorIds?: ReadonlySet<string>;
}

/**
 * Reads and validates a configuration file (or the built-in default when `path` is undefined) into a
 * RoutingTable. Throws ROUTE_CONFIG_INVALID naming the file, rule and field.
 */
export function loadRoutingFile(path: string | undefined, options: LoadRoutingOptions = {}): RoutingTable {
  const fileName = path ?? DEFAULT_ROUTING_FILE_NAME;
  let content: string;
  try {
    content = path === undefined ? DEFAULT_ROUTING_YAML : readFileSync(path, 'utf8');
  } catch (error: unknown) {
    throw routeError('ROUTE_CONFIG_INVALID', `${fileName}: cannot read: ${error instanceof Error ? error.message : String(error)}`, { file: fileName }, { cause: error });
  }
  const document = parseRoutingYaml(content, fileName);
  const carriers = (document as { carriers?: { rangeFiles?: unknown; builtinRanges?: unknown } } | null)?.carriers;
  const layers: (readonly PrefixEntry[])[] = carriers?.builtinRanges === false ? [] : [...readBuiltinRanges()];
  const rangeFiles = Array.isArray(carriers?.rangeFiles) ? carriers.rangeFiles.filter((f): f is string => typeof f === 'string') : [];
  const base = path === undefined ? process.cwd() : dirname(resolve(path));
  rangeFiles.forEach((file, index) => {
    const full = resolve(base, file);
    let data: string;
    try {
      data = readFileSync(full, 'utf8');
    } catch (error: unknown) {
      throw routeError('ROUTE_CONFIG_INVALID', `${fileName}: carriers.rangeFiles[${index}]: cannot read "${file}"`, { file: fileName, field: `carriers.rangeFiles[${index}]`, value: file }, { cause: error });
    }
    layers.push(parseRangeData(data, 'ranges', file));
  });
  return buildRoutingTable(document, { fileName, rangeEntries: layers, connectorIds: options.connectorIds, version: versionOf(content) });
}

/** What SIGHUP and the admin reload call: a bad file is refused and the table in force stays. */
export function reloadRoutingFile(handle: RouterHandle, path: string | undefined, options: LoadRoutingOptions = {}): ReloadResult {
  return handle.reload(() => loadRoutingFile(path, options));
}

function versionOf(content: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < content.length; i++) hash = Math.imul(hash ^ content.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
