import { cspRefusals, openConsole, startConsoleSetting } from '../helpers/console-e2e';
import { expect, test } from './fixtures';

/**
 * The request console's editor under the production CSP, served as the app serves it: a fresh
 * style nonce per load in both the header and the meta tag, `script-src 'self'` untouched.
 * CodeMirror's injected `<style>` elements carry the nonce and apply; a `<style>` without it is
 * refused.
 */
test('the editor styles apply under the production CSP; a style without the nonce does not', async ({
  tokendeck,
}) => {
  const setting = await startConsoleSetting(tokendeck.service);
  try {
    const page = await tokendeck.open();
    const served = await page.request.get(page.url());
    const headerPolicy = served.headers()['content-security-policy'] ?? '';
    expect(headerPolicy).toMatch(/script-src 'self';/);
    expect(headerPolicy).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/]+={0,2}';/);
    await openConsole(page);
    await page.getByRole('button', { name: 'GraphQL', exact: true }).click();
    await expect(page.locator('.cm-editor').first()).toBeAttached();

    const facts = await page.evaluate(() => {
      const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      const policy = meta?.getAttribute('content') ?? '';
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      const editor = document.querySelector('.cm-editor');
      const scroller = document.querySelector('.cm-scroller');
      const styles = Array.from(document.querySelectorAll('style'));
      // A style the page did not bring: the policy must refuse it.
      const stray = document.createElement('style');
      stray.textContent = '#root { outline: 7px solid red; }';
      document.head.append(stray);
      return {
        policy,
        nonce,
        styleNonces: styles.map((style) => style.nonce),
        editorDisplay: editor ? getComputedStyle(editor).display : null,
        scrollerFont: scroller ? getComputedStyle(scroller).fontFamily : null,
        strayApplied: getComputedStyle(document.getElementById('root')!).outlineWidth === '7px',
      };
    });
    expect(facts.nonce).toBeDefined();
    // The page's own load has its own nonce, different from the second fetch above.
    expect(headerPolicy).not.toContain(facts.nonce);
    expect(facts.policy).toMatch(/script-src 'self';/);
    expect(facts.styleNonces.length).toBeGreaterThan(0);
    expect(new Set(facts.styleNonces)).toEqual(new Set([facts.nonce]));
    // CodeMirror's base theme (display: flex) and ours (the app's mono font) both apply.
    expect(facts.editorDisplay).toBe('flex');
    expect(facts.scrollerFont).toMatch(/monospace/);
    expect(facts.strayApplied).toBe(false);
    // The stray style is refused (once per policy: header and meta tag), and nothing else is.
    await expect.poll(() => cspRefusals(tokendeck.consoleErrors).length).toBeGreaterThan(0);
    for (const refusal of cspRefusals(tokendeck.consoleErrors)) {
      expect(refusal).toMatch(/inline style/i);
    }
  } finally {
    await setting.close();
  }
});
