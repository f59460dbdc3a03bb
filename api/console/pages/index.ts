/** Every console page module, registered in this order under /console. */
import { campaignNewPage } from './campaign-new-page.ts';
import { campaignsPage } from './campaigns-page.ts';
import { homePage } from './home-page.ts';
import type { ConsolePage } from './page-deps.ts';
import { signInPage } from './sign-in-page.ts';
import { suppressionsPage } from './suppressions-page.ts';
import { usagePage } from './usage-page.ts';

export type { ConsolePage, ConsolePageDeps } from './page-deps.ts';

export const CONSOLE_PAGES: readonly ConsolePage[] = [signInPage, homePage, campaignsPage, campaignNewPage, suppressionsPage, usagePage];
