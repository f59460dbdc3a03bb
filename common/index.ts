export { CodedError, isCodedError } from './coded-error.ts';
export type { ErrorSpec, ErrorTable, ErrorDetails } from './coded-error.ts';
