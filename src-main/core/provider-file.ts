import type { ProviderFile } from './api';
import { TokendeckError } from './errors';
import { tryParseJson } from './json';
import { validateProfile, type ProviderProfile, type ProviderProfileInput } from './providers';

/**
 * Provider profiles as files, so that teams share providers through git.
 *
 * A file is `{ "format": "tokendeck-provider", "version": 1, "profile": { … } }`: the profile
 * without anything secret or local (no client secret, and not whether one is stored). Reading
 * takes such a file, or a bare profile object, and the caller validates the profile with the
 * same schema as every other save.
 */
export const PROVIDER_FILE_FORMAT = 'tokendeck-provider';
export const PROVIDER_FILE_VERSION = 1;
/** Larger files are refused unread. */
export const MAX_PROVIDER_FILE_BYTES = 256 * 1024;

/** The file of a saved profile. */
export function toProviderFile(profile: ProviderProfile): ProviderFile {
  const { hasSecret: _hasSecret, ...client } = profile.client;
  return {
    format: PROVIDER_FILE_FORMAT,
    version: PROVIDER_FILE_VERSION,
    profile: { ...structuredClone(profile), client },
  };
}

/** The profile in a provider file's text; `invalid_input` naming what is wrong. */
export function readProviderFile(text: string): ProviderProfileInput {
  if (Buffer.byteLength(text, 'utf8') > MAX_PROVIDER_FILE_BYTES) {
    throw bad(`the file is larger than ${MAX_PROVIDER_FILE_BYTES / 1024} KiB`);
  }
  const value = tryParseJson(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw bad('it is not a JSON object');
  }
  const file = value as Record<string, unknown>;
  let profile: unknown = file;
  if (file.format !== undefined) {
    if (file.format !== PROVIDER_FILE_FORMAT) {
      throw bad(`its format is not "${PROVIDER_FILE_FORMAT}"`);
    }
    if (file.version !== PROVIDER_FILE_VERSION) {
      throw bad(`its version ${String(file.version)} is not ${PROVIDER_FILE_VERSION}`);
    }
    profile = file.profile;
  }
  if (!profile || typeof profile !== 'object' || Array.isArray(profile)) {
    throw bad('it has no profile object');
  }
  // Whether a secret is stored is this vault's state, never the file's.
  const input = profile as ProviderProfileInput;
  if (!input.client || typeof input.client !== 'object') return input;
  const { hasSecret: _ignored, ...client } = input.client;
  return { ...input, client };
}

/** A provider file's profile, checked with the profile schema. */
export function parseProviderFile(text: string): ProviderProfile {
  return validateProfile(readProviderFile(text));
}

function bad(reason: string): TokendeckError {
  return new TokendeckError('invalid_input', `This is not a provider file: ${reason}.`, {
    details: { field: 'file' },
  });
}
