/** JSON schemas of /v1/verifications: validation and OpenAPI. */
import { VERIFICATION_COUNTS, VERIFICATION_REFUSAL_REASONS, VERIFICATION_STATUSES } from '../gateway/index.ts';

const countDescriptions: Record<(typeof VERIFICATION_COUNTS)[number], string> = {
  started: 'Verifications opened whose first code went out',
  sent: 'Codes sent (first sends and resends)',
  approved: 'Checks that approved a verification',
  failed: 'Wrong codes with attempts left',
  max_attempts_reached: 'Verifications ended by a wrong last attempt',
  expired: 'Verifications whose code expired unchecked',
  canceled: 'Verifications canceled',
};
const refusalDescriptions: Record<(typeof VERIFICATION_REFUSAL_REASONS)[number], string> = {
  number: 'VERIFY_RATE_LIMITED: codes to one number',
  account: "VERIFY_RATE_LIMITED: the account's verifications per hour",
  velocity: 'VERIFY_FRAUD_SUSPECTED: too many to one number range in an hour',
  conversion: 'VERIFY_FRAUD_SUSPECTED: many codes to a range, too few approved',
  country: 'VERIFY_COUNTRY_NOT_ALLOWED',
  interval: 'VERIFY_RESEND_TOO_SOON',
};
const verificationCounts = {
  type: 'object',
  required: [...VERIFICATION_COUNTS, 'refused'],
  properties: {
    ...Object.fromEntries(VERIFICATION_COUNTS.map((name) => [name, { type: 'integer', description: countDescriptions[name] }])),
    refused: {
      type: 'object',
      description: 'Starts refused before a code went out, by reason',
      required: [...VERIFICATION_REFUSAL_REASONS],
      properties: Object.fromEntries(VERIFICATION_REFUSAL_REASONS.map((reason) => [reason, { type: 'integer', description: refusalDescriptions[reason] }])),
    },
  },
} as const;

const verificationProperties = {
  id: { type: 'string' },
  to: { type: 'string', description: 'E.164' },
  status: { enum: [...VERIFICATION_STATUSES], description: 'pending until approved, expired, max_attempts_reached or canceled (all final)' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  expiresAt: { type: 'string', format: 'date-time', description: 'When the current code stops being accepted (a resend sets a new one)' },
  attemptsLeft: { type: 'integer', description: 'Checks left (attempts count over the whole verification, resends included)' },
  sendsLeft: { type: 'integer', description: "Codes the verification may still send (the account's verify.resends.max less those sent)" },
  sends: { type: 'integer' },
  locale: { enum: ['ja', 'en'] },
  messages: { type: 'array', items: { type: 'string' }, description: 'The messages that carried its codes (GET /v1/messages/{id}: their text is masked)' },
  clientRef: { type: 'string' },
} as const;

export const VERIFICATION_SCHEMAS = [
  {
    $id: 'StartVerification',
    type: 'object',
    additionalProperties: false,
    required: ['to'],
    properties: {
      to: { type: 'string', minLength: 1, maxLength: 32, description: "The number; national forms (09012345678) read in the account's defaultCountry" },
      channel: { enum: ['sms'], default: 'sms' },
      locale: { enum: ['ja', 'en'], description: "The template's language (default: the account's verify.defaultLocale)" },
      codeLength: { type: 'integer', minimum: 4, maximum: 10 },
      ttlSeconds: { type: 'integer', minimum: 60, maximum: 3_600 },
      template: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\{code\\}', description: 'The message text; holds {code}, may hold {minutes}' },
      from: { type: 'string', minLength: 1, maxLength: 32 },
      clientRef: { type: 'string', minLength: 1, maxLength: 128 },
    },
  },
  {
    $id: 'CheckVerification',
    type: 'object',
    additionalProperties: false,
    required: ['code'],
    properties: { code: { type: 'string', pattern: '^[0-9]{4,10}$' } },
  },
  {
    $id: 'CheckVerificationByNumber',
    type: 'object',
    additionalProperties: false,
    required: ['to', 'code'],
    properties: { to: { type: 'string', minLength: 1, maxLength: 32 }, code: { type: 'string', pattern: '^[0-9]{4,10}$' } },
  },
  {
    $id: 'Verification',
    type: 'object',
    required: ['id', 'to', 'status', 'expiresAt', 'attemptsLeft', 'sendsLeft'],
    properties: verificationProperties,
  },
  {
    $id: 'VerificationCheck',
    type: 'object',
    required: ['id', 'to', 'status', 'expiresAt', 'attemptsLeft', 'sendsLeft'],
    properties: { ...verificationProperties, reason: { enum: ['VERIFY_MAX_ATTEMPTS'], description: 'Present when this wrong check used the last attempt' } },
  },
  {
    $id: 'VerificationStats',
    type: 'object',
    required: ['from', 'to', 'timeZone', 'total', 'days'],
    properties: {
      from: { type: 'string' },
      to: { type: 'string' },
      timeZone: { type: 'string', description: 'The zone of the days (usage.timeZone)' },
      total: verificationCounts,
      days: { type: 'array', description: 'Every day of the range, zeros included', items: { ...verificationCounts, required: ['day', ...verificationCounts.required], properties: { day: { type: 'string' }, ...verificationCounts.properties } } },
    },
  },
] as const;
