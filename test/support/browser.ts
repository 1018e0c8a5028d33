// Browser tests' shared steps: a signed-in page at a width (a phone below 500 px), and how wide the page is drawn.
import type { Browser, Page } from 'playwright-core';

export interface Credentials { email: string; password: string }

/** A new context at the width (375: a phone, with touch), signed in through the sign-in page, then at `next`. */
export async function signedIn(browser: Browser, base: string, who: Credentials, width: number, next: string): Promise<Page> {
  const context = await browser.newContext(width < 500 ? { viewport: { width, height: 740 }, isMobile: true, hasTouch: true } : { viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/sign-in');
  return page;
}

/** The page's full width as drawn: more than the viewport means it scrolls sideways. */
export const pageWidth = (page: Page): Promise<number> =>
  page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
