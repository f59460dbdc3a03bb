import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ROUTE_ERRORS, routeError, type RouteErrorCode } from '../../router/index.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const codes = Object.keys(ROUTE_ERRORS) as RouteErrorCode[];

describe('ROUTE_ error table', () => {
  test.each(codes)('%s is documented in the README with its retriable flag', (code) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row).toBeDefined();
    expect(row?.split('|')[2]?.trim()).toBe(ROUTE_ERRORS[code].retriable ? 'yes' : 'no');
  });

  test('errors carry code, retriable and details, and serialize to JSON', () => {
    const error = routeError('ROUTE_NO_HEALTHY_CONNECTOR', 'route "r"', { route: 'r' });
    expect(error.toJSON()).toEqual({ code: 'ROUTE_NO_HEALTHY_CONNECTOR', message: 'every connector of the route is down: route "r"', retriable: true, details: { route: 'r' } });
  });
});
