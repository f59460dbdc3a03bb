export { CodedError, errorFactory, isCodedError } from './coded-error.ts';
export type { ErrorSpec, ErrorTable, ErrorDetails, ErrorFactory } from './coded-error.ts';
export { describeSchemaError } from './schema-error.ts';
export type { SchemaErrorLike } from './schema-error.ts';
export { RecentMap } from './recent-map.ts';
export { maskDigits } from './mask-digits.ts';
export { seededRandom } from './seeded-random.ts';
export { isoTime } from './iso-time.ts';
