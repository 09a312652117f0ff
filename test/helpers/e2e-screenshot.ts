import type { Page } from '@playwright/test';

/**
 * Saves a screenshot of the whole screen into `test-results/<name>.png`.
 *
 * The shell scrolls inside its content area, so a full-page screenshot would stop at the
 * viewport; the viewport is grown to the content's height for the shot and then put back.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1100, height: 720 };
  const content = page.getByRole('main');
  const overflow = await content.evaluate((element) => element.scrollHeight - element.clientHeight);
  if (overflow > 0) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height + overflow });
  }
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
  if (overflow > 0) await page.setViewportSize(viewport);
}
