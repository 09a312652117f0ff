import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const powerListeners = new Map<string, Set<() => void>>();
  return {
    openExternal: vi.fn(async () => undefined),
    writeText: vi.fn(),
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
  clipboard: { writeText: electron.writeText, readText: electron.readText, clear: electron.clear },
  powerMonitor: electron.powerMonitor,
}));

const { createSystemBrowser, isOpenableUrl } =
  await import('../../../src-main/electron/system-browser');
const { createClipboard } = await import('../../../src-main/electron/clipboard');
const { createPowerEvents } = await import('../../../src-main/electron/power-events');

beforeEach(() => electron.openExternal.mockClear());

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
