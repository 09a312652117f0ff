import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokendeckError } from '../errors';
import type { Logger } from '../log';
import { providerIdSchema } from '../providers';

/** An introspection result and when it was fetched (epoch ms). */
export interface IntrospectionResult {
  schema: unknown;
  fetchedAt: number;
}

/** Introspection results, one per provider. Schemas are not secret. */
export interface IntrospectionCache {
  get(providerId: string): Promise<IntrospectionResult | undefined>;
  set(providerId: string, result: IntrospectionResult): Promise<void>;
}

/** A cache that lives as long as the process. */
export function createMemoryIntrospectionCache(): IntrospectionCache {
  const entries = new Map<string, IntrospectionResult>();
  return {
    async get(providerId) {
      return entries.get(providerId);
    },
    async set(providerId, result) {
      entries.set(providerId, result);
    },
  };
}

/**
 * A cache of files `introspection-<providerId>.json` in a folder.
 *
 * The folder is created 0700 and files are written 0600, through a temporary file and a rename so
 * a crash never leaves half a file. A file that does not parse counts as absent (and is logged),
 * so the next introspection fetches afresh and replaces it.
 */
export function createFileIntrospectionCache(dir: string, logger: Logger): IntrospectionCache {
  const fileFor = (providerId: string) => {
    if (!providerIdSchema.safeParse(providerId).success) {
      throw new TokendeckError('invalid_input', 'The provider id is not valid.');
    }
    return join(dir, `introspection-${providerId}.json`);
  };
  return {
    async get(providerId) {
      const file = fileFor(providerId);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
        throw new TokendeckError('internal', 'The introspection cache could not be read.', {
          cause: error,
          details: { file },
        });
      }
      try {
        const value = JSON.parse(text) as Partial<IntrospectionResult>;
        if (typeof value.fetchedAt === 'number' && value.schema !== undefined)
          return { schema: value.schema, fetchedAt: value.fetchedAt };
      } catch (error) {
        logger.warn('introspection cache file does not parse; fetching afresh', { file, error });
        return undefined;
      }
      logger.warn('introspection cache file has the wrong shape; fetching afresh', { file });
      return undefined;
    },
    async set(providerId, result) {
      const file = fileFor(providerId);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, JSON.stringify({ providerId, ...result }), { mode: 0o600 });
      await rename(temporary, file);
    },
  };
}
