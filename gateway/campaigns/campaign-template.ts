/**
 * A campaign's message template: Mustache `{{name}}` variables, rendered without HTML escaping (an SMS is plain
 * text: `&` stays `&`). Only plain variables are allowed: sections, partials, delimiter changes and dotted names
 * (Mustache would read `a.b` as a nested lookup) are refused when the template is read, so every variable is one
 * column of the row. A variable a row has no value for (absent or blank) is that row's error, never an empty
 * string in a message.
 * `{{link}}` is the recipient's short link. Its length is fixed (base URL + a code of `codeLength` ASCII
 * characters), so a preview renders it as a placeholder of exactly that length and character class, and the segment
 * count it gives is the one the real link will have.
 */
import Mustache from 'mustache';
import { campaignError } from './campaign-errors.ts';

export const LINK_VARIABLE = 'link';

/** What a short link looks like: `<baseUrl><code>`, the code `codeLength` ASCII letters and digits. */
export interface LinkShape {
  readonly baseUrl: string;
  readonly codeLength: number;
}

/** A stand-in for a short link, as long as the real one and of the same (GSM 7-bit basic, ASCII) characters. */
export function linkPlaceholder(shape: LinkShape): string {
  return `${shape.baseUrl}${'X'.repeat(shape.codeLength)}`;
}

export type RenderResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missing: string };

const PLAIN_TOKENS: ReadonlySet<string> = new Set(['text', 'name', '&', '!']);
const RAW_OUTPUT = { escape: (value: unknown): string => String(value) };

export class CampaignTemplate {
  /** The variables the template names, each once, in order of first use (`link` among them when used). */
  readonly variables: readonly string[];
  readonly usesLink: boolean;

  private constructor(
    readonly source: string,
    variables: readonly string[],
  ) {
    this.variables = variables;
    this.usesLink = variables.includes(LINK_VARIABLE);
  }

  /** Reads a template; throws CAMPAIGN_INVALID_TEMPLATE naming what cannot be used. */
  static parse(source: string): CampaignTemplate {
    if (source.trim() === '') throw campaignError('CAMPAIGN_INVALID_TEMPLATE', 'the template is empty', { field: 'template' });
    let tokens: Mustache.TemplateSpans;
    try {
      tokens = Mustache.parse(source);
    } catch (error: unknown) {
      throw campaignError('CAMPAIGN_INVALID_TEMPLATE', (error as Error).message, { field: 'template' }, { cause: error });
    }
    const variables: string[] = [];
    for (const [type, name] of tokens) {
      if (!PLAIN_TOKENS.has(type)) {
        throw campaignError('CAMPAIGN_INVALID_TEMPLATE', `"{{${type}${name}}}": only variables ({{name}}) are allowed, no sections, partials or delimiter changes`, { field: 'template' });
      }
      if (type === 'text' || type === '!') continue;
      if (name === '' || name.includes('.')) {
        throw campaignError('CAMPAIGN_INVALID_TEMPLATE', `"{{${name}}}": a variable is one column name, without "."`, { field: 'template' });
      }
      if (!variables.includes(name)) variables.push(name);
    }
    return new CampaignTemplate(source, variables);
  }

  /**
   * The text for one row: `values` by variable name, `link` the row's short link (or its placeholder). The first
   * variable without a value (absent or blank) is named instead.
   */
  render(values: Readonly<Record<string, string>>, link?: string): RenderResult {
    const view: Record<string, string> = {};
    for (const name of this.variables) {
      const value = name === LINK_VARIABLE ? link : Object.hasOwn(values, name) ? values[name] : undefined;
      if (value === undefined || value.trim() === '') return { ok: false, missing: name };
      view[name] = value;
    }
    return { ok: true, text: Mustache.render(this.source, view, {}, RAW_OUTPUT) };
  }
}
