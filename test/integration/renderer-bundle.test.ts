import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's size budget, on the production build `npm test` makes first: the entry chunk
 * the first view needs at most 250 KB gzipped; everything the app loads before the Console opens
 * at most 400 KB of raw minified JavaScript; and all renderer JavaScript, the request console's
 * editor (CodeMirror, GraphQL) included, at most 400 KB gzipped. Sizes are deterministic for a
 * given build, unlike timings.
 */

const RENDERER = resolve(import.meta.dirname, '../../out/renderer');
const ENTRY_GZIP_BUDGET = 250 * 1024;
const BEFORE_CONSOLE_RAW_BUDGET = 400 * 1024;
const TOTAL_GZIP_BUDGET = 400 * 1024;
/** Chunks that only the Console tab loads. */
const CONSOLE_CHUNK = /^console-/;

function assets(): string[] {
  if (!existsSync(join(RENDERER, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` first.');
  }
  return readdirSync(join(RENDERER, 'assets')).filter((name) => name.endsWith('.js'));
}

const bytesOf = (name: string) => readFileSync(join(RENDERER, 'assets', name));
const gzipped = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

describe('renderer bundle budget', () => {
  it('is minified, with the entry within 250 KB gzip and all JS within the budgets', () => {
    const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
    const entry = /<script type="module"[^>]*src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry, 'index.html names its entry script').toBeDefined();
    const entryBytes = readFileSync(join(RENDERER, entry!));
    const entryGzip = gzipped(entryBytes);
    const names = assets();
    const beforeConsole = names
      .filter((name) => !CONSOLE_CHUNK.test(name))
      .reduce((sum, name) => sum + bytesOf(name).length, 0);
    const totalGzip = names.reduce((sum, name) => sum + gzipped(bytesOf(name)), 0);
    // Minified: no line is indented the way unminified output is.
    expect(entryBytes.toString('utf8')).not.toMatch(/\n\t\t\t/);
    expect(entryGzip).toBeLessThanOrEqual(ENTRY_GZIP_BUDGET);
    expect(beforeConsole).toBeLessThanOrEqual(BEFORE_CONSOLE_RAW_BUDGET);
    expect(totalGzip).toBeLessThanOrEqual(TOTAL_GZIP_BUDGET);
    console.info(
      `renderer: entry ${(entryGzip / 1024).toFixed(1)} KB gzip, before the Console ` +
        `${(beforeConsole / 1024).toFixed(1)} KB, all JS ${(totalGzip / 1024).toFixed(1)} KB gzip`,
    );
  });

  it('keeps the palette, the provider form, the inspector, the timeline and the console out of the entry', () => {
    const names = assets();
    for (const lazy of ['palette', 'provider-form', 'inspector', 'timeline', 'console-screen']) {
      expect(names.some((name) => name.startsWith(`${lazy}-`))).toBe(true);
    }
    const entry = names.find((name) => name.startsWith('index-'));
    // The editor is not in the entry: CodeMirror's view class is only in the console's chunk.
    expect(bytesOf(entry!).toString('utf8')).not.toContain('cm-scroller');
  });
});
