// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Imports that would break the core's promise to stay plain Node. */
const noElectron = {
  paths: [
    {
      name: 'electron',
      message:
        'src-main/core must not import electron; add a port in core/ports.ts and an adapter in src-main/electron.',
    },
  ],
  patterns: [
    {
      group: ['electron/*', '**/electron/**', '../electron/*'],
      message: 'src-main/core must not import Electron adapters.',
    },
  ],
};

/**
 * A folder is imported through its `index.ts`, never by reaching into its files.
 *
 * Flags a relative import that climbs (`./`, `../`) and then names a folder and a file inside it,
 * such as `../vault/vault-view` or `./console/types`. `./sibling`, `../parent-file` and
 * `../folder` pass. The preload's contract is a single-file module (the folder's index is the
 * preload script itself), so it is imported by its path.
 */
const throughIndex = {
  regex: String.raw`^(?:\.\.?/)+(?!\.\.?/)(?!src-preload/contract$)[^/]+/`,
  message: 'Import the folder through its index.ts (export what you need there), not its files.',
};

/** The core declares its own API (core/api.ts); the preload builds from it, never the reverse. */
const noPreloadInCore = {
  regex: String.raw`(?:^|/)src-preload(?:/|$)`,
  message: 'src-main/core must not import src-preload; declare the type in src-main/core/api.ts.',
};

/** The core's own index.ts is for callers outside the core; inside, it would be a cycle. */
const noCoreIndexInCore = {
  regex: String.raw`^\.\.(?:/\.\.)*/?$`,
  message: "Inside src-main/core, import the sibling folder or file, not the core's index.ts.",
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'playwright-report/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [...noElectron.patterns, throughIndex, noPreloadInCore, noCoreIndexInCore],
        },
      ],
    },
  },
  {
    // api.ts is the type surface the renderer's typecheck also reads (DOM, no Node types), so it
    // takes its types from the leaf files that hold them rather than from Node-only indexes.
    files: ['src-main/core/api.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: noElectron.paths, patterns: [...noElectron.patterns, noPreloadInCore] },
      ],
    },
  },
  {
    files: ['src-main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: noElectron.paths, patterns: [...noElectron.patterns, throughIndex] },
      ],
    },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [throughIndex] }] },
  },
  {
    // Raw IPC objects may only be touched by the typed wrappers.
    files: ['src-main/**/*.ts', 'src-preload/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-main/electron/ipc/electron-ipc.ts', 'src-preload/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Use registerWindowHandlers() from src-main/electron/ipc/electron-ipc.ts.',
        },
        {
          selector: "ImportSpecifier[imported.name='ipcRenderer']",
          message: 'Only src-preload/index.ts may use ipcRenderer.',
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
