import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({
  calls: [] as string[],
  exitCode: null as number | null,
  runCli: vi.fn(),
  windows: 0,
}));

vi.mock('electron', () => {
  const app = {
    isPackaged: true,
    setPath: vi.fn((name: string, path: string) => state.calls.push(`setPath:${name}:${path}`)),
    disableHardwareAcceleration: vi.fn(),
    dock: { hide: vi.fn() },
    whenReady: vi.fn(async () => {
      state.calls.push('whenReady');
      await Promise.resolve();
      state.calls.push('ready');
    }),
    requestSingleInstanceLock: vi.fn(() => true),
    exit: vi.fn((code: number) => {
      state.exitCode = code;
    }),
    on: vi.fn(),
  };
  class BrowserWindow {
    constructor() {
      state.windows += 1;
    }
  }
  const electron = {
    app,
    BrowserWindow,
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    // Every touch of safeStorage is recorded, to check none comes before ready (SECURITY 24).
    safeStorage: new Proxy(
      {
        isEncryptionAvailable: () => true,
        encryptString: (text: string) => Buffer.from(text),
        decryptString: (data: Buffer) => data.toString(),
      },
      {
        get(object, property, receiver) {
          const value = Reflect.get(object, property, receiver) as unknown;
          if (typeof property === 'string' && typeof value === 'function') {
            state.calls.push(`safeStorage.${property}`);
          }
          return value;
        },
      },
    ),
    dialog: { showErrorBox: vi.fn() },
  };
  return { ...electron, default: electron };
});

vi.mock('../../../src-main/cli/run', () => ({ runCli: state.runCli }));

const { CLI_FLAG, cliArguments, cliDataDir } = await import('../../../src-main/electron/cli');

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('CLI mode detection', () => {
  it('is the launcher flag before --, and the arguments are what follows --', () => {
    expect(cliArguments(['/Applications/Tokendeck.app/Contents/MacOS/Tokendeck'])).toBeNull();
    expect(cliArguments(['Tokendeck.exe', CLI_FLAG, '--', 'accounts', '--json'])).toEqual([
      'accounts',
      '--json',
    ]);
    expect(
      cliArguments(['tokendeck', CLI_FLAG, '--ozone-platform=headless', '--', '--version']),
    ).toEqual(['--version']);
    // A runtime may put its own switches first (an AppImage's, or `electron .` in a clone).
    expect(cliArguments(['electron', '.', '--no-sandbox', CLI_FLAG, '--', 'token', 'x'])).toEqual([
      'token',
      'x',
    ]);
    expect(cliArguments(['tokendeck', CLI_FLAG])).toEqual([]);
    expect(cliArguments(['tokendeck', CLI_FLAG, 'accounts'])).toEqual(['accounts']);
  });

  it('is not the flag among the user arguments, nor the executable itself', () => {
    expect(cliArguments(['tokendeck', '--', CLI_FLAG])).toBeNull();
    expect(cliArguments([CLI_FLAG])).toBeNull();
    expect(cliArguments(['Tokendeck', '--inspect=0', '--remote-debugging-port=0'])).toBeNull();
  });

  it('finds the data folder as the CLI will: --data-dir, then TOKENDECK_DATA_DIR', () => {
    expect(cliDataDir(['accounts', '--data-dir', '/d'], {})).toBe('/d');
    expect(cliDataDir(['--data-dir=/e', 'accounts'], { TOKENDECK_DATA_DIR: '/x' })).toBe('/e');
    expect(cliDataDir(['accounts'], { TOKENDECK_DATA_DIR: '/x' })).toBe('/x');
    expect(cliDataDir(['accounts'], { XDG_CONFIG_HOME: '/cfg' })).toMatch(/Tokendeck$/);
  });
});

describe('main in CLI mode', () => {
  beforeEach(() => {
    state.calls.length = 0;
    state.exitCode = null;
    state.windows = 0;
    state.runCli.mockReset();
  });

  async function runMain(args: string[]) {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokendeck-cli-mode-'));
    roots.push(dataDir);
    const argv = process.argv;
    process.argv = ['/opt/Tokendeck/tokendeck', CLI_FLAG, '--', ...args, '--data-dir', dataDir];
    try {
      vi.resetModules();
      const electron = await import('electron');
      vi.mocked(electron.app.requestSingleInstanceLock).mockClear();
      await import('../../../src-main/electron/main');
      await vi.waitFor(() => expect(state.exitCode).not.toBeNull());
      return { electron, dataDir };
    } finally {
      process.argv = argv;
    }
  }

  it('runs the same CLI code with the arguments, and exits with its code: no window, no lock', async () => {
    state.runCli.mockResolvedValue(3);
    const { electron, dataDir } = await runMain(['accounts', '--json']);
    expect(state.runCli).toHaveBeenCalledWith(
      ['accounts', '--json', '--data-dir', dataDir],
      expect.objectContaining({ stdout: process.stdout, stderr: process.stderr }),
      expect.objectContaining({ keychain: expect.any(Function) }),
    );
    expect(state.exitCode).toBe(3);
    expect(state.windows).toBe(0);
    expect(electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(electron.app.dock?.hide).toHaveBeenCalled();
    // userData is the data folder (its Local State holds the Windows keychain key); the
    // session data goes to a temporary folder, apart from the running app's.
    expect(state.calls).toContain(`setPath:userData:${dataDir}`);
    const session = state.calls.find((call) => call.startsWith('setPath:sessionData:'));
    expect(session).not.toContain(dataDir);
  });

  it('asks the OS keychain only when the CLI opens a vault, after ready', async () => {
    state.runCli.mockImplementation(async (_args, _io, host) => {
      expect(state.calls).not.toContain('whenReady');
      expect(state.calls.filter((call) => call.startsWith('safeStorage.'))).toEqual([]);
      // The command opens the vault: only now is the keychain asked for.
      const port = await host.keychain();
      expect(port.status()).toMatchObject({ available: true });
      return 0;
    });
    await runMain(['accounts']);
    expect(state.exitCode).toBe(0);
    // SECURITY 24: safeStorage is first touched once ready has come.
    const first = state.calls.findIndex((call) => call.startsWith('safeStorage.'));
    expect(first).toBeGreaterThan(state.calls.indexOf('ready'));
  });

  it('turns an unexpected failure into one line and exit code 1', async () => {
    state.runCli.mockRejectedValue(new Error('boom'));
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((...args: unknown[]) => {
      const done = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    });
    try {
      await runMain(['accounts']);
      expect(state.exitCode).toBe(1);
      expect(write).toHaveBeenCalledWith('tokendeck: boom\n');
    } finally {
      write.mockRestore();
    }
  });
});
