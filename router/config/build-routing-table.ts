import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import type { PrefixEntry } from '../carriers/prefix-table.ts';
import { parseOriginator } from '../numbers/originator.ts';
import { RoutingTable } from '../rules/routing-table.ts';
import { compileRule } from '../rules/compiled-rule.ts';
import { isTimeZone } from '../rules/time-window.ts';
import { configError, type ConfigIssue } from './config-issue.ts';
import type { RoutingConfig } from './routing-config.ts';
import { ROUTING_SCHEMA } from './routing-schema.ts';

export interface BuildOptions {
  /** Named in every error. */
  readonly fileName: string;
  /** Range data in increasing precedence (bulk carrier data first, curated ranges after). */
  readonly rangeEntries?: readonly (readonly PrefixEntry[])[];
  /** Connector ids the rest of the configuration defines; taken from a `connectors` section when absent. */
  readonly connectorIds?: ReadonlySet<string>;
  readonly version?: string;
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile<RoutingConfig>(ROUTING_SCHEMA);

/** Parses YAML text; syntax errors become ROUTE_CONFIG_INVALID naming the file and line. */
export function parseRoutingYaml(content: string, fileName: string): unknown {
  const document = parseDocument(content, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw configError(
      document.errors.map((e) => ({
        file: fileName,
        path: e.linePos?.[0] === undefined ? '' : `line ${e.linePos[0].line} column ${e.linePos[0].col}`,
        field: '',
        message: (e.message.split('\n')[0] ?? 'YAML syntax error').replace(/ at line \d+, column \d+:?$/, ''),
      })),
    );
  }
  return document.toJS() as unknown;
}

/** YAML text to a validated RoutingTable; throws ROUTE_CONFIG_INVALID listing every problem. */
export function loadRoutingTable(content: string, options: BuildOptions): RoutingTable {
  return buildRoutingTable(parseRoutingYaml(content, options.fileName), { ...options, version: options.version ?? contentHash(content) });
}

/**
 * Validates a parsed configuration document (JSON Schema for shape, then cross-references: routes named by
 * rules, connectors named by routes, time zones, sender rewrites, a default rule last) and compiles it.
 * Unknown top-level sections belong to other parts of the gateway and are ignored.
 */
export function buildRoutingTable(document: unknown, options: BuildOptions): RoutingTable {
  const file = options.fileName;
  if (!validate(document)) {
    throw configError(schemaIssues(validate.errors ?? [], document, file));
  }
  const config = document;
  const issues = crossCheck(config, file, options.connectorIds ?? connectorIdsOf(document));
  if (issues.length > 0) throw configError(issues);
  const table = new RoutingTable(config, file, options.version ?? 'inline', options.rangeEntries ?? []);
  // A profile for a carrier no number can ever have is a typo that would silently leave the real carrier unlimited.
  const unknown = Object.keys(config.carriers?.profiles ?? {}).filter((carrier) => !table.knownCarriers.has(carrier));
  if (unknown.length > 0) {
    throw configError(unknown.map((carrier) => ({ file, path: `carriers.profiles.${carrier}`, field: 'profiles', message: `carrier "${carrier}" is not named by any range, name or default` })));
  }
  return table;
}

/** Connector ids from a `connectors` section: a list of objects with `id`, or a map keyed by id. */
export function connectorIdsOf(document: unknown): ReadonlySet<string> | undefined {
  const section = (document as { connectors?: unknown }).connectors;
  if (Array.isArray(section)) {
    return new Set(section.flatMap((c: unknown) => (typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'string' ? [(c as { id: string }).id] : [])));
  }
  if (typeof section === 'object' && section !== null) return new Set(Object.keys(section));
  return undefined;
}

function crossCheck(config: RoutingConfig, file: string, connectorIds: ReadonlySet<string> | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Map<string, number>();
  config.rules.forEach((rule, index) => {
    const at = { index, name: rule.name };
    const issue = (field: string, message: string): void => {
      issues.push({ file, path: `rules[${index}].${field}`, rule: at, field, message });
    };
    if (config.routes[rule.route] === undefined) issue('route', `route "${rule.route}" is not defined in routes`);
    const previous = names.get(rule.name);
    if (previous !== undefined) issue('name', `name "${rule.name}" is already used by rule ${previous}`);
    names.set(rule.name, index);
    const timezone = rule.match?.time?.timezone;
    if (timezone !== undefined && !isTimeZone(timezone)) issue('match.time.timezone', `"${timezone}" is not an IANA time zone`);
    const catchAll = timezone === undefined || isTimeZone(timezone) ? compileRule(rule, index).isCatchAll : false;
    if (catchAll && index < config.rules.length - 1) {
      issue('match', `matches every message, so the ${config.rules.length - 1 - index} rule(s) after it can never match; put the default rule last`);
    }
    if (!catchAll && index === config.rules.length - 1) issue('match', 'the last rule must be the default rule (no match conditions)');
  });
  for (const [id, route] of Object.entries(config.routes)) {
    const seen = new Set<string>();
    route.connectors.forEach((connector, i) => {
      const path = `routes.${id}.connectors[${i}]`;
      if (seen.has(connector.id)) issues.push({ file, path: `${path}.id`, field: 'id', message: `connector "${connector.id}" is listed twice` });
      seen.add(connector.id);
      if (connectorIds !== undefined && !connectorIds.has(connector.id)) {
        issues.push({ file, path: `${path}.id`, field: 'id', message: `connector "${connector.id}" is not defined in connectors` });
      }
      if (route.strategy === 'least-cost' && connector.price === undefined) {
        issues.push({ file, path: `${path}.price`, field: 'price', message: 'a least-cost route needs a price for every connector' });
      }
    });
    if (route.strategy === 'weighted' && !route.connectors.some((c) => (c.weight ?? 1) > 0)) {
      issues.push({ file, path: `routes.${id}.connectors`, field: 'weight', message: 'a weighted route needs at least one weight above 0' });
    }
  }
  (config.senderRules ?? []).forEach((rule, index) => {
    const at = rule.name === undefined ? { index } : { index, name: rule.name };
    const issue = (field: string, message: string): void => {
      issues.push({ file, path: `senderRules[${index}].${field}`, rule: at, field, message });
    };
    (rule.senders ?? []).forEach((sender, i) => {
      const problem = originatorProblem(sender);
      if (problem !== undefined) issue(`senders[${i}]`, problem);
    });
    if (rule.rewrite !== undefined) {
      const problem = originatorProblem(rule.rewrite);
      if (problem !== undefined) {
        issue('rewrite', problem);
      } else {
        const rewrite = parseOriginator(rule.rewrite);
        const approved = rule.senders?.map((s) => (originatorProblem(s) === undefined ? parseOriginator(s).value : s));
        if ((rule.allow !== undefined && !rule.allow.includes(rewrite.kind)) || (approved !== undefined && !approved.includes(rewrite.value))) {
          issue('rewrite', `"${rule.rewrite}" (${rewrite.kind}) is not accepted by this rule's own allow/senders`);
        }
      }
    }
  });
  return issues;
}

function originatorProblem(value: string): string | undefined {
  try {
    parseOriginator(value);
    return undefined;
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}

function schemaIssues(errors: readonly ErrorObject[], document: unknown, file: string): ConfigIssue[] {
  const byPath = new Map<string, string[]>();
  for (const error of errors) {
    const extra = typeof error.params.additionalProperty === 'string' ? `/${error.params.additionalProperty}` : '';
    const missing = typeof error.params.missingProperty === 'string' ? `/${error.params.missingProperty}` : '';
    const pointer = `${error.instancePath}${extra}${missing}`;
    const message = extra !== '' ? 'is not a known field' : (error.message ?? 'is invalid');
    const list = byPath.get(pointer) ?? [];
    if (!list.includes(message)) list.push(message);
    byPath.set(pointer, list);
  }
  return [...byPath].map(([pointer, messages]) => {
    const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const path = segments.reduce((acc, s) => (/^[0-9]+$/.test(s) ? `${acc}[${s}]` : acc === '' ? s : `${acc}.${s}`), '');
    const rule = ruleOf(segments, document);
    const fieldStart = rule === undefined ? 0 : 2;
    const field = segments.slice(fieldStart).reduce((acc, s) => (/^[0-9]+$/.test(s) ? `${acc}[${s}]` : acc === '' ? s : `${acc}.${s}`), '');
    const issue: ConfigIssue = { file, path, field, message: messages.join(' or ') };
    return rule === undefined ? issue : { ...issue, rule };
  });
}

function ruleOf(segments: readonly string[], document: unknown): ConfigIssue['rule'] {
  const [section, index] = segments;
  if ((section !== 'rules' && section !== 'senderRules') || index === undefined || !/^[0-9]+$/.test(index)) return undefined;
  const list = (document as Record<string, unknown>)[section];
  const item: unknown = Array.isArray(list) ? list[Number(index)] : undefined;
  const name = typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? { index: Number(index), name } : { index: Number(index) };
}

/** FNV-1a over the text: a short version id that changes when the configuration does. */
function contentHash(content: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < content.length; i++) {
    hash ^= content.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
