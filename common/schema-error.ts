/** The shape of a JSON Schema validation error (ajv's ErrorObject), without depending on ajv here. */
export interface SchemaErrorLike {
  readonly instancePath: string;
  readonly params: unknown;
  readonly message?: string;
}

/**
 * The field a schema error is about (dotted path, or the missing / unknown property it names) and what is wrong
 * with it, worded for people (`root` names the whole document when no field is at fault): every layer that validates configuration or requests reports fields the same way.
 */
export function describeSchemaError(error: SchemaErrorLike | undefined, root = ''): { field: string; problem: string } {
  if (error === undefined) return { field: root, problem: 'is invalid' };
  const params = (error.params ?? {}) as { missingProperty?: unknown; additionalProperty?: unknown };
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
  const named = missing ?? extra;
  const field = (named === undefined ? path : path === '' ? named : `${path}.${named}`) || root;
  return { field, problem: extra === undefined ? (error.message ?? 'is invalid') : 'is not a known field' };
}
