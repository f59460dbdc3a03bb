/**
 * The admin API's own credential: `Authorization: Bearer <admin token>`, checked against `server.adminTokenHash`
 * (the SHA-256 hex of the token; the token itself is never configured). Account API keys are not admin tokens
 * and the admin token is no account key: each side's check knows only its own. Failed attempts are counted per
 * client address; past the limit the address is refused (429) before any comparison, so the token cannot be
 * guessed at speed, and the comparison itself runs in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashApiKey } from '../gateway/index.ts';
import { bearerToken } from './auth.ts';
import { apiError } from './errors.ts';

/** Failed admin attempts allowed per client address in one window. */
export const ADMIN_FAILURES_PER_WINDOW = 10;
export const ADMIN_FAILURE_WINDOW_MS = 60_000;
/** Addresses tracked at most: beyond this the oldest windows are dropped first. */
const MAX_TRACKED = 10_000;

export class AdminAuth {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    /** The configured hash, read on every request: a reload may set, change or remove it. */
    private readonly tokenHash: () => string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the admin API is on (a hash is configured); off, its paths answer 404 as if absent. */
  get enabled(): boolean {
    return this.tokenHash() !== undefined;
  }

  /** Throws API_NOT_FOUND (off), API_RATE_LIMITED (too many failures from this address) or API_UNAUTHORIZED. */
  check(request: FastifyRequest, reply: FastifyReply): void {
    const expected = this.tokenHash();
    if (expected === undefined) throw apiError('API_NOT_FOUND', `${request.method} ${request.url}`);
    const now = this.now();
    const window = this.failures.get(request.ip);
    const open = window !== undefined && now - window.since < ADMIN_FAILURE_WINDOW_MS;
    if (open && window.count >= ADMIN_FAILURES_PER_WINDOW) {
      const wait = Math.max(1, Math.ceil((window.since + ADMIN_FAILURE_WINDOW_MS - now) / 1000));
      void reply.header('retry-after', String(wait));
      throw apiError('API_RATE_LIMITED', `too many failed admin attempts from ${request.ip}`, { retryAfter: wait });
    }
    const given = bearerToken(request);
    if (given !== undefined && timingSafeEqual(Buffer.from(hashApiKey(given), 'hex'), Buffer.from(expected.toLowerCase(), 'hex'))) return;
    if (open) window.count += 1;
    else {
      if (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value ?? '');
      this.failures.delete(request.ip);
      this.failures.set(request.ip, { count: 1, since: now });
    }
    throw apiError('API_UNAUTHORIZED', 'the admin API needs the admin token (an account API key is not one)');
  }
}
