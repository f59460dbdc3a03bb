export { buildApp } from './build-app.ts';
export type { BuildAppOptions } from './build-app.ts';
export { API_ERRORS, ApiError, apiError, httpStatusFor } from './errors.ts';
export type { ApiErrorCode } from './errors.ts';
