import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What the installed app and the installed CLI need at run time: nothing from node_modules.
 *
 * electron-builder packages the `dependencies` of package.json, and `npm install -g` installs
 * them; there are none, so electron-vite bundles every library the main process uses (it leaves
 * only `dependencies` outside its bundle), and the CLI bundle holds its own. What is left to
 * import from outside is Electron and Node's own modules. `npm test` builds before it runs this.
 */
const root = resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};

const PACKAGE_NAME = /^(?:node:)?(?:@[a-z0-9~][\w.~-]*\/)?[a-z0-9~][\w.~-]*(?:\/[\w.~/-]+)?$/;

/** The bare specifiers the built files import (`from "x"`, `import("x")`). */
function bareImports(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(
          /(?:\bfrom\s*|\bimport\s*\(\s*)["']([^"'./][^"']*)["']/g,
        )) {
          // Only what can name a module: messages such as `from "validateAuthResponse()"` cannot.
          if (PACKAGE_NAME.test(match[1]!)) found.add(match[1]!);
        }
      }
    }
  };
  walk(dir);
  return found;
}

const allowed = (specifier: string, extra: string[]) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier) || extra.includes(specifier);

describe('runtime dependencies', () => {
  it('package.json has none: electron and the UI libraries stay devDependencies', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
    for (const name of ['electron', 'react', 'react-dom', 'zustand', 'electron-store']) {
      expect(manifest.devDependencies[name], name).toBeDefined();
    }
  });

  it('the built main process imports only Electron and Node', () => {
    const main = join(root, 'out/main');
    expect(existsSync(join(main, 'index.js')), 'run npm run build first').toBe(true);
    const outside = [...bareImports(main)].filter((name) => !allowed(name, ['electron']));
    expect(outside).toEqual([]);
  });

  it('the CLI bundle imports only Node', () => {
    const cli = join(root, 'out/cli');
    expect(existsSync(join(cli, 'tokendeck.js')), 'run npm run build first').toBe(true);
    expect([...bareImports(cli)].filter((name) => !allowed(name, []))).toEqual([]);
  });
});
