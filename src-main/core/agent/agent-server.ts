import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { chmod } from 'node:fs/promises';
import { TokendeckError, toErrorPayload } from '../errors';
import type { FreshToken } from '../lifecycle';
import type { Logger } from '../log';
import type { TokendeckService } from '../service';
import { ensurePrivateDir, writeFileAtomic } from '../vault';
import { agentEndpoint } from './agent-paths';
import { AGENT_SCHEMAS, agentRequestSchema } from './agent-schemas';
import {
  AGENT_PROTOCOL_VERSION,
  MAX_LINE_BYTES,
  type AgentClientInfo,
  type AgentMethod,
  type AgentMethods,
  type AgentStatus,
  type AgentToken,
} from './protocol';

/**
 * The agent: serves an unlocked vault's tokens to the owner's terminals, as ssh-agent serves keys.
 *
 * The desktop app runs it when the user turns it on in Settings; `tokendeck agent` runs it
 * headless. Renewals go through the service's token manager, so every terminal shares its
 * single-flight. A client must say hello with the protocol version and the key from the
 * owner-only key file; the app may also ask the user about each new terminal (`approve`).
 */
export interface AgentServerOptions {
  dataDir: string;
  service: TokendeckService;
  mode: AgentStatus['mode'];
  logger: Logger;
  /** Asked once per connection, after a valid hello; false refuses it. */
  approve?: (client: AgentClientInfo) => Promise<boolean>;
  /** A client asked to lock. Only a headless agent is told; it should stop. */
  onLock?: () => void;
}

export interface RunningAgent {
  address: string;
  close(): Promise<void>;
}

type Handlers = {
  [M in AgentMethod]: (arg: AgentMethods[M]['arg']) => Promise<AgentMethods[M]['result']>;
};

export async function startAgent(options: AgentServerOptions): Promise<RunningAgent> {
  const endpoint = agentEndpoint(options.dataDir);
  await ensurePrivateDir(endpoint.dir);
  if (endpoint.socketDir) await ensurePrivateDir(endpoint.socketDir);
  if (await answers(endpoint.address)) {
    throw new TokendeckError('conflict', 'An agent already serves this data folder.');
  }
  if (process.platform !== 'win32') await rm(endpoint.address, { force: true });
  const key = randomBytes(32).toString('hex');
  await writeFileAtomic(endpoint.keyPath, Buffer.from(key));
  const startedAt = Date.now();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, key, options, startedAt);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(endpoint.address, () => resolve());
  });
  if (process.platform !== 'win32') await chmod(endpoint.address, 0o600);
  options.logger.info('agent: listening', { mode: options.mode });
  return {
    address: endpoint.address,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(endpoint.keyPath, { force: true });
      if (process.platform !== 'win32') await rm(endpoint.address, { force: true });
      options.logger.info('agent: stopped');
    },
  };
}

/** True when something already answers at `address` (another agent). */
/** What the agent hands out of a fresh token: no refresh token, no account record. */
function agentToken(fresh: FreshToken): AgentToken {
  return { accessToken: fresh.accessToken, tokenType: fresh.tokenType, expiresAt: fresh.expiresAt };
}

function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(address);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function serveConnection(
  socket: Socket,
  key: string,
  options: AgentServerOptions,
  startedAt: number,
): void {
  const { service, logger } = options;
  let greeted = false;
  let buffer = '';
  let queue = Promise.resolve();
  const handlers: Handlers = {
    hello: async (arg) => {
      const expected = Buffer.from(key);
      const given = Buffer.from(arg.key);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new TokendeckError('vault_locked', 'The agent refused this client.');
      }
      if (arg.version !== AGENT_PROTOCOL_VERSION) {
        throw new TokendeckError(
          'unsupported',
          `The agent speaks protocol ${AGENT_PROTOCOL_VERSION}, this client ${arg.version}. Update Tokendeck.`,
        );
      }
      if (options.approve && !(await options.approve(arg.client))) {
        throw new TokendeckError('vault_locked', 'The desktop app did not allow this terminal.');
      }
      greeted = true;
      logger.info('agent: client connected', { pid: arg.client.pid });
      return { version: AGENT_PROTOCOL_VERSION, mode: options.mode };
    },
    status: async () => ({ mode: options.mode, pid: process.pid, startedAt }),
    findAccount: async ({ reference }) => {
      const { id, providerId, label } = await service.findAccount(reference);
      return { id, providerId, label };
    },
    getFreshToken: async ({ accountId, minTtlMs }) =>
      agentToken(
        await service.getFreshToken(accountId, minTtlMs === undefined ? {} : { minTtlMs }),
      ),
    getVerifiedToken: async ({ accountId, minTtlMs }) =>
      agentToken(
        await service.getVerifiedToken(accountId, minTtlMs === undefined ? {} : { minTtlMs }),
      ),
    getProvider: (arg) => service.getProvider(arg),
    listAccounts: () => service.listAccounts(),
    renewAccount: (arg) => service.renewAccount(arg),
    sendRequest: (arg) => service.sendRequest(arg),
    lock: async () => {
      if (options.mode !== 'headless') return { stopped: false };
      setImmediate(() => options.onLock?.());
      return { stopped: true };
    },
  };

  const answer = async (line: string): Promise<void> => {
    let id = 0;
    try {
      const request = agentRequestSchema.parse(JSON.parse(line));
      id = request.id;
      if (request.v !== AGENT_PROTOCOL_VERSION && request.method !== 'hello') {
        throw new TokendeckError('unsupported', 'Unknown agent protocol version.');
      }
      if (!Object.hasOwn(AGENT_SCHEMAS, request.method)) {
        throw new TokendeckError('unsupported', `The agent has no method "${request.method}".`);
      }
      const method = request.method as AgentMethod;
      if (!greeted && method !== 'hello') {
        throw new TokendeckError('vault_locked', 'Say hello to the agent first.');
      }
      const checked = AGENT_SCHEMAS[method].safeParse(request.arg);
      if (!checked.success) {
        throw new TokendeckError('invalid_input', `Invalid argument for ${method}.`);
      }
      const handler = handlers[method] as (arg: unknown) => Promise<unknown>;
      const result = await handler(checked.data);
      socket.write(`${JSON.stringify({ v: AGENT_PROTOCOL_VERSION, id, ok: true, result })}\n`);
    } catch (error) {
      // The details go too: the CLI's exit code and hint depend on them.
      const { code, message, details } = toErrorPayload(
        error instanceof SyntaxError ? new TokendeckError('invalid_input', 'Not JSON.') : error,
      );
      const failure = { v: AGENT_PROTOCOL_VERSION, id, ok: false, code, message, details };
      socket.write(`${JSON.stringify(failure)}\n`);
      if (!greeted) socket.end();
    }
  };

  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.length > MAX_LINE_BYTES) {
      logger.warn('agent: a client sent an oversized line; disconnected');
      socket.destroy();
      return;
    }
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      // Requests of one connection run in parallel; hello must finish before the next line.
      if (!greeted) queue = queue.then(() => answer(line));
      else void answer(line);
    }
  });
}
