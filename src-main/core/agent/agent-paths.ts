import { createHash } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where a data folder's agent listens, and where its key is.
 *
 * A Unix socket in the 0700 folder `<data>/agent/`, or, when that path is too long for a socket
 * (about 100 bytes), in a 0700 folder of the user's own under the temp folder. On Windows, a
 * named pipe whose name comes from the user and the data folder. Either way, a client must also
 * present the key in `<data>/agent/agent.key` (0600), so only the owner's processes get an answer.
 */
export const AGENT_FOLDER = 'agent';
const MAX_SOCKET_PATH = 100;

export interface AgentEndpoint {
  /** The owner-only folder of the key (and, usually, the socket). */
  dir: string;
  keyPath: string;
  /** The socket path or the pipe name. */
  address: string;
  /** A folder to create 0700 for the socket when it is not `dir`. */
  socketDir: string | null;
}

export function agentEndpoint(dataDir: string, platform = process.platform): AgentEndpoint {
  const dir = join(resolve(dataDir), AGENT_FOLDER);
  const keyPath = join(dir, 'agent.key');
  const user = safeUser();
  const hash = createHash('sha256')
    .update(`${user}\u0000${resolve(dataDir)}`)
    .digest('hex');
  if (platform === 'win32') {
    return {
      dir,
      keyPath,
      address: `\\\\.\\pipe\\tokendeck-agent-${hash.slice(0, 24)}`,
      socketDir: null,
    };
  }
  const inData = join(dir, 'agent.sock');
  if (Buffer.byteLength(inData) <= MAX_SOCKET_PATH)
    return { dir, keyPath, address: inData, socketDir: null };
  const socketDir = join(tmpdir(), `tokendeck-${user}`);
  return { dir, keyPath, address: join(socketDir, `${hash.slice(0, 24)}.sock`), socketDir };
}

function safeUser(): string {
  try {
    return (
      userInfo().username.replace(/[^A-Za-z0-9_.-]/g, '_') || String(process.getuid?.() ?? 'user')
    );
  } catch {
    return String(process.getuid?.() ?? 'user');
  }
}
