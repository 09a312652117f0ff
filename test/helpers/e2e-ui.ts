import type { Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';

/**
 * Steps the end-to-end tests take through the UI, named as a user would say them, and the
 * accessibility check every view gets.
 */

/** Opens the provider catalogue and picks a preset, or "Custom provider". */
export async function startProvider(page: Page, preset: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Providers' })
    .click();
  await page.getByRole('button', { name: 'Add provider' }).first().click();
  await page
    .getByRole('list', { name: 'Presets' })
    .getByRole('button', { name: new RegExp(`^${preset}`) })
    .click();
}

/** The provider form, by its heading. */
export function providerForm(page: Page) {
  return page.locator('form.provider-form');
}

/** The one open sheet (dialog). */
export function sheet(page: Page) {
  return page.locator('dialog[open]');
}

/** An account's row in the dashboard, by label. */
export function accountRow(page: Page, label: string | RegExp) {
  return page.locator('[data-account-id]').filter({ hasText: label });
}

/** Opens an account row's "More actions" menu and picks an item. */
export async function rowAction(page: Page, label: string, action: string | RegExp): Promise<void> {
  await accountRow(page, label)
    .getByRole('button', { name: /More actions/ })
    .click();
  await page.getByRole('menuitem', { name: action }).click();
}

/** Runs axe on the page and returns the serious and critical violations, described. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}
