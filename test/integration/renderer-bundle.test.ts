import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's size budget, on the production build `npm test` makes first: the entry chunk
 * the first view needs at most 250 KB gzipped, and all renderer JavaScript at most 400 KB
 * (raw, minified). Sizes are deterministic for a given build, unlike timings.
 */

const RENDERER = resolve(import.meta.dirname, '../../out/renderer');
const ENTRY_GZIP_BUDGET = 250 * 1024;
const TOTAL_JS_BUDGET = 400 * 1024;

function assets(): string[] {
  if (!existsSync(join(RENDERER, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` first.');
  }
  return readdirSync(join(RENDERER, 'assets')).filter((name) => name.endsWith('.js'));
}

describe('renderer bundle budget', () => {
  it('is minified, with the entry chunk within 250 KB gzip and all JS within 400 KB', () => {
    const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
    const entry = /<script type="module"[^>]*src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry, 'index.html names its entry script').toBeDefined();
    const entryBytes = readFileSync(join(RENDERER, entry!));
    const entryGzip = gzipSync(entryBytes, { level: 9 }).length;
    const total = assets().reduce(
      (sum, name) => sum + readFileSync(join(RENDERER, 'assets', name)).length,
      0,
    );
    // Minified: no line is indented the way unminified output is.
    expect(entryBytes.toString('utf8')).not.toMatch(/\n\t\t\t/);
    expect(entryGzip).toBeLessThanOrEqual(ENTRY_GZIP_BUDGET);
    expect(total).toBeLessThanOrEqual(TOTAL_JS_BUDGET);
    console.info(
      `renderer: entry ${(entryGzip / 1024).toFixed(1)} KB gzip, all JS ${(total / 1024).toFixed(1)} KB`,
    );
  });

  it('keeps the palette, the provider form, the inspector and the timeline out of the entry', () => {
    const names = assets();
    for (const lazy of ['palette', 'provider-form', 'inspector', 'timeline']) {
      expect(names.some((name) => name.startsWith(`${lazy}-`))).toBe(true);
    }
  });
});
