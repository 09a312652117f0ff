import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listPackage } from '@electron/asar';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { APP_CSP } from '../../src-main/electron/app-protocol';
import { CONTRACT_METHODS } from '../../src-preload/contract';
import { findPackagedApp, relocate, type PackagedApp } from './packaged-app';

/**
 * The packaged app in a real Electron: `npm run smoke`, after `npm run dist`, in the release
 * workflow on macOS, Windows and Linux (under xvfb). Never part of `npm test`: this machine
 * cannot download Electron.
 *
 * Playwright drives Electron through the Node inspector, which the production fuses switch off
 * (SECURITY 7). The fuses are read back from the real build first; the UI checks then run on a
 * copy in which only EnableNodeCliInspectArguments is switched back on.
 */

const app = findPackagedApp();
const { version } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'),
) as { version: string };
const posix = process.platform !== 'win32';
const PASSPHRASE = 'smoke test passphrase, long enough';
const API_KEY = 'smoke-api-key-0123456789abcdef';
/** Fuse states as @electron/fuses reads them: the characters '0' and '1'. */
const OFF = 48;
const ON = 49;

async function scratch(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `tokendeck-smoke-${name}-`));
}

/** Runs the packaged `tokendeck` launcher, as a terminal would. */
function tokendeck(args: string[], env: NodeJS.ProcessEnv) {
  const result =
    process.platform === 'win32'
      ? // Node runs a .cmd only through the shell; the arguments here need no quoting.
        spawnSync(`"${app.launcher}"`, args, {
          shell: true,
          env,
          encoding: 'utf8',
          timeout: 120_000,
        })
      : spawnSync(app.launcher, args, { env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function asarPath(packaged: PackagedApp): string {
  return process.platform === 'darwin'
    ? join(packaged.appPath, 'Contents', 'Resources', 'app.asar')
    : join(dirname(packaged.executable), 'resources', 'app.asar');
}

test('the fuses read back as configured (SECURITY 7)', async () => {
  const wire = await getCurrentFuseWire(app.appPath);
  test.info().annotations.push({ type: 'fuses', description: JSON.stringify(wire) });
  expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
  expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
  expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
  expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
  expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
  expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
});

test('the package holds no sources, tests, benchmarks or source maps', () => {
  const files = listPackage(asarPath(app), { isPack: false }).map((file) =>
    file.replaceAll('\\', '/'),
  );
  expect(files).toContain('/out/main/index.js');
  const unwanted = files.filter((file) =>
    /(\.map|\.tsx?|\.(test|spec|bench)\.[cm]?js)$|^\/(src-main|src-renderer|test|bench)\//.test(
      file,
    ),
  );
  expect(unwanted).toEqual([]);
});

test('the tokendeck launcher runs the CLI: output and exit code come through', async () => {
  const dataDir = await scratch('cli');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TOKENDECK_DATA_DIR: dataDir,
    TOKENDECK_PASSPHRASE: PASSPHRASE,
  };
  try {
    expect(tokendeck(['--version'], env)).toMatchObject({ status: 0, stdout: `${version}\n` });
    const accounts = tokendeck(['accounts', '--json'], env);
    expect(accounts.status, accounts.stderr).toBe(0);
    expect(JSON.parse(accounts.stdout)).toEqual([]);
    const wrong = tokendeck(['no-such-command'], env);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    if (process.platform === 'linux') {
      // Over SSH or in CI there is no display: the launcher starts Chromium headless.
      const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...headless } = env;
      expect(tokendeck(['--version'], headless)).toMatchObject({
        status: 0,
        stdout: `${version}\n`,
      });
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.describe('the real app', () => {
  let copyRoot: string;
  let inspectable: PackagedApp;
  let dataDir: string;
  let electronApp: ElectronApplication;

  test.beforeAll(async () => {
    // The unpacked folder (the .app on macOS), copied; only the inspector fuse is flipped back.
    const source = process.platform === 'darwin' ? app.appPath : dirname(app.executable);
    copyRoot = await scratch('copy');
    const target = join(copyRoot, process.platform === 'darwin' ? 'Tokendeck.app' : 'app');
    await cp(source, target, { recursive: true, verbatimSymlinks: true });
    inspectable = relocate(app, source, target);
    await flipFuses(inspectable.appPath, {
      version: FuseVersion.V1,
      [FuseV1Options.EnableNodeCliInspectArguments]: true,
      resetAdHocDarwinSignature: process.platform === 'darwin',
    });
    dataDir = await scratch('data');
    electronApp = await electron.launch({
      executablePath: inspectable.executable,
      env: { ...process.env, TOKENDECK_DATA_DIR: dataDir },
      timeout: 120_000,
    });
  });

  test.afterAll(async () => {
    await electronApp?.close().catch(() => undefined);
    await rm(copyRoot, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  test('opens on app:// with the production CSP, and exposes only the contract', async () => {
    const page = await electronApp.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe('app://tokendeck/index.html');
    const csp = await page.evaluate(async () => {
      const response = await fetch(location.href);
      const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      return {
        header: response.headers.get('content-security-policy'),
        meta: meta?.getAttribute('content'),
      };
    });
    // A fresh style nonce per load, the same in the header and the meta tag; nothing else moves.
    expect(csp.header?.replace(/ 'nonce-[A-Za-z0-9+/=]+'/, '')).toBe(APP_CSP);
    expect(csp.meta).toMatch(/'nonce-/);
    expect(csp.meta).toContain("script-src 'self'");
    const bridge = await page.evaluate(() => ({
      keys: Object.keys((window as unknown as { tokendeck?: object }).tokendeck ?? {}).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(bridge).toEqual({
      keys: [...CONTRACT_METHODS, 'on'].sort(),
      require: 'undefined',
      process: 'undefined',
    });
    await page.screenshot({ path: test.info().outputPath('window.png') });
  });

  test('reports the OS keychain, and shows the honest fallback where there is no keyring', async () => {
    const keychain = await electronApp.evaluate(async ({ safeStorage }) => ({
      encryptionAvailable: safeStorage.isEncryptionAvailable(),
      asyncEncryptionAvailable: await safeStorage.isAsyncEncryptionAvailable(),
      backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
    }));
    test.info().annotations.push({ type: 'keychain', description: JSON.stringify(keychain) });
    const log = await readFile(join(dataDir, 'logs', 'tokendeck.log'), 'utf8');
    const line = log.split('\n').find((entry) => entry.includes('"msg":"os keychain'));
    test.info().annotations.push({ type: 'keychain log', description: line ?? 'none' });
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      asyncEncryptionAvailable: keychain.asyncEncryptionAvailable,
      ...(keychain.backend ? { backend: keychain.backend } : {}),
    });

    const page = await electronApp.firstWindow();
    if (keychain.backend === 'basic_text' || keychain.backend === 'unknown') {
      // docs/linux-keychain.md: ubuntu under xvfb has no keyring.
      await expect(page.getByRole('heading', { name: 'Set up your vault' })).toBeVisible();
      await expect(page.getByText('The system keyring is not secure here')).toBeVisible();
    } else {
      await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
    }
  });

  test('an API-key account added through the real IPC is copied to the clipboard', async () => {
    const page = await electronApp.firstWindow();
    const result = await page.evaluate(
      async ({ passphrase, apiKey }) => {
        const api = (
          window as unknown as { tokendeck: import('../../src-preload/contract').TokendeckApi }
        ).tokendeck;
        const status = await api.getVaultStatus();
        if (status.ok && status.value.state === 'needs-setup') {
          const set = await api.setPassphrase({ passphrase });
          if (!set.ok) return set;
        }
        const saved = await api.saveProvider({
          profile: {
            id: 'smoke-keys',
            name: 'Smoke Keys',
            grant: 'api_key',
            client: { registration: 'static', auth: 'none' },
            use: { apiBase: 'https://api.smoke.invalid' },
          },
        });
        if (!saved.ok) return saved;
        const connected = await api.connectAccount({ providerId: 'smoke-keys', apiKey });
        if (!connected.ok) return connected;
        return api.copyToken({ accountId: connected.value.accountId });
      },
      { passphrase: PASSPHRASE, apiKey: API_KEY },
    );
    expect(result).toMatchObject({ ok: true });
    expect(await electronApp.evaluate(({ clipboard }) => clipboard.readText())).toBe(API_KEY);
    await page.screenshot({ path: test.info().outputPath('account.png') });
  });

  test('the tokendeck command opens the same vault while the app runs', () => {
    // macOS and Windows: the OS keychain opens it, no passphrase. Linux under xvfb: the vault
    // has only the passphrase slot, which the command falls back to.
    const env = { ...process.env, TOKENDECK_DATA_DIR: dataDir };
    const listed = tokendeck(
      ['accounts', '--json'],
      process.platform === 'linux' ? { ...env, TOKENDECK_PASSPHRASE: PASSPHRASE } : env,
    );
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('Smoke Keys');
    expect(listed.stdout).not.toContain(API_KEY);
  });

  test("keeps Chromium's files out of the data folder, which is owner-only", async () => {
    const names = await readdir(dataDir);
    test.info().annotations.push({ type: 'data folder', description: names.join(', ') });
    expect(names).toContain('chromium');
    for (const chromium of ['Cache', 'Code Cache', 'GPUCache', 'Preferences']) {
      expect(names).not.toContain(chromium);
    }
    await electronApp.close();
    if (posix) {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect((await stat(join(dataDir, 'settings.json'))).mode & 0o777).toBe(0o600);
    }
  });
});
