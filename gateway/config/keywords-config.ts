/** The `accounts[].keywords` section: its schema, and the checks a schema cannot make (lists that collide). */
import type { AccountConfig } from '../accounts/account-registry.ts';
import { keywordListProblems, keywordLists } from '../keywords/keyword-match.ts';

const WORDS = { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 32 } } as const;
const REPLY = { type: 'string', minLength: 1, maxLength: 1000 } as const;

export const KEYWORDS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    optOut: WORDS,
    optIn: WORDS,
    help: WORDS,
    language: { enum: ['ja', 'en'] },
    helpText: REPLY,
    replies: {
      type: 'object',
      additionalProperties: false,
      properties: { optOut: REPLY, optIn: REPLY, help: REPLY, autoAck: REPLY },
    },
    autoAck: {
      type: 'object',
      additionalProperties: false,
      required: ['enabled'],
      properties: { enabled: { type: 'boolean' }, windowHours: { type: 'number', exclusiveMinimum: 0, maximum: 87600, default: 720 } },
    },
  },
} as const;

/** Refuses an account whose keyword lists (with the defaults) hold an empty entry or one word in two kinds. */
export function checkKeywordConfigs(accounts: readonly AccountConfig[], invalid: (field: string, problem: string) => Error): void {
  accounts.forEach((account, a) => {
    const config = account.keywords;
    if (config === undefined) return;
    const [problem] = keywordListProblems(keywordLists(config));
    if (problem !== undefined) throw invalid(`accounts[${a}].keywords`, problem);
  });
}
