import { TokendeckError } from '../errors';
import type { Logger } from '../log';
import { writeFileExclusive } from './atomic-file';

/**
 * Format migrations: each step turns a document of one version into the next.
 *
 * Steps run in order from the file's version to the current one, on the parsed JSON, before the
 * document is validated. The vault keeps the pre-migration bytes as `vault.v<N>.bak`, or a
 * numbered name when that backup already exists, so a backup is never overwritten.
 */
export interface Migration {
  from: number;
  to: number;
  migrate(doc: unknown): unknown;
}

/**
 * The built-in steps.
 *
 * 1 → 2 changes no field: version 2 adds the metadata seal and a key check bound to the version,
 * which need the data key, so the vault writes them once it is unlocked (`Vault.open`).
 */
export const BUILTIN_MIGRATIONS: Migration[] = [{ from: 1, to: 2, migrate: (doc) => doc }];

/**
 * Runs every step from `fromVersion` up to `toVersion` on a parsed document.
 *
 * Each step's result gets `version` set to the step's `to`. A missing step, or a step that does
 * not return an object, throws `vault_unsupported_version`.
 */
export function runMigrations(
  doc: Record<string, unknown>,
  fromVersion: number,
  toVersion: number,
  migrations: Migration[],
  path: string,
): Record<string, unknown> {
  let current = doc;
  let version = fromVersion;
  for (let steps = 0; version < toVersion; steps += 1) {
    const step = migrations.find((migration) => migration.from === version);
    if (!step || step.to <= version || step.to > toVersion || steps > toVersion) {
      throw new TokendeckError(
        'vault_unsupported_version',
        `No migration path from vault version ${version} to ${toVersion}.`,
        { details: { path, version, supported: toVersion } },
      );
    }
    const next = step.migrate(structuredClone(current));
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new TokendeckError(
        'vault_unsupported_version',
        `The migration from vault version ${step.from} to ${step.to} failed.`,
        { details: { path, version, supported: toVersion } },
      );
    }
    current = { ...(next as Record<string, unknown>), version: step.to };
    version = step.to;
  }
  return current;
}

/**
 * Keeps the bytes of a file about to be migrated, as `<base>.v<N>.bak` next to it.
 *
 * If that name is taken, uses `<base>.v<N>.1.bak`, `.2.bak`, … An existing backup is never
 * replaced. Returns the path written.
 */
export async function writeBackup(
  vaultPath: string,
  version: number,
  raw: Buffer,
  logger: Logger,
): Promise<string> {
  const stem = vaultPath.replace(/\.json$/, '');
  for (let index = 0; index < 1000; index += 1) {
    const candidate = index === 0 ? `${stem}.v${version}.bak` : `${stem}.v${version}.${index}.bak`;
    try {
      await writeFileExclusive(candidate, raw);
      return candidate;
    } catch (error) {
      if (!(error instanceof TokendeckError && error.code === 'conflict')) throw error;
      logger.debug('vault: backup name taken, trying the next', { path: candidate });
    }
  }
  throw new TokendeckError('vault_write_failed', `No free backup name for ${vaultPath}.`, {
    details: { path: vaultPath },
  });
}
