/**
 * What console browser tests do on every page: sign in through the form as a person would, and audit the page
 * with axe-core (WCAG 2 A/AA: labels, contrast, landmarks, names).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsoleSignIn {
  readonly account: string;
  readonly name: string;
  readonly password: string;
  /** The console path to land on (default `/console`). */
  readonly next?: string;
}

/** Fills and posts the name-and-password form, then waits to land on `next`. */
export async function signInToConsole(page: Page, credentials: ConsoleSignIn): Promise<void> {
  const next = credentials.next ?? '/console';
  await page.goto(`/console/sign-in?next=${encodeURIComponent(next)}`);
  await page.locator('#account').fill(credentials.account);
  await page.locator('#name').fill(credentials.name);
  await page.locator('#password').fill(credentials.password);
  await Promise.all([page.waitForURL(`**${next}`), page.locator('form[aria-labelledby="with-password"] button[type="submit"]').click()]);
}

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** axe-core's WCAG 2 A/AA violations of the page as it is now, one line each (empty when it passes). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol: the console's CSP (rightly) refuses an injected script tag.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.map((v) => `${v.id} (${v.impact ?? '-'}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
