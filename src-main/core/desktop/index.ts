/**
 * The desktop shell's logic, in plain Node: the tray menu's content, the accounts it follows,
 * when an account needing the user is news, the desktop preferences' effects, and Linux's
 * autostart entry. `src-main/electron/` turns these into Electron calls.
 */
export { followAccounts, type AccountSource, type RosterSnapshot } from './account-roster';
export { AttentionWatch, needsUser } from './needs-user';
export {
  KEPT_RUNNING_NOTICE,
  copiedNotice,
  copyFailedNotice,
  needsUserNotice,
  type Notice,
} from './notices';
export { plainText } from './plain-text';
export {
  followSettings,
  type LoginItem,
  type SettingsEffects,
  type SettingsSource,
} from './settings-effects';
export {
  TRAY_ACCOUNTS_PER_PROVIDER,
  trayModel,
  type TrayAccount,
  type TrayModel,
  type TrayProvider,
  type TrayVaultState,
} from './tray-model';
export { autostartEntry, autostartPath, createXdgAutostart, execArgument } from './xdg-autostart';
