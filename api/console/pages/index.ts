/** Every console page module, registered in this order under /console. */
import { campaignNewPage } from './campaign-new-page.ts';
import { campaignsPage } from './campaigns-page.ts';
import { homePage } from './home-page.ts';
import { inboundPage } from './inbound-page.ts';
import { messagesPage } from './messages-page.ts';
import { operationsPage } from './operations-page.ts';
import type { ConsolePage } from './page-deps.ts';
import { sendPage } from './send-page.ts';
import { signInPage } from './sign-in-page.ts';
import { suppressionsPage } from './suppressions-page.ts';
import { usagePage } from './usage-page.ts';
import { verificationsPage } from './verifications-page.ts';

export type { ConsolePage, ConsolePageDeps } from './page-deps.ts';

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  signInPage,
  homePage,
  sendPage,
  campaignsPage,
  campaignNewPage,
  messagesPage,
  inboundPage,
  suppressionsPage,
  verificationsPage,
  usagePage,
  operationsPage,
];
