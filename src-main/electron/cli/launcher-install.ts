import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readlink, symlink, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { dialog, type BrowserWindow } from 'electron';
import {
  elevatedSymlinkScript,
  isOnPosixPath,
  planLauncher,
  withUserPathEntry,
  type LauncherPlan,
} from './launcher-plan';

/**
 * Carries out a {@link LauncherPlan}: "Install command-line tool…" in the app menu.
 *
 * Nothing that is not ours is replaced without asking: an existing `tokendeck` (say, an
 * `npm link` of a clone) is named, and the user chooses.
 */

const run = promisify(execFile);

/** The effects that need the OS or the user; tests replace them. */
export interface LauncherEffects {
  /** Asks before replacing something that is already at `path`. */
  confirmReplace(path: string, what: string): Promise<boolean>;
  /** macOS: runs an AppleScript, which asks for the administrator's rights. */
  runElevated(script: string): Promise<void>;
  /** Windows: the user's PATH as stored, with `%VARIABLE%` forms unexpanded. */
  readUserPath(): Promise<string>;
  writeUserPath(value: string): Promise<void>;
  symlink(target: string, link: string): Promise<void>;
}

export type LauncherOutcome =
  { status: 'installed' | 'already'; message: string } | { status: 'cancelled' };

async function describeExisting(path: string): Promise<string | null> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return `a link to ${await readlink(path)}`;
    return info.isDirectory() ? 'a folder' : 'a file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const usage = 'Open a new terminal and run: tokendeck --help';

function onPathHint(link: string, env: NodeJS.ProcessEnv): string {
  const dir = dirname(link);
  return isOnPosixPath(dir, env.PATH)
    ? usage
    : `Add ${dir} to your PATH, then run: tokendeck --help`;
}

const isPermissionError = (error: unknown) =>
  ['EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '');

async function installSymlink(
  plan: Extract<LauncherPlan, { kind: 'symlink' }>,
  effects: LauncherEffects,
  env: NodeJS.ProcessEnv,
): Promise<LauncherOutcome> {
  if (!existsSync(plan.target)) {
    throw new Error(`This installation has no launcher at ${plan.target}.`);
  }
  const existing = await describeExisting(plan.link);
  if (existing === `a link to ${plan.target}`) {
    return { status: 'already', message: `${plan.link} is already installed. ${usage}` };
  }
  if (existing && !(await effects.confirmReplace(plan.link, existing))) {
    return { status: 'cancelled' };
  }
  try {
    await mkdir(dirname(plan.link), { recursive: true });
    if (existing) await unlink(plan.link);
    await effects.symlink(plan.target, plan.link);
  } catch (error) {
    if (!plan.elevateIfNeeded || !isPermissionError(error)) throw error;
    await effects.runElevated(elevatedSymlinkScript(plan.link, plan.target));
  }
  return {
    status: 'installed',
    message: `Installed ${plan.link}. ${onPathHint(plan.link, env)}`,
  };
}

async function installScript(
  plan: Extract<LauncherPlan, { kind: 'script' }>,
  effects: LauncherEffects,
  env: NodeJS.ProcessEnv,
): Promise<LauncherOutcome> {
  const existing = await describeExisting(plan.path);
  if (existing === 'a file' && (await readFile(plan.path, 'utf8')) === plan.content) {
    return { status: 'already', message: `${plan.path} is already installed. ${usage}` };
  }
  if (existing && !(await effects.confirmReplace(plan.path, existing))) {
    return { status: 'cancelled' };
  }
  await mkdir(dirname(plan.path), { recursive: true });
  if (existing) await unlink(plan.path);
  await writeFile(plan.path, plan.content, { mode: 0o755 });
  return { status: 'installed', message: `Installed ${plan.path}. ${onPathHint(plan.path, env)}` };
}

async function addToUserPath(
  plan: Extract<LauncherPlan, { kind: 'user-path' }>,
  effects: LauncherEffects,
): Promise<LauncherOutcome> {
  if (!existsSync(join(plan.dir, 'tokendeck.cmd'))) {
    throw new Error(`This installation has no launcher in ${plan.dir}.`);
  }
  const next = withUserPathEntry(await effects.readUserPath(), plan.dir);
  if (next === null) {
    return { status: 'already', message: `${plan.dir} is already on your PATH. ${usage}` };
  }
  await effects.writeUserPath(next);
  return { status: 'installed', message: `Added ${plan.dir} to your PATH. ${usage}` };
}

export function installLauncher(
  plan: LauncherPlan,
  effects: LauncherEffects,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LauncherOutcome> {
  switch (plan.kind) {
    case 'symlink':
      return installSymlink(plan, effects, env);
    case 'script':
      return installScript(plan, effects, env);
    case 'user-path':
      return addToUserPath(plan, effects);
  }
}

// ------------------------------------------------------------------ the OS's side

/** Reads HKCU\Environment\Path without expanding it, so `%VARIABLE%` entries survive. */
const READ_USER_PATH =
  "$k = [Microsoft.Win32.Registry]::CurrentUser.OpenSubKey('Environment'); " +
  "if ($k) { [Console]::Out.Write($k.GetValue('Path', '', 'DoNotExpandEnvironmentNames')) }";
/**
 * Writes it back as REG_EXPAND_SZ, then sets and clears a user variable through .NET, which
 * broadcasts the change so that new terminals see the new PATH.
 */
const WRITE_USER_PATH =
  "$k = [Microsoft.Win32.Registry]::CurrentUser.CreateSubKey('Environment'); " +
  "$k.SetValue('Path', $env:TOKENDECK_USER_PATH, 'ExpandString'); " +
  "[Environment]::SetEnvironmentVariable('TOKENDECK_PATH_CHANGED', '1', 'User'); " +
  "[Environment]::SetEnvironmentVariable('TOKENDECK_PATH_CHANGED', $null, 'User')";

function powershell(script: string, env: NodeJS.ProcessEnv = process.env) {
  return run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], {
    env,
    windowsHide: true,
  });
}

function osEffects(parent: BrowserWindow | undefined): LauncherEffects {
  return {
    async confirmReplace(path, what) {
      const options = {
        type: 'question' as const,
        buttons: ['Replace', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        message: `${path} already exists.`,
        detail: `It is ${what}. Replace it with Tokendeck's command-line tool?`,
      };
      const { response } = parent
        ? await dialog.showMessageBox(parent, options)
        : await dialog.showMessageBox(options);
      return response === 0;
    },
    async runElevated(script) {
      await run('osascript', ['-e', script]);
    },
    async readUserPath() {
      return (await powershell(READ_USER_PATH)).stdout;
    },
    async writeUserPath(value) {
      await powershell(WRITE_USER_PATH, { ...process.env, TOKENDECK_USER_PATH: value });
    },
    symlink: (target, link) => symlink(target, link),
  };
}

/** The menu item's action: installs the launcher and says how it went. */
export async function installCommandLineTool(parent?: BrowserWindow): Promise<void> {
  const plan = planLauncher({
    platform: process.platform,
    resourcesPath: process.resourcesPath,
    home: homedir(),
    env: process.env,
  });
  const show = (type: 'info' | 'error', message: string, detail: string) =>
    parent
      ? dialog.showMessageBox(parent, { type, message, detail })
      : dialog.showMessageBox({ type, message, detail });
  try {
    const outcome = await installLauncher(plan, osEffects(parent));
    if (outcome.status === 'cancelled') return;
    await show('info', 'The tokendeck command is ready', outcome.message);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await show('error', 'The tokendeck command was not installed', reason);
  }
}
