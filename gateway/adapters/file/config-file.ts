import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { gatewayError } from '../../errors.ts';

/**
 * Reads a gateway configuration file into its document. A file that cannot be read, YAML that does not parse
 * (named as `FILE:LINE:COLUMN`, as editors and compilers print it) and a document that is not a mapping are
 * GW_INVALID_CONFIG; the sections themselves are judged by parseGatewayConfig and the router.
 */
export function readConfigFile(path: string): Record<string, unknown> {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    throw gatewayError('GW_INVALID_CONFIG', `${path}: cannot read: ${error instanceof Error ? error.message : String(error)}`, { file: path, field: '', cause: error instanceof Error ? error.message : String(error) });
  }
  const document = parseDocument(content, { prettyErrors: true });
  const [first] = document.errors;
  if (first !== undefined) {
    const at = first.linePos?.[0];
    const where = at === undefined ? path : `${path}:${at.line}:${at.col}`;
    const message = (first.message.split('\n')[0] ?? 'YAML syntax error').replace(/ at line \d+, column \d+:?$/, '');
    throw gatewayError('GW_INVALID_CONFIG', `${where}: YAML syntax: ${message}`, { file: path, field: '', line: at?.line, column: at?.col });
  }
  const value: unknown = document.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw gatewayError('GW_INVALID_CONFIG', `${path}: the file must be a mapping of sections (server, accounts, connectors, routes, ...)`, { file: path, field: '' });
  }
  return value as Record<string, unknown>;
}
