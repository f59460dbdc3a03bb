/**
 * Short links: made for a target URL (one per recipient and URL), followed at `GET /l/{code}`. Following a live
 * link redirects to its target (with the signed click token when the link asks for it) and counts the click:
 * a human's, or a bot's (a previewer or a HEAD request, see link-previewers.ts). Every counted click goes to the
 * `clicked` hook (the gateway records the first human click on the message's timeline and publishes the
 * `link.clicked` event; campaigns learn of clicks there too). Unknown and expired codes never reveal the target.
 */
import { gatewayError } from '../errors.ts';
import type { ClickKind, LinkStore, ShortLink } from '../ports/link-store.ts';
import { DEFAULT_LINK_CODE_LENGTH, isLinkCode, MAX_LINK_CODE_LENGTH, MIN_LINK_CODE_LENGTH, newLinkCode } from './link-code.ts';
import { isBotRequest } from './link-previewers.ts';
import { signLinkToken } from './link-token.ts';

export interface LinkSettings {
  /** The links' origin, e.g. `https://s.example.jp` (no path); links are `<baseUrl>/l/<code>`. */
  readonly baseUrl?: string;
  /** Characters of a code (default 10, at least 8). */
  readonly codeLength?: number;
  /** Lifetime of a link made without one (and at least that of a shortened message's links; default 30 days). */
  readonly defaultTtlSeconds?: number;
  /** How long after its expiry a link still answers 410 rather than 404 (default 30 days). */
  readonly graceSeconds?: number;
  /** Append the signed click token to redirects by default (default false). */
  readonly appendToken?: boolean;
  /** The query parameter of the click token (default `t`). */
  readonly tokenParam?: string;
}

export interface LinkServiceOptions extends LinkSettings {
  readonly store: LinkStore;
  /** The origin when `baseUrl` is not set: read when a link is made (the listening address is known late). */
  readonly fallbackBaseUrl?: () => string;
  /** The account's webhook secret: its click tokens are signed with a key derived from it (none: no tokens). */
  readonly tokenSecret: (accountId: string) => string | undefined;
  /** Every counted click (human or bot), after it is stored; a failure is counted by the caller's metrics. */
  readonly clicked?: (click: LinkClick) => Promise<void>;
  /** Misses: an unknown or expired code. */
  readonly missed?: (reason: 'unknown' | 'expired') => void;
  readonly now?: () => number;
}

export interface NewLink {
  readonly accountId: string;
  readonly target: string;
  /** Epoch ms; or `ttlSeconds` from now; neither: `defaultTtlSeconds`. */
  readonly expiresAt?: number;
  readonly ttlSeconds?: number;
  readonly messageId?: string;
  readonly campaignId?: string;
  /** E.164; a click token needs it. */
  readonly recipient?: string;
  /** Override `appendToken` for this link. */
  readonly appendToken?: boolean;
}

export interface MadeLink {
  readonly code: string;
  readonly url: string;
  readonly expiresAt: number;
}

/**
 * A counted click: `first` is the link's first human click, the one timelines and campaign statuses record.
 * Bots are redirected without the click token, so a previewer's fetch never reads as the recipient's visit.
 */
export interface LinkClick {
  readonly link: ShortLink;
  readonly at: number;
  readonly kind: ClickKind;
  readonly first: boolean;
}

export type FollowAnswer =
  | { readonly outcome: 'redirect'; readonly location: string; readonly click: LinkClick }
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'expired' };

const DAY_S = 86_400;
const MAX_TTL_S = 366 * DAY_S;
const DEFAULT_TTL_S = 30 * DAY_S;
const MAX_TARGET_LENGTH = 2048;
const CREATE_ATTEMPTS = 5;

export class LinkService {
  readonly codeLength: number;
  private readonly now: () => number;

  constructor(private readonly options: LinkServiceOptions) {
    this.now = options.now ?? Date.now;
    this.codeLength = options.codeLength ?? DEFAULT_LINK_CODE_LENGTH;
    if (!Number.isInteger(this.codeLength) || this.codeLength < MIN_LINK_CODE_LENGTH || this.codeLength > MAX_LINK_CODE_LENGTH) {
      throw gatewayError('GW_INVALID_CONFIG', `links.codeLength ${this.codeLength} is not an integer from ${MIN_LINK_CODE_LENGTH} to ${MAX_LINK_CODE_LENGTH}`, { field: 'links.codeLength' });
    }
    if (options.baseUrl !== undefined) checkBaseUrl(options.baseUrl);
  }

  /** The origin links are made on (no trailing slash). */
  get baseUrl(): string {
    const base = this.options.baseUrl ?? this.options.fallbackBaseUrl?.() ?? 'http://127.0.0.1:3000';
    return base.replace(/\/+$/, '');
  }

  /**
   * The expiry of a message's links: the message's validity end, or `defaultTtlSeconds` from now when that is
   * later (a recipient may read the message days after it arrived).
   */
  messageLinkExpiry(validityEnd: number): number {
    return Math.max(validityEnd, this.now() + (this.options.defaultTtlSeconds ?? DEFAULT_TTL_S) * 1000);
  }

  /** Where codes go and how long they are: a campaign preview renders `{{link}}` as `<prefix><code>` of this length. */
  shape(): { readonly baseUrl: string; readonly codeLength: number } {
    return { baseUrl: `${this.baseUrl}/l/`, codeLength: this.codeLength };
  }

  /** A URL exactly as long as every link made now: a preview puts it in place of each link to count segments. */
  sampleUrl(): string {
    return `${this.baseUrl}/l/${'x'.repeat(this.codeLength)}`;
  }

  async create(request: NewLink): Promise<MadeLink> {
    const createdAt = this.now();
    checkTarget(request.target);
    const expiresAt = this.expiryOf(request, createdAt);
    const token = request.appendToken ?? this.options.appendToken ?? false;
    if (token) {
      if (request.recipient === undefined) throw gatewayError('GW_INVALID_REQUEST', 'a link with a click token needs its recipient', { field: 'recipient' });
      if (this.options.tokenSecret(request.accountId) === undefined) {
        throw gatewayError('GW_CALLBACK_WITHOUT_SECRET', `account ${request.accountId} has no callbackSecret to sign click tokens with`, { field: 'appendToken' });
      }
    }
    const retainUntil = expiresAt + (this.options.graceSeconds ?? 30 * DAY_S) * 1000;
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt += 1) {
      const code = newLinkCode(this.codeLength);
      const made = await this.options.store.create(
        {
          code,
          accountId: request.accountId,
          target: request.target,
          expiresAt,
          createdAt,
          ...(request.messageId === undefined ? {} : { messageId: request.messageId }),
          ...(request.campaignId === undefined ? {} : { campaignId: request.campaignId }),
          ...(request.recipient === undefined ? {} : { recipient: request.recipient }),
          ...(token ? { token: true } : {}),
        },
        retainUntil,
      );
      if (made) return { code, url: `${this.baseUrl}/l/${code}`, expiresAt };
    }
    // Five collisions in a row in a space of 62^8 or more: the store is not answering as it should.
    throw gatewayError('GW_STORE_UNAVAILABLE', `no free short link code after ${CREATE_ATTEMPTS} attempts`);
  }

  get(code: string): Promise<ShortLink | undefined> {
    return isLinkCode(code) ? this.options.store.get(code) : Promise.resolve(undefined);
  }

  /** A request for `/l/{code}`: the redirect (the click counted) or why there is none. */
  async follow(code: string, request: { readonly method: string; readonly userAgent?: string | undefined }): Promise<FollowAnswer> {
    if (!isLinkCode(code)) return this.miss('unknown');
    const at = this.now();
    const kind: ClickKind = isBotRequest(request.method, request.userAgent) ? 'bot' : 'human';
    const result = await this.options.store.click(code, kind, at);
    if (result.outcome !== 'counted') return this.miss(result.outcome);
    const click: LinkClick = { link: result.link, at, kind, first: result.first };
    await this.options.clicked?.(click);
    return { outcome: 'redirect', location: kind === 'bot' ? result.link.target : this.location(result.link), click };
  }

  private miss(reason: 'unknown' | 'expired'): FollowAnswer {
    this.options.missed?.(reason);
    return { outcome: reason };
  }

  private location(link: ShortLink): string {
    const secret = link.token === true && link.recipient !== undefined ? this.options.tokenSecret(link.accountId) : undefined;
    if (secret === undefined || link.recipient === undefined) return link.target;
    const token = signLinkToken(secret, {
      r: link.recipient,
      ...(link.campaignId === undefined ? {} : { c: link.campaignId }),
      ...(link.messageId === undefined ? {} : { m: link.messageId }),
      exp: Math.ceil(link.expiresAt / 1000),
    });
    const url = new URL(link.target);
    url.searchParams.set(this.options.tokenParam ?? 't', token);
    return url.toString();
  }

  private expiryOf(request: NewLink, createdAt: number): number {
    if (request.expiresAt !== undefined && request.ttlSeconds !== undefined) {
      throw gatewayError('GW_INVALID_REQUEST', 'give expiresAt or ttlSeconds, not both', { field: 'ttlSeconds' });
    }
    if (request.expiresAt !== undefined) {
      if (!Number.isFinite(request.expiresAt) || request.expiresAt <= createdAt || request.expiresAt - createdAt > MAX_TTL_S * 1000) {
        throw gatewayError('GW_INVALID_REQUEST', `expiresAt must be in the future and at most ${MAX_TTL_S / DAY_S} days ahead`, { field: 'expiresAt' });
      }
      return request.expiresAt;
    }
    const ttl = request.ttlSeconds ?? this.options.defaultTtlSeconds ?? DEFAULT_TTL_S;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_S) throw gatewayError('GW_INVALID_REQUEST', `ttlSeconds ${ttl} is not from 1 to ${MAX_TTL_S}`, { field: 'ttlSeconds' });
    return createdAt + ttl * 1000;
  }
}

/** Only http and https targets, short enough for every browser; the refusal names the target field. */
function checkTarget(target: string): void {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw gatewayError('GW_INVALID_REQUEST', `target "${target.slice(0, 100)}" is not a URL`, { field: 'target' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw gatewayError('GW_INVALID_REQUEST', `target must be http or https, not ${url.protocol}`, { field: 'target' });
  if (target.length > MAX_TARGET_LENGTH) throw gatewayError('GW_INVALID_REQUEST', `target is longer than ${MAX_TARGET_LENGTH} characters`, { field: 'target' });
}

function checkBaseUrl(base: string): void {
  let url: URL | undefined;
  try {
    url = new URL(base);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw gatewayError('GW_INVALID_CONFIG', `links.baseUrl "${base}" must be an http(s) origin such as https://s.example.jp`, { field: 'links.baseUrl' });
  }
}
