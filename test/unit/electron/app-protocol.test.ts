import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_CSP,
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
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Tokendeck</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'do not serve');
  handler = createAppProtocolHandler(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string) => handler(new Request(url));

describe('app:// protocol (SECURITY 6)', () => {
  it('serves index.html with the HTML type and the CSP header', async () => {
    const response = await get('app://tokendeck/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(APP_CSP);
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
