import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { TokendeckError, type ErrorCode } from '../errors';
import { agentEndpoint } from './agent-paths';
import {
  AGENT_PROTOCOL_VERSION,
  MAX_LINE_BYTES,
  type AgentMethod,
  type AgentMethods,
  type AgentResponse,
  type AgentStatus,
  type TokenCalls,
} from './protocol';

/**
 * The CLI's side of the agent: connect, say hello, then call methods one line at a time.
 *
 * `connectAgent` resolves to null when no agent listens for this data folder, so the CLI falls
 * back to a session or the passphrase without a word.
 */
export class AgentClient implements TokenCalls {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();

  /** `desktop` (the app's agent) or `headless` (`tokendeck agent`), as the agent said. */
  mode: AgentStatus['mode'] = 'headless';

  private constructor(private readonly socket: Socket) {}

  /** Opens a connection and says hello; null when nothing listens. */
  static async connect(
    dataDir: string,
    options: { command?: string } = {},
  ): Promise<AgentClient | null> {
    const endpoint = agentEndpoint(dataDir);
    let key: string;
    try {
      key = (await readFile(endpoint.keyPath, 'utf8')).trim();
    } catch {
      return null;
    }
    const socket = await new Promise<Socket | null>((resolve) => {
      const socket = connect(endpoint.address);
      socket.once('connect', () => resolve(socket));
      socket.once('error', () => resolve(null));
    });
    if (!socket) return null;
    const client = new AgentClient(socket);
    client.listen();
    try {
      const hello = await client.call('hello', {
        version: AGENT_PROTOCOL_VERSION,
        key,
        client: { pid: process.pid, ppid: process.ppid, command: options.command ?? 'tokendeck' },
      });
      client.mode = hello.mode;
      return client;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  call<M extends AgentMethod>(
    method: M,
    ...arg: AgentMethods[M]['arg'] extends void ? [] : [AgentMethods[M]['arg']]
  ): Promise<AgentMethods[M]['result']> {
    const id = this.nextId++;
    const line = JSON.stringify({ v: AGENT_PROTOCOL_VERSION, id, method, arg: arg[0] });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${line}\n`);
    });
  }

  findAccount(reference: string) {
    return this.call('findAccount', { reference });
  }
  getFreshToken(accountId: string, options: { minTtlMs?: number } = {}) {
    return this.call('getFreshToken', { accountId, ...options });
  }
  getVerifiedToken(accountId: string, options: { minTtlMs?: number } = {}) {
    return this.call('getVerifiedToken', { accountId, ...options });
  }
  getProvider(arg: { id: string }) {
    return this.call('getProvider', arg);
  }
  listAccounts() {
    return this.call('listAccounts');
  }
  renewAccount(arg: { accountId: string }) {
    return this.call('renewAccount', arg);
  }
  sendRequest(arg: AgentMethods['sendRequest']['arg']) {
    return this.call('sendRequest', arg);
  }

  async close(): Promise<void> {
    this.socket.end();
    this.socket.destroy();
  }

  private listen(): void {
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      if (this.buffer.length > MAX_LINE_BYTES) {
        this.fail(new TokendeckError('internal', 'The agent sent an oversized answer.'));
        return;
      }
      let end: number;
      while ((end = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 1);
        this.settle(line);
      }
    });
    const gone = () =>
      this.fail(new TokendeckError('vault_locked', 'The agent closed the connection.'));
    this.socket.on('close', gone);
    this.socket.on('error', gone);
  }

  private settle(line: string): void {
    let message: AgentResponse;
    try {
      message = JSON.parse(line) as AgentResponse;
    } catch {
      this.fail(new TokendeckError('internal', 'The agent sent something that is not JSON.'));
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(agentError(message));
  }

  private fail(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.socket.destroy();
  }
}

/** The error an agent answered with, keeping only plain values from its details. */
function agentError(answer: Extract<AgentResponse, { ok: false }>): TokendeckError {
  const details: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(answer.details ?? {})) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      details[key] = value;
    }
  }
  return new TokendeckError(answer.code as ErrorCode, answer.message, { details });
}
