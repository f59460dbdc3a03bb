export * from './types.ts';
export { CODEC_ERRORS, CodecError, codecError } from './errors.ts';
export type { CodecErrorCode } from './errors.ts';
