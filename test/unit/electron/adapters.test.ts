import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const powerListeners = new Map<string, Set<() => void>>();
  return {
    openExternal: vi.fn(async () => undefined),
    writeText: vi.fn(),
    write: vi.fn(async (_items: unknown[]) => undefined),
    readText: vi.fn(),
    clear: vi.fn(),
    powerListeners,
    powerMonitor: {
      on: (event: string, listener: () => void) => {
        if (!powerListeners.has(event)) powerListeners.set(event, new Set());
        powerListeners.get(event)?.add(listener);
      },
      off: (event: string, listener: () => void) => powerListeners.get(event)?.delete(listener),
    },
  };
});

vi.mock('electron', () => ({
  shell: { openExternal: electron.openExternal },
  clipboard: {
    writeText: electron.writeText,
    write: electron.write,
    readText: electron.readText,
    clear: electron.clear,
  },
  /** Electron's ClipboardItem keeps the MIME types it was given. */
  ClipboardItem: class {
    constructor(readonly items: Record<string, unknown>) {}
  },
  powerMonitor: electron.powerMonitor,
}));

const { createSystemBrowser, isOpenableUrl } =
  await import('../../../src-main/electron/system-browser');
const { createClipboard, osFormat } = await import('../../../src-main/electron/clipboard');
const { createPowerEvents } = await import('../../../src-main/electron/power-events');

beforeEach(() => {
  electron.openExternal.mockClear();
  electron.writeText.mockClear();
  electron.write.mockClear();
});

/** The MIME types and payloads of the one item the last `clipboard.write` put there. */
async function lastWrite(): Promise<Record<string, string>> {
  const [items] = electron.write.mock.lastCall as [Array<{ items: Record<string, unknown> }>];
  expect(items).toHaveLength(1);
  const entries = await Promise.all(
    Object.entries(items[0]!.items).map(async ([type, value]) => [
      type,
      value instanceof Blob ? `bytes:${[...new Uint8Array(await value.arrayBuffer())]}` : value,
    ]),
  );
  return Object.fromEntries(entries) as Record<string, string>;
}

describe('system browser (SECURITY 5)', () => {
  it('opens http(s) URLs with shell.openExternal', async () => {
    const browser = createSystemBrowser();
    await browser.open('https://auth.example/authorize?client_id=x');
    await browser.open('http://127.0.0.1:8080/authorize');
    expect(electron.openExternal).toHaveBeenCalledTimes(2);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'tokendeck://callback',
    'ms-settings:privacy',
    'mailto:someone@example.com',
    'https://user:pass@auth.example/',
    'not a url',
    '',
  ])('refuses %j and never calls openExternal', async (url) => {
    expect(isOpenableUrl(url)).toBe(false);
    await expect(createSystemBrowser().open(url)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('reports a failing openExternal as browser_failed', async () => {
    electron.openExternal.mockRejectedValueOnce(new Error('no handler'));
    await expect(createSystemBrowser().open('https://auth.example/')).rejects.toMatchObject({
      code: 'browser_failed',
    });
  });
});

describe('clipboard', () => {
  it('writes text through the Electron clipboard', () => {
    createClipboard().writeText('value');
    expect(electron.writeText).toHaveBeenCalledWith('value');
  });

  it('Windows: a token goes with the formats that keep it out of history and cloud sync', async () => {
    await createClipboard({ platform: 'win32' }).writeText('tok', { conceal: true });
    expect(await lastWrite()).toEqual({
      'text/plain': 'tok',
      [osFormat('ExcludeClipboardContentFromMonitorProcessing')]: 'bytes:0,0,0,0',
      [osFormat('CanIncludeInClipboardHistory')]: 'bytes:0,0,0,0',
      [osFormat('CanUploadToCloudClipboard')]: 'bytes:0,0,0,0',
    });
    expect(electron.writeText).not.toHaveBeenCalled();
  });

  it('macOS: a token goes with org.nspasteboard.ConcealedType', async () => {
    await createClipboard({ platform: 'darwin' }).writeText('tok', { conceal: true });
    expect(await lastWrite()).toEqual({
      'text/plain': 'tok',
      'electron application/osclipboard;format="org.nspasteboard.ConcealedType"': 'concealed',
    });
  });

  it('Linux: a token goes with KDE’s password-manager hint', async () => {
    await createClipboard({ platform: 'linux' }).writeText('tok', { conceal: true });
    expect(await lastWrite()).toEqual({
      'text/plain': 'tok',
      'electron application/osclipboard;format="x-kde-passwordManagerHint"': 'secret',
    });
  });

  it('writes plain text alone when not asked to conceal, and on an OS without markers', async () => {
    await createClipboard({ platform: 'win32' }).writeText('https://auth.example/authorize');
    await createClipboard({ platform: 'freebsd' }).writeText('tok', { conceal: true });
    expect(electron.write).not.toHaveBeenCalled();
    expect(electron.writeText).toHaveBeenCalledTimes(2);
  });

  it('still copies when the OS refuses the markers, and logs it', async () => {
    electron.write.mockRejectedValueOnce(new Error('unknown format'));
    const warn = vi.fn();
    const logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
    await createClipboard({ platform: 'linux', logger }).writeText('tok', { conceal: true });
    expect(electron.writeText).toHaveBeenCalledWith('tok');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('markers were refused'), {
      error: expect.any(Error),
    });
  });

  it('reads and clears through the Electron clipboard', () => {
    electron.readText.mockReturnValue('held');
    expect(createClipboard().readText()).toBe('held');
    createClipboard().clear();
    expect(electron.clear).toHaveBeenCalled();
  });
});

describe('power events', () => {
  it('reports resume and unlock-screen, and stops after unsubscribe', () => {
    const listener = vi.fn();
    const stop = createPowerEvents().onResume(listener);
    for (const event of ['resume', 'unlock-screen']) {
      for (const fire of electron.powerListeners.get(event) ?? []) fire();
    }
    expect(listener).toHaveBeenCalledTimes(2);
    stop();
    expect(electron.powerListeners.get('resume')?.size).toBe(0);
    expect(electron.powerListeners.get('unlock-screen')?.size).toBe(0);
  });
});
