/**
 * An account's keyword settings (`accounts[].keywords`) and what they resolve to: its lists (added to the
 * defaults), the reply texts in its language, and the auto-acknowledgement window.
 */
import { KeywordMatcher, keywordLists, type KeywordKind } from './keyword-match.ts';

export type KeywordLanguage = 'ja' | 'en';

/** What the first inbound message of a number gets (per account, once within the window). */
export interface AutoAckConfig {
  readonly enabled: boolean;
  /** How long a number counts as acknowledged; default 720 (30 days). */
  readonly windowHours?: number;
}

export interface KeywordReplies {
  readonly optOut?: string;
  readonly optIn?: string;
  readonly help?: string;
  readonly autoAck?: string;
}

export interface KeywordConfig {
  /** Default true: keywords suppress, lift and answer. */
  readonly enabled?: boolean;
  /** Entries added to the default lists (the defaults always work: STOP must stop). */
  readonly optOut?: readonly string[];
  readonly optIn?: readonly string[];
  readonly help?: readonly string[];
  /** Language of the default replies; default `ja` when the account's defaultCountry is JP, else `en`. */
  readonly language?: KeywordLanguage;
  /** Who the account is and how to reach it: the help reply's opening, before how to stop. */
  readonly helpText?: string;
  /** Reply texts replacing the defaults; `{name}` is replaced by the account's name (or id). */
  readonly replies?: KeywordReplies;
  readonly autoAck?: AutoAckConfig;
}

export type ReplyKind = KeywordKind | 'auto-ack';

export interface ResolvedKeywordSettings {
  readonly enabled: boolean;
  readonly matcher: KeywordMatcher;
  readonly replies: Readonly<Record<ReplyKind, string>>;
  /** Undefined when auto-acknowledgement is off. */
  readonly autoAckWindowMs: number | undefined;
}

const DEFAULT_WINDOW_HOURS = 720;

/** Default replies by language; `helpTail` follows an account's own `helpText` in its help reply. */
const DEFAULT_TEXTS: Readonly<Record<KeywordLanguage, Readonly<Record<ReplyKind, string>> & { readonly helpTail: string }>> = {
  ja: {
    'opt-out': '{name}: 配信を停止しました。今後メッセージは届きません。再開するには「再開」と返信してください。',
    'opt-in': '{name}: 配信を再開しました。停止するには「停止」と返信してください。',
    help: '{name}: お問い合わせありがとうございます。配信停止は「停止」、再開は「再開」と返信してください。',
    'auto-ack': '{name}: メッセージを受け付けました。順次ご返信します。配信停止は「停止」と返信してください。',
    helpTail: '配信停止は「停止」、再開は「再開」と返信してください。',
  },
  en: {
    'opt-out': '{name}: You are unsubscribed and will receive no more messages. Reply START to subscribe again.',
    'opt-in': '{name}: You are subscribed again. Reply STOP to unsubscribe, HELP for help.',
    help: '{name}: Reply STOP to unsubscribe, START to subscribe again.',
    'auto-ack': '{name}: We received your message and will reply soon. Reply STOP to opt out, HELP for help.',
    helpTail: 'Reply STOP to unsubscribe, START to subscribe again.',
  },
};

export interface KeywordAccount {
  readonly id: string;
  readonly name?: string;
  readonly defaultCountry?: string;
  readonly keywords?: KeywordConfig;
}

export function resolveKeywordSettings(account: KeywordAccount): ResolvedKeywordSettings {
  const config = account.keywords ?? {};
  const language = config.language ?? (account.defaultCountry === 'JP' ? 'ja' : 'en');
  const texts = DEFAULT_TEXTS[language];
  const given = config.replies ?? {};
  const help = given.help ?? (config.helpText === undefined ? texts.help : `${config.helpText}${language === 'ja' ? '' : ' '}${texts.helpTail}`);
  const name = account.name ?? account.id;
  const fill = (text: string): string => text.replaceAll('{name}', name);
  return {
    enabled: config.enabled ?? true,
    matcher: new KeywordMatcher(keywordLists(config)),
    replies: {
      'opt-out': fill(given.optOut ?? texts['opt-out']),
      'opt-in': fill(given.optIn ?? texts['opt-in']),
      help: fill(help),
      'auto-ack': fill(given.autoAck ?? texts['auto-ack']),
    },
    autoAckWindowMs: config.autoAck?.enabled === true ? (config.autoAck.windowHours ?? DEFAULT_WINDOW_HOURS) * 3_600_000 : undefined,
  };
}
