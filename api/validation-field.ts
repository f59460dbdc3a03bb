/** The request field an ajv error is about: the path, or the missing / unknown property it names. */
export function fieldOf(error: { instancePath: string; params: unknown } | undefined): string {
  if (error === undefined) return '';
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const named = params.missingProperty ?? params.additionalProperty;
  return named === undefined ? path : path === '' ? named : `${path}.${named}`;
}
