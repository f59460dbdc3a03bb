/**
 * Short links (`GET /l/{code}`) and their click counts. A link is written once (refused when its code is taken,
 * so the service draws another), read by code, and clicked: one atomic step that answers whether the link is
 * live, counts the click as a human's or a bot's, and says whether it was the first human click (the one the
 * message's timeline and the campaign status record). A link stays readable past its expiry until `retainUntil`,
 * so a late click answers 410 (expired) rather than 404 (unknown).
 * Adapters: memory (bounded, the embedded default) and Redis (a TTL at `retainUntil`); one contract suite runs
 * against both.
 */

export interface ShortLink {
  readonly code: string;
  readonly accountId: string;
  /** Where a live click is redirected (http or https). */
  readonly target: string;
  /** Clicks from this instant on (epoch ms) answer 410. */
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly messageId?: string;
  readonly campaignId?: string;
  /** E.164 of the recipient the link was made for. */
  readonly recipient?: string;
  /** A live click's redirect carries the signed click token (see link-token.ts). */
  readonly token?: boolean;
  /** Human clicks (every one, repeats included). */
  readonly clicks: number;
  /** Requests by link previewers and HEAD requests: counted apart, never as clicks. */
  readonly botClicks: number;
  readonly firstClickAt?: number;
  readonly lastClickAt?: number;
}

export type NewShortLink = Omit<ShortLink, 'clicks' | 'botClicks' | 'firstClickAt' | 'lastClickAt'>;

/** A human click, or a request by a previewer or a HEAD request (`bot`). */
export type ClickKind = 'human' | 'bot';

export type ClickResult =
  | { readonly outcome: 'unknown' }
  /** Past `expiresAt`: nothing was counted. */
  | { readonly outcome: 'expired'; readonly link: ShortLink }
  /** Counted; `first` is true for the link's first human click only. */
  | { readonly outcome: 'counted'; readonly link: ShortLink; readonly first: boolean };

export interface LinkStore {
  /** Stores a new link unless its code is taken (false: draw another code). Kept until `retainUntil`. */
  create(link: NewShortLink, retainUntil: number): Promise<boolean>;
  get(code: string): Promise<ShortLink | undefined>;
  /** Counts a click at `at` atomically (two processes never both see the first human click). */
  click(code: string, kind: ClickKind, at: number): Promise<ClickResult>;
}
