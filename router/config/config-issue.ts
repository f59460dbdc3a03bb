import { routeError, type RouteError } from '../errors.ts';

/** One problem in a configuration file, located well enough to fix it without reading code. */
export interface ConfigIssue {
  readonly file: string;
  /** Dotted path into the document, e.g. `rules[2].match.time.from`. */
  readonly path: string;
  /** The rule (or route / sender rule) the problem is in, when there is one. */
  readonly rule?: { readonly index: number; readonly name?: string };
  readonly field: string;
  readonly message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.rule === undefined ? '' : ` rule ${issue.rule.index}${issue.rule.name === undefined ? '' : ` "${issue.rule.name}"`}:`;
  return `${issue.file}:${where} ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`;
}

export function configError(issues: readonly ConfigIssue[]): RouteError {
  const first = issues[0];
  const detail = first === undefined ? undefined : issues.length === 1 ? formatIssue(first) : `${formatIssue(first)} (and ${issues.length - 1} more)`;
  return routeError('ROUTE_CONFIG_INVALID', detail, { file: first?.file, issues: issues.map((i) => ({ ...i, text: formatIssue(i) })) });
}
