import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_CSP,
  appCspWithNonce,
  withMetaPolicy,
  createAppProtocolHandler,
  resolveAppPath,
} from '../../../src-main/electron/app-protocol';

let base: string;
let root: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'tokendeck-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="${APP_CSP}"><title>Tokendeck</title>`,
  );
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'do not serve');
  handler = createAppProtocolHandler(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const NONCE_POLICY = /style-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='; img-src/;

const get = (url: string) => handler(new Request(url));

describe('app:// protocol (SECURITY 6)', () => {
  it('serves index.html with the HTML type and the CSP header', async () => {
    const response = await get('app://tokendeck/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(NONCE_POLICY);
    expect(await response.text()).toContain('<title>Tokendeck</title>');
    expect((await get('app://tokendeck/')).status).toBe(200);
  });

  it('serves module scripts and styles with the right MIME types', async () => {
    const script = await get('app://tokendeck/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const style = await get('app://tokendeck/assets/app.css');
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it.each([
    'app://tokendeck/../secret.txt',
    'app://tokendeck/%2e%2e/secret.txt',
    'app://tokendeck/..%2fsecret.txt',
    'app://tokendeck/%2e%2e%2fsecret.txt',
    'app://tokendeck/assets/..%2f..%2fsecret.txt',
    'app://tokendeck/..%5csecret.txt',
    'app://tokendeck/index.html%00.js',
    'app://tokendeck/missing.js',
    'app://tokendeck/assets/',
    'app://evil/index.html',
    'app://tokendeck.evil/index.html',
  ])('answers 404 for %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('do not serve');
  });

  it('refuses encoded traversal before touching the file system', () => {
    expect(resolveAppPath(root, 'app://tokendeck/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppPath(root, 'app://tokendeck/%2e%2e%2f%2e%2e%2fsecret.txt')).toBeNull();
    expect(resolveAppPath(root, 'app://tokendeck/%E0%A4%A')).toBeNull();
    expect(resolveAppPath(root, 'app://tokendeck/assets/app.js')).toBe(
      join(root, 'assets', 'app.js'),
    );
  });

  it('gives each page load a fresh style nonce, the same in the header and the meta tag', async () => {
    const policies: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const response = await get('app://tokendeck/index.html');
      const header = response.headers.get('content-security-policy') ?? '';
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
        await response.text(),
      )?.[1];
      expect(meta).toBe(header);
      expect(header).toMatch(NONCE_POLICY);
      // Only style-src changes: scripts stay 'self' only.
      expect(header.replace(/ 'nonce-[^']+'/, '')).toBe(APP_CSP);
      policies.push(header);
    }
    expect(policies[0]).not.toBe(policies[1]);
    const script = await get('app://tokendeck/assets/app.js');
    expect(script.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it('refuses a nonce that is not base64, and a page without a policy tag', () => {
    expect(() => appCspWithNonce("x' 'unsafe-inline")).toThrow(/base64/);
    expect(() => withMetaPolicy('<html></html>', APP_CSP)).toThrow(/meta tag/);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await handler(new Request('app://tokendeck/index.html', { method: 'POST' }));
    expect(response.status).toBe(404);
  });

  it('uses the same policy as the renderer HTML meta tag', () => {
    const html = readFileSync(
      join(import.meta.dirname, '../../../src-renderer/index.html'),
      'utf8',
    );
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(APP_CSP);
  });
});
