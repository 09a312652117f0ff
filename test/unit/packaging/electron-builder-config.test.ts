import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The packaging config, checked against electron-builder's own JSON schema (shipped in
 * app-builder-lib) and, for what the package may contain, with electron-builder's own file
 * matcher.
 */

const root = resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
> & { files: string[]; electronFuses: Record<string, boolean> };

function validator() {
  const schema = JSON.parse(
    readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
  ) as object;
  return new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's JSON schema", () => {
    const validate = validator();
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('a misspelt option fails the same check, so the check is real', () => {
    const validate = validator();
    expect(validate({ ...config, electronFuse: { runAsNode: false } })).toBe(false);
    expect(validate({ ...config, mac: { hardenedRuntim: true } })).toBe(false);
  });

  it("names the app's entry itself: package.json has no main, so the CLI's npm package leaves the app out", () => {
    expect(config.extraMetadata).toEqual({ main: 'out/main/index.js' });
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as object;
    expect(manifest).not.toHaveProperty('main');
  });

  it('sets the fuses of SECURITY 7', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true);
  });

  it('builds dmg and zip for both Mac chips, nsis for both Windows chips, AppImage and deb', () => {
    expect(config).toMatchObject({
      appId: expect.any(String),
      productName: 'Tokendeck',
      mac: {
        hardenedRuntime: true,
        entitlements: 'build/entitlements.mac.plist',
        target: [
          { target: 'dmg', arch: ['arm64', 'x64'] },
          { target: 'zip', arch: ['arm64', 'x64'] },
        ],
      },
      win: { target: [{ target: 'nsis', arch: ['x64', 'arm64'] }] },
      nsis: { deleteAppDataOnUninstall: false },
      linux: { target: ['AppImage', 'deb'], executableName: 'tokendeck' },
      extraResources: [
        { from: 'build/cli', to: 'bin' },
        { from: 'build/tray', to: 'tray' },
      ],
    });
  });
});

describe('what the package contains', () => {
  const { FileMatcher, getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher') as {
    FileMatcher: new (
      from: string,
      to: string,
      expand: (pattern: string) => string,
      patterns: string[],
    ) => { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
    getNodeModuleFileMatcher: (
      appDir: string,
      to: string,
      expand: (pattern: string) => string,
      options: object,
      packager: object,
    ) => { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
  };
  const file = { isDirectory: () => false };
  const appFiles = new FileMatcher(root, '/app', (pattern) => pattern, config.files).createFilter();
  const moduleFiles = getNodeModuleFileMatcher(
    root,
    '/app',
    (pattern) => pattern,
    {},
    {
      config,
      debugLogger: { isEnabled: false },
    },
  ).createFilter();
  const app = (path: string) => appFiles(join(root, path), file);
  const module = (path: string) => moduleFiles(join(root, path), file);

  it('has the built app and package.json', () => {
    for (const path of ['package.json', 'out/main/index.js', 'out/preload/index.cjs']) {
      expect(app(path), path).toBe(true);
    }
    expect(app('out/renderer/assets/index-abc.js')).toBe(true);
  });

  it('has no sources, tests, benchmarks or source maps', () => {
    for (const path of [
      'out/main/index.js.map',
      'out/renderer/assets/index-abc.js.map',
      'src-main/core/service.ts',
      'test/unit/electron/main.test.ts',
      'bench/vault.bench.ts',
      'README.md',
      '.github/workflows/release.yml',
      'out/cli/tokendeck.js',
      'out/cli/chunks/flows-abc.js',
    ]) {
      expect(app(path), path).toBe(false);
    }
  });

  it("keeps the runtime dependencies' code and drops their maps, types and tests", () => {
    expect(module('node_modules/oauth4webapi/build/index.js')).toBe(true);
    for (const path of [
      'node_modules/oauth4webapi/build/index.js.map',
      'node_modules/zod/v4/core/core.d.ts',
      'node_modules/zod/src/v4/core/core.ts',
      'node_modules/conf/test/index.js',
      'node_modules/some-dep/dist/parser.test.js',
    ]) {
      expect(module(path), path).toBe(false);
    }
  });
});
