import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where `npm run dist` left the unpacked app for this OS and CPU, or `TOKENDECK_APP` (the path
 * of the app's executable) when set.
 */
export interface PackagedApp {
  /** The executable Playwright and the fuse reader take (the .app bundle on macOS). */
  appPath: string;
  /** The binary itself. */
  executable: string;
  /** The `tokendeck` launcher inside the installation. */
  launcher: string;
}

const root = resolve(import.meta.dirname, '../..');

function layout(base: string, platform: NodeJS.Platform): PackagedApp {
  switch (platform) {
    case 'darwin':
      return {
        appPath: base,
        executable: join(base, 'Contents', 'MacOS', 'Tokendeck'),
        launcher: join(base, 'Contents', 'Resources', 'bin', 'tokendeck'),
      };
    case 'win32':
      return {
        appPath: join(base, 'Tokendeck.exe'),
        executable: join(base, 'Tokendeck.exe'),
        launcher: join(base, 'resources', 'bin', 'tokendeck.cmd'),
      };
    default:
      return {
        appPath: join(base, 'tokendeck'),
        executable: join(base, 'tokendeck'),
        launcher: join(base, 'resources', 'bin', 'tokendeck'),
      };
  }
}

/** The unpacked folder (the .app on macOS) for a platform and architecture. */
export function unpackedDir(dist: string, platform: NodeJS.Platform, arch: string): string {
  switch (platform) {
    case 'darwin':
      return join(dist, arch === 'arm64' ? 'mac-arm64' : 'mac', 'Tokendeck.app');
    case 'win32':
      return join(dist, arch === 'arm64' ? 'win-arm64-unpacked' : 'win-unpacked');
    default:
      return join(dist, arch === 'arm64' ? 'linux-arm64-unpacked' : 'linux-unpacked');
  }
}

export function findPackagedApp(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): PackagedApp {
  const override = process.env.TOKENDECK_APP;
  const base = override
    ? platform === 'darwin'
      ? resolve(override, '../../..')
      : resolve(override, '..')
    : unpackedDir(join(root, 'dist'), platform, arch);
  const app = layout(base, platform);
  if (!existsSync(app.executable)) {
    throw new Error(`No packaged app at ${app.executable}: run "npm run dist" first.`);
  }
  return app;
}

/** A copy's layout, for the same platform. */
export function relocate(app: PackagedApp, from: string, to: string): PackagedApp {
  const move = (path: string) => join(to, path.slice(from.length));
  return {
    appPath: move(app.appPath),
    executable: move(app.executable),
    launcher: move(app.launcher),
  };
}
