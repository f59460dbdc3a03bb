import type { SubmitRequest } from '../../gateway/index.ts';

/** The body of POST /v1/messages as the schema admits it. */
export interface SubmitBody {
  readonly to: string;
  readonly from?: string;
  readonly text?: string;
  readonly binary?: string;
  readonly udh?: string;
  readonly encoding?: 'auto' | 'gsm7' | 'ucs2';
  readonly smart?: boolean;
  readonly tag?: string;
  readonly callbackUrl?: string;
  readonly scheduleAt?: string;
  readonly validityPeriod?: number;
  readonly priority?: 'high' | 'normal' | 'bulk';
  readonly clientRef?: string;
  readonly maxParts?: number;
  readonly shortenUrls?: boolean;
}

export function toSubmitRequest(body: SubmitBody): SubmitRequest {
  const { scheduleAt, validityPeriod, ...rest } = body;
  return {
    ...rest,
    ...(scheduleAt === undefined ? {} : { scheduleAt: Date.parse(scheduleAt) }),
    ...(validityPeriod === undefined ? {} : { validitySeconds: validityPeriod }),
  };
}
