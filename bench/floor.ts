import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The bare floors the measures are compared to: what any code doing the same job must spend.
 *
 * Written with plain `node:fs` and `fetch`, none of Tokendeck's code, so a ratio says how much
 * Tokendeck adds on top of the unavoidable part.
 */

let writes = 0;

/** One durable atomic write: a temp file, fsync, rename over `path`, fsync of the folder. */
export async function bareDurableWrite(path: string, data: Buffer): Promise<void> {
  writes += 1;
  const temp = join(dirname(path), `.bare-${process.pid}-${writes}.tmp`);
  const file = await open(temp, 'w', 0o600);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  const folder = await open(dirname(path), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** A bare refresh-token request to a loopback token endpoint, body read. */
export async function bareTokenFetch(tokenUrl: string, refreshToken: string): Promise<unknown> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'provider-a',
    }),
  });
  return response.json();
}
