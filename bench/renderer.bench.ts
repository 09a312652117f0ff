import { existsSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { createService, type TokendeckService } from '../src-main/core/service';
import { Vault, createPassphraseSlot } from '../src-main/core/vault';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../test/helpers/chromium';
import { installBridge, type Bridge } from '../test/helpers/e2e-bridge';
import { startStaticServer, type StaticServer } from '../test/helpers/e2e-static-server';
import { createMemoryClipboard } from '../test/helpers/fake-ports';
import { ensure, seedAccounts, staggeredAccounts } from './bench-fixtures';
import { absoluteResult, median, recordResult } from './results';

/**
 * The renderer with 1,000 accounts, in Chromium through the e2e harness: the built renderer
 * served on 127.0.0.1, the built preload, the real IPC wrappers and the real core service over a
 * vault holding 1,000 accounts. Needs `npm run build` first.
 *
 * - First paint of the list: from navigation start to the first animation frame after the
 *   first account row is in the page, in the page's own clock.
 * - One filter keystroke: from the key's `keydown` to the first animation frame after the list
 *   changed.
 * - Bundle: the gzip size of every script and style the page loaded, on the accounts view and
 *   once the console view has been opened.
 */
const ACCOUNTS = 1_000;
const LOADS = 5;
const KEYSTROKES = 7;
const PASSPHRASE = 'bench passphrase, not a real one';
const RENDERER_DIR = resolve(import.meta.dirname, '../out/renderer');

let dataDir: string;
let service: TokendeckService;
let browser: Browser;
let server: StaticServer;
let bridge: Bridge;
let page: Page;
const loaded = new Set<string>();

function createBenchService(): Promise<TokendeckService> {
  const clipboard = createMemoryClipboard();
  return createService({
    dataDir,
    passphrase: PASSPHRASE,
    scryptN: 2 ** 14,
    schedule: false,
    browser: { open: async () => undefined },
    clipboard: {
      writeText: (text) => clipboard.writeText(text),
      readText: () => clipboard.readText(),
      clear: () => clipboard.clear(),
    },
  });
}

/** Records in the page when the first account row is on screen, from navigation start. */
const FIRST_LIST = `(() => {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[data-account-id]')) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstList = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

beforeAll(async () => {
  ensure(
    existsSync(join(RENDERER_DIR, 'index.html')),
    'out/renderer is missing: run `npm run build` before `npm run bench`',
  );
  dataDir = mkdtempSync(join(tmpdir(), 'tokendeck-bench-renderer-'));
  await (await createBenchService()).close();
  const vault = await Vault.open(dataDir, createPassphraseSlot(PASSPHRASE));
  await seedAccounts(vault, staggeredAccounts(ACCOUNTS));
  service = await createBenchService();
  server = await startStaticServer(RENDERER_DIR);
  browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  bridge = await installBridge(context, service, server.origin);
  await context.addInitScript({ content: FIRST_LIST });
  page = await context.newPage();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (/\.(js|css)$/.test(path)) loaded.add(path);
  });
}, 120_000);

afterAll(async () => {
  bridge?.stop();
  await browser?.close();
  await server?.close();
  await service?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function firstPaint(): Promise<number> {
  await page.goto(`${server.origin}/index.html`);
  const handle = await page.waitForFunction(
    () => (window as unknown as { __firstList?: number }).__firstList,
    undefined,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** Types one character into the search box; the time until the list changed and painted. */
async function keystroke(key: string): Promise<number> {
  const search = page.getByRole('searchbox', { name: 'Search accounts' });
  await search.fill('');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
  await search.focus();
  await page.evaluate(() => {
    const target = window as unknown as { __keystroke?: Promise<number> };
    target.__keystroke = new Promise((done) => {
      let start = 0;
      window.addEventListener('keydown', () => (start = performance.now()), {
        capture: true,
        once: true,
      });
      const observer = new MutationObserver(() => {
        if (start === 0) return;
        observer.disconnect();
        requestAnimationFrame(() => done(performance.now() - start));
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  });
  await page.keyboard.press(key);
  return page.evaluate(() => (window as unknown as { __keystroke: Promise<number> }).__keystroke);
}

/** Gzip bytes of the scripts and styles loaded so far. */
function gzipKiB(): number {
  let bytes = 0;
  for (const path of loaded) {
    const file = join(RENDERER_DIR, path);
    if (existsSync(file)) bytes += gzipSync(readFileSync(file)).length;
  }
  return bytes / 1024;
}

describe(`renderer with ${ACCOUNTS.toLocaleString('en')} accounts in Chromium (results in bench/results.json)`, () => {
  bench(
    'first paint, filter keystroke, bundle',
    async () => {
      const paints: number[] = [];
      for (let i = 0; i < LOADS; i += 1) paints.push(await firstPaint());
      const rows = await page.locator('[data-account-id]').count();
      ensure(rows > 0 && rows < ACCOUNTS, 'the list is virtualised and shows accounts');
      const keys: number[] = [];
      for (let i = 0; i < KEYSTROKES; i += 1) keys.push(await keystroke(String(i + 1)));
      const accountsView = gzipKiB();
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: /Console/ })
        .click();
      await page.waitForLoadState('networkidle');
      const withConsole = gzipKiB();
      recordResult(
        absoluteResult(
          `renderer: first paint of the list, ${ACCOUNTS} accounts, median of ${LOADS}`,
          median(paints),
          'ms',
          200,
        ),
        absoluteResult(
          `renderer: one filter keystroke to the updated list, median of ${KEYSTROKES}`,
          median(keys),
          'ms',
          16,
        ),
        absoluteResult('renderer bundle, gzip, accounts view', accountsView, 'KiB', 250),
        absoluteResult('renderer bundle, gzip, console loaded', withConsole, 'KiB', 400),
      );
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
});
