import { describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../../../src-main/core/log';
import { errorPageUrl, recoverFromFailures } from '../../../src-main/electron/window-recovery';

type Handler = (...args: unknown[]) => void;

const APP_URL = 'app://tokendeck/index.html';

/** A window whose loads are recorded and whose web contents' events the test fires. */
function fakeWindow() {
  const handlers = new Map<string, Handler>();
  const loaded: string[] = [];
  const window = {
    destroyed: false,
    isDestroyed: () => window.destroyed,
    loadURL: vi.fn(async (url: string) => {
      loaded.push(url);
    }),
    webContents: {
      on(event: string, handler: Handler) {
        handlers.set(event, handler);
      },
    },
  };
  const fire = (event: string, ...args: unknown[]) => handlers.get(event)?.({}, ...args);
  return { window, loaded, fire };
}

function install() {
  const fake = fakeWindow();
  const logger = { ...nullLogger, warn: vi.fn(), error: vi.fn() };
  recoverFromFailures(fake.window as never, { url: APP_URL, logger, logFile: '/d/logs/t.log' });
  return { ...fake, logger };
}

const decoded = (url: string | undefined) => decodeURIComponent(url ?? '');

describe('window recovery', () => {
  it('reloads once after a failed load, then shows a plain error page, and stops there', () => {
    const { loaded, fire } = install();
    fire('did-fail-load', -6, 'ERR_FILE_NOT_FOUND', APP_URL, true);
    expect(loaded).toEqual([APP_URL]);
    fire('did-fail-load', -6, 'ERR_FILE_NOT_FOUND', APP_URL, true);
    expect(loaded).toHaveLength(2);
    expect(loaded[1]).toMatch(/^data:text\/html/);
    expect(decoded(loaded[1])).toContain('ERR_FILE_NOT_FOUND');
    expect(decoded(loaded[1])).toContain('/d/logs/t.log');
    fire('did-fail-load', -2, 'ERR_FAILED', 'data:', true);
    fire('render-process-gone', { reason: 'crashed', exitCode: 1 });
    expect(loaded).toHaveLength(2);
  });

  it('reloads a crashed renderer once, then shows the error page', () => {
    const { loaded, fire, logger } = install();
    fire('render-process-gone', { reason: 'crashed', exitCode: 139 });
    expect(loaded).toEqual([APP_URL]);
    expect(logger.warn).toHaveBeenCalledWith('window: reloading once', expect.anything());
    fire('render-process-gone', { reason: 'oom', exitCode: 0 });
    expect(decoded(loaded[1])).toContain('oom');
    expect(logger.error).toHaveBeenCalled();
  });

  it('ignores sub-frame failures, aborted loads and a clean renderer exit', () => {
    const { loaded, fire } = install();
    fire('did-fail-load', -6, 'ERR_FILE_NOT_FOUND', 'app://tokendeck/frame.html', false);
    fire('did-fail-load', -3, 'ERR_ABORTED', APP_URL, true);
    fire('render-process-gone', { reason: 'clean-exit', exitCode: 0 });
    expect(loaded).toEqual([]);
  });

  it('does nothing to a destroyed window', () => {
    const { window, loaded, fire } = install();
    window.destroyed = true;
    fire('render-process-gone', { reason: 'crashed', exitCode: 1 });
    expect(loaded).toEqual([]);
  });

  it('logs a rejected reload instead of leaving it unhandled', async () => {
    const { window, fire, logger } = install();
    window.loadURL.mockRejectedValueOnce(new Error('ERR_FAILED'));
    fire('did-fail-load', -2, 'ERR_FAILED', APP_URL, true);
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith('window: load failed', expect.anything()),
    );
  });
});

describe('the error page', () => {
  it('runs no script and shows the reason as text', () => {
    const page = decoded(errorPageUrl('<script>alert(1)</script>', 'C:\\logs\\<x>.log'));
    expect(page).toContain("default-src 'none'");
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;');
  });
});
