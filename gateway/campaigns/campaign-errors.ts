import { CodedError, errorFactory, type ErrorTable } from '../../common/index.ts';

/**
 * Errors of the campaign layer (input, rows, preview). `row` marks the codes a single row gets while the other rows
 * go on (they are listed with the row's line and column, never thrown for the whole request); the others refuse the
 * whole input.
 */
export const CAMPAIGN_ERRORS = {
  CAMPAIGN_INVALID_REQUEST: { message: 'invalid campaign request', retriable: false, row: false },
  CAMPAIGN_INVALID_CSV: { message: 'the CSV file cannot be read (encoding, quoting or header row)', retriable: false, row: false },
  CAMPAIGN_NO_PHONE_COLUMN: { message: 'the header row has no phone column', retriable: false, row: false },
  CAMPAIGN_TOO_MANY_ROWS: { message: 'the campaign has more rows than one campaign may hold', retriable: false, row: false },
  CAMPAIGN_INVALID_TEMPLATE: { message: 'the template cannot be used', retriable: false, row: false },
  CAMPAIGN_UNKNOWN_VARIABLE: { message: 'the template names a variable no column supplies', retriable: false, row: false },
  CAMPAIGN_LINKS_NOT_CONFIGURED: { message: 'the template has {{link}} but short links are not configured', retriable: false, row: false },
  CAMPAIGN_INVALID_ROW: { message: 'the row does not have as many fields as the header', retriable: false, row: true },
  CAMPAIGN_INVALID_NUMBER: { message: "the row's phone number is not a valid destination", retriable: false, row: true },
  CAMPAIGN_MISSING_VARIABLE: { message: 'the row has no value for a variable of the template', retriable: false, row: true },
  CAMPAIGN_INVALID_TEXT: { message: 'the rendered text cannot be sent (a control character other than LF and CR, or empty)', retriable: false, row: true },
  CAMPAIGN_TOO_MANY_PARTS: { message: "the rendered text needs more parts than the destination carrier's profile or the account allows", retriable: false, row: true },
  CAMPAIGN_NOT_ROUTABLE: { message: 'no route takes this destination with this sender', retriable: false, row: true },
  CAMPAIGN_RECIPIENT_SUPPRESSED: { message: 'the recipient is on the account suppression list', retriable: false, row: true },
  CAMPAIGN_DUPLICATE_NUMBER: { message: 'the number was already in an earlier row', retriable: false, row: true },
  CAMPAIGN_NOT_FOUND: { message: 'no such campaign for this account', retriable: false, row: false },
  CAMPAIGN_BAD_STATE: { message: 'the campaign is not in a state that allows this', retriable: false, row: false },
  CAMPAIGN_NO_VALID_ROWS: { message: 'no row of the campaign can be sent', retriable: false, row: false },
  CAMPAIGN_MISSING_LINK_TARGET: { message: 'a row has no link target for {{link}}', retriable: false, row: true },
} as const satisfies ErrorTable<string, { message: string; retriable: boolean; row: boolean }>;

export type CampaignErrorCode = keyof typeof CAMPAIGN_ERRORS;

/** The codes a row can be refused with. */
export type CampaignRowErrorCode = { [K in CampaignErrorCode]: (typeof CAMPAIGN_ERRORS)[K]['row'] extends true ? K : never }[CampaignErrorCode];

export class CampaignError extends CodedError<CampaignErrorCode> {}

export const campaignError = errorFactory<CampaignErrorCode, CampaignError>(CAMPAIGN_ERRORS, CampaignError);
