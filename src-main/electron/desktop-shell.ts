import { nativeTheme } from 'electron';
import {
  copiedNotice,
  copyFailedNotice,
  followAccounts,
  followSettings,
  needsUserNotice,
  toErrorPayload,
  trayModel,
  type AccountSource,
  type Logger,
  type LoginItem,
  type ServiceCalls,
  type SettingsSource,
} from '../core';
import type { Notifier } from './notifier';
import { createAppTray, type AppTray } from './tray';

/**
 * The desktop shell around the window, once the service is open: the tray menu kept current from
 * the service's events, a notification when an account starts needing the user, and the theme
 * and open-at-login preferences applied to the OS. Wiring only: the decisions are the core's
 * (`core/desktop`).
 */

export type ShellService = AccountSource & SettingsSource & Pick<ServiceCalls, 'copyToken'>;

export interface DesktopShellOptions {
  service: ShellService;
  platform: NodeJS.Platform;
  /** The folder with the tray icons. */
  iconDir: string;
  notifier: Notifier;
  loginItem: LoginItem | null;
  /** Brings the window to the front (creating it if it was closed). */
  showWindow(): void;
  quit(): void;
  logger: Logger;
}

export interface DesktopShell {
  /** True while the tray icon is up, so closing the window leaves Tokendeck running. */
  readonly hasTray: boolean;
  stop(): void;
}

export function startDesktopShell(options: DesktopShellOptions): DesktopShell {
  const { service, notifier, logger, showWindow } = options;
  let tray: AppTray | null = null;
  try {
    tray = createAppTray({
      iconDir: options.iconDir,
      platform: options.platform,
      logger,
      actions: {
        copy: (accountId, format, label) => {
          service.copyToken({ accountId, format }).then(
            (result) => notifier.show(copiedNotice(label, result)),
            (error: unknown) => {
              logger.warn('tray: copy failed', { accountId, error });
              notifier.show(copyFailedNotice(label, toErrorPayload(error).message), showWindow);
            },
          );
        },
        openWindow: showWindow,
        quit: options.quit,
      },
    });
  } catch (error) {
    logger.warn('tray: could not create the tray icon; closing the window quits', { error });
  }
  const stopAccounts = followAccounts(service, {
    onChange: ({ accounts, vault }) => tray?.update(trayModel(accounts, vault)),
    onNeedsUser: (account) => notifier.show(needsUserNotice(account), showWindow),
    logger,
  });
  const following = followSettings(service, {
    applyTheme: (theme) => {
      nativeTheme.themeSource = theme;
    },
    loginItem: options.loginItem,
    logger,
  });
  return {
    get hasTray() {
      return tray !== null;
    },
    stop() {
      void following.then((stopSettings) => stopSettings());
      stopAccounts();
      tray?.destroy();
      tray = null;
    },
  };
}
