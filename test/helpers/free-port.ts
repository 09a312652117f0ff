import { createServer } from 'node:net';

/**
 * A port that the OS just handed out on 127.0.0.1, closed again for the caller to bind.
 *
 * A guessed port can already belong to another test's ephemeral connection; one the OS chose
 * is free at least until the next ephemeral allocation wraps around to it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
