import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_KEYWORDS, KeywordMatcher, keywordListProblems, keywordLists, normalizeKeyword } from '../../../gateway/keywords/keyword-match.ts';

const matcher = new KeywordMatcher(keywordLists());
const ALL = [...DEFAULT_KEYWORDS.optOut, ...DEFAULT_KEYWORDS.optIn, ...DEFAULT_KEYWORDS.help];

/** Full-width form of ASCII letters and digits (what a Japanese keyboard in zenkaku mode types). */
const fullWidth = (text: string): string => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('keyword matching', () => {
  test.each([
    ['STOP', 'opt-out', 'STOP'],
    ['stop', 'opt-out', 'STOP'],
    ['Stop', 'opt-out', 'STOP'],
    ['ｓｔｏｐ', 'opt-out', 'STOP'],
    ['ＳＴＯＰ', 'opt-out', 'STOP'],
    ['  STOP!  ', 'opt-out', 'STOP'],
    ['\u3000ＳＴＯＰ。', 'opt-out', 'STOP'],
    ['stop.', 'opt-out', 'STOP'],
    ['Unsubscribe', 'opt-out', 'UNSUBSCRIBE'],
    ['optout', 'opt-out', 'OPTOUT'],
    [' 配信停止。', 'opt-out', '配信停止'],
    ['「停止」', 'opt-out', '停止'],
    ['停止！', 'opt-out', '停止'],
    ['ｽﾄｯﾌﾟ', 'opt-out', 'ストップ'],
    ['受信拒否\u200b', 'opt-out', '受信拒否'],
    ['STOP 🙏', 'opt-out', 'STOP'],
    ['START', 'opt-in', 'START'],
    ['unstop', 'opt-in', 'UNSTOP'],
    ['再開', 'opt-in', '再開'],
    ['help?', 'help', 'HELP'],
    ['ヘルプ', 'help', 'ヘルプ'],
  ])('%j is %s (%s)', (text, kind, keyword) => {
    expect(matcher.match(text)).toEqual({ kind, keyword });
  });

  test.each(['please stop sending', 'stop sending me offers', 'STOP STOP', '配信停止したい', '停止してください', 'don\'t stop', 'helpful', 'stopp', '', '。。。', 'st op', 'START STOP'])('%j is no keyword', (text) => {
    expect(matcher.match(text)).toBeUndefined();
  });

  test("an account's entries add to the defaults", () => {
    const own = new KeywordMatcher(keywordLists({ optOut: ['やめる'], help: ['問い合わせ'] }));
    expect(own.match('やめる')).toEqual({ kind: 'opt-out', keyword: 'やめる' });
    expect(own.match('問い合わせ')).toEqual({ kind: 'help', keyword: '問い合わせ' });
    expect(own.match('STOP')).toEqual({ kind: 'opt-out', keyword: 'STOP' });
  });

  test('lists that collide or hold empty entries are reported', () => {
    expect(keywordListProblems(keywordLists())).toEqual([]);
    expect(keywordListProblems(keywordLists({ optIn: ['ｓｔｏｐ'] }))).toEqual(['optIn entry "ｓｔｏｐ" is also an opt-out keyword']);
    expect(keywordListProblems(keywordLists({ help: ['!!'] }))).toEqual(['help entry "!!" is only spaces or punctuation']);
  });

  test('normalization: NFKC, case folded, edges cut, inner spaces reduced', () => {
    expect(normalizeKeyword('　Ｈｅｌｌｏ　　Ｗｏｒｌｄ！')).toBe('hello world');
    expect(normalizeKeyword('ｶﾞｲﾄﾞ')).toBe('ガイド');
  });
});

describe('keyword matching, properties', () => {
  const keyword = fc.constantFrom(...ALL);
  const word = fc.stringMatching(/^[a-z0-9ぁ-ゖ]{1,10}$/);
  const spaces = fc.constantFrom(' ', '  ', '\u3000', '\t', '\n');
  const edge = fc.array(fc.constantFrom(' ', '\u3000', '.', '!', '！', '?', '。', '、', '…', '「', '」', '~', '♪', '\u200b'), { maxLength: 4 }).map((cs) => cs.join(''));

  test('a keyword among other words never matches', () => {
    fc.assert(
      fc.property(keyword, fc.array(word, { minLength: 1, maxLength: 5 }), fc.nat(5), spaces, (kw, words, at, gap) => {
        const sentence = [...words];
        sentence.splice(at % (words.length + 1), 0, kw);
        expect(matcher.match(sentence.join(gap))).toBeUndefined();
      }),
    );
  });

  test('a keyword written against other text (Japanese, no spaces) never matches', () => {
    const kana = fc.stringMatching(/^[ぁ-ゖ]{1,8}$/);
    fc.assert(
      fc.property(keyword, kana, fc.option(kana, { nil: undefined }), fc.boolean(), (kw, a, b, before) => {
        const text = before ? `${a}${kw}${b ?? ''}` : `${kw}${a}`;
        expect(matcher.match(text)).toBeUndefined();
      }),
    );
  });

  test('a keyword in any case, width and with any edges matches', () => {
    fc.assert(
      fc.property(keyword, edge, edge, fc.boolean(), fc.boolean(), (kw, left, right, wide, lower) => {
        let text = lower ? kw.toLowerCase() : kw;
        if (wide) text = fullWidth(text);
        expect(matcher.match(`${left}${text}${right}`)?.keyword).toBe(kw);
      }),
    );
  });
});
