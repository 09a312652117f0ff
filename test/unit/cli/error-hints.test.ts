import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src-main/core/errors';
import { providerProfileSchema } from '../../../src-main/core/providers';
import { COMMAND_GROUPS, COMMAND_SPECS, GLOBAL_FLAGS } from '../../../src-main/cli/args';
import { USAGE, commandHelp } from '../../../src-main/cli/help';
import { cliHint } from '../../../src-main/cli/hints';
import { PROFILE_FIELD_FLAGS } from '../../../src-main/cli/spec-setup';

/**
 * Every hint names something the user can do (issue 9 §4): each command and flag that an error
 * hint, a message in the source, the usage text or a command's help page names exists in the
 * command's grammar, and every profile field has a flag or is reachable through a profile file.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const COMMANDS = new Set(Object.keys(COMMAND_SPECS));
const ALL_FLAGS = new Set([
  ...Object.keys(GLOBAL_FLAGS),
  ...Object.values(COMMAND_SPECS).flatMap((spec) => Object.keys(spec.flags)),
]);

const GROUP_WORDS = Object.keys(COMMAND_GROUPS).join('|');
const COMMAND_PATTERN = new RegExp(`\\btokendeck ((?:(?:${GROUP_WORDS}) )?[a-z][a-z-]*)`, 'g');

/** The commands (`tokendeck provider add`, `tokendeck env set`) and flags a text names. */
function named(text: string): { commands: string[]; flags: string[] } {
  const commands = [...text.matchAll(COMMAND_PATTERN)].map((match) => match[1]!);
  // `var(--text)` is a CSS custom property, not a flag.
  const flags = [...text.matchAll(/(?<![\w-]|var\()--([a-z][a-z0-9-]*)/g)].map(
    (match) => match[1]!,
  );
  return { commands, flags };
}

/** What `text` names that does not exist, one line each. */
function missing(text: string, where: string): string[] {
  const { commands, flags } = named(text);
  return [
    ...commands
      .filter((command) => !COMMANDS.has(command))
      .map((command) => `${where}: "tokendeck ${command}" is not a command`),
    ...flags
      .filter((flag) => !ALL_FLAGS.has(flag))
      .map((flag) => `${where}: "--${flag}" is not a flag`),
  ];
}

function expectAllExist(text: string, where: string): void {
  expect(missing(text, where)).toEqual([]);
}

/** Details that the core's errors carry, each of which may change the hint. */
const DETAILS: Array<Record<string, string>> = [
  {},
  ...[...Object.keys(PROFILE_FIELD_FLAGS), 'apiKey', 'presetId', 'scopes.0', 'redirect.path'].map(
    (field) => ({ field }),
  ),
  { reason: 'exists' },
  { reason: 'has_accounts' },
  { reason: 'name_taken', name: 'Me' },
  { reason: 'no_saved_request', name: 'Me' },
  { reason: 'no_variable', name: 'tenant' },
  { variable: 'tenant', providerId: 'acme' },
  { reason: 'ambiguous', providerId: 'acme' },
  { reason: 'ambiguous', reference: 'Ada' },
  { providerId: 'acme' },
  { providerId: 'acme', accountId: 'acme-abc' },
  { reference: 'who' },
  { accountId: 'acme-abc' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('error hints', () => {
  it('every error code’s hint names only commands and flags that exist', () => {
    let hints = 0;
    for (const code of ERROR_CODES) {
      for (const details of DETAILS) {
        const hint = cliHint(code, details);
        if (hint === undefined) continue;
        hints += 1;
        expectAllExist(hint, `${code} ${JSON.stringify(details)}`);
      }
    }
    expect(hints).toBeGreaterThan(20);
  });

  it('every profile field has a flag of provider add, or a profile file reaches it', () => {
    const addFlags = new Set(Object.keys(COMMAND_SPECS['provider add'].flags));
    for (const flag of Object.values(PROFILE_FIELD_FLAGS)) {
      expect(addFlags.has(flag.slice(2)), flag).toBe(true);
    }
    expect(addFlags.has('from-file')).toBe(true);
    // The fields only a profile file sets; a new field lands here unless it gets a flag.
    const fileOnly = leafPaths(providerProfileSchema.toJSONSchema()).filter(
      (path) =>
        !Object.keys(PROFILE_FIELD_FLAGS).some((f) => path === f || path.startsWith(`${f}.`)),
    );
    expect(fileOnly.sort()).toEqual([
      'client.hasSecret',
      'id',
      'presetId',
      'redirect.mode',
      'redirect.path',
    ]);
  });

  it('every command and flag named in the source, the usage and the help pages exists', () => {
    const problems = missing(USAGE, 'usage');
    for (const command of Object.keys(COMMAND_SPECS) as Array<keyof typeof COMMAND_SPECS>) {
      problems.push(...missing(commandHelp(command), `tokendeck help ${command}`));
    }
    for (const file of [
      ...sourceFiles(join(ROOT, 'src-main')),
      ...sourceFiles(join(ROOT, 'src-renderer')),
    ]) {
      const where = relative(ROOT, file);
      // curl's own flags in "Copy as curl" and in reading a pasted curl command, and the app
      // binary's own in its launchers and its login item (`--opened-at-login`).
      if (
        where.endsWith('console/curl.ts') ||
        where.endsWith('console/parse-curl.ts') ||
        where.includes('electron/cli/') ||
        where.endsWith('electron/login-item.ts')
      ) {
        continue;
      }
      const literals = readFileSync(file, 'utf8').match(/'[^'\n]*'|"[^"\n]*"|`[^`]*`/g) ?? [];
      for (const literal of literals) {
        problems.push(...missing(literal, where));
        // A message that names a profile field names one the command line can set.
        for (const [field] of literal.matchAll(FIELD_PATH)) {
          if (!hasFlag(field)) problems.push(`${where}: ${field} has no flag`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

const FIELD_PATH = /\b(?:quirks|endpoints|whoami|use)\.[a-zA-Z]+\b/g;

function hasFlag(field: string): boolean {
  return Object.keys(PROFILE_FIELD_FLAGS).some((f) => field === f || field.startsWith(`${f}.`));
}

/** The dotted paths of the leaves of a JSON schema's objects. */
function leafPaths(schema: unknown, prefix = ''): string[] {
  const node = schema as {
    properties?: Record<string, unknown>;
    anyOf?: unknown[];
    oneOf?: unknown[];
  };
  const variants = node.anyOf ?? node.oneOf;
  if (variants) return [...new Set(variants.flatMap((variant) => leafPaths(variant, prefix)))];
  if (!node.properties) return prefix ? [prefix] : [];
  return Object.entries(node.properties).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const inner = value as {
      type?: string;
      properties?: unknown;
      anyOf?: unknown;
      oneOf?: unknown;
    };
    return inner.properties || inner.anyOf || inner.oneOf ? leafPaths(inner, path) : [path];
  });
}
