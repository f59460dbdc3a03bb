/**
 * Short links in this process (the embedded default), bounded: a recent-entries map holds at most `capacity`
 * links (the oldest go first), and a link is gone once past its retention.
 */
import { RecentMap } from '../../../common/index.ts';
import type { ClickKind, ClickResult, LinkStore, NewShortLink, ShortLink } from '../../ports/link-store.ts';

interface Held {
  link: ShortLink;
  readonly retainUntil: number;
}

export class MemoryLinkStore implements LinkStore {
  private readonly byCode: RecentMap<string, Held>;

  constructor(
    private readonly now: () => number = Date.now,
    capacity = 200_000,
  ) {
    this.byCode = new RecentMap(capacity);
  }

  create(link: NewShortLink, retainUntil: number): Promise<boolean> {
    if (this.held(link.code, this.now()) !== undefined) return Promise.resolve(false);
    this.byCode.set(link.code, { link: { ...link, clicks: 0, botClicks: 0 }, retainUntil });
    return Promise.resolve(true);
  }

  get(code: string): Promise<ShortLink | undefined> {
    return Promise.resolve(this.held(code, this.now())?.link);
  }

  click(code: string, kind: ClickKind, at: number): Promise<ClickResult> {
    const held = this.held(code, at);
    if (held === undefined) return Promise.resolve({ outcome: 'unknown' });
    const { link } = held;
    if (at >= link.expiresAt) return Promise.resolve({ outcome: 'expired', link });
    if (kind === 'bot') {
      held.link = { ...link, botClicks: link.botClicks + 1 };
      return Promise.resolve({ outcome: 'counted', link: held.link, first: false });
    }
    const first = link.clicks === 0;
    held.link = { ...link, clicks: link.clicks + 1, lastClickAt: at, ...(first ? { firstClickAt: at } : {}) };
    return Promise.resolve({ outcome: 'counted', link: held.link, first });
  }

  private held(code: string, now: number): Held | undefined {
    const held = this.byCode.get(code);
    if (held === undefined) return undefined;
    if (now >= held.retainUntil) {
      this.byCode.delete(code);
      return undefined;
    }
    return held;
  }
}
