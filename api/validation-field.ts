import { describeSchemaError, type SchemaErrorLike } from '../common/index.ts';

/** The request field an ajv error is about: the path, or the missing / unknown property it names. */
export function fieldOf(error: SchemaErrorLike | undefined): string {
  return describeSchemaError(error).field;
}
