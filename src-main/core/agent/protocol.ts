import type { AccountSummary, ProviderProfile, RequestSpec, ResponseView } from '../api';
import type { ErrorCode } from '../errors';

/**
 * The agent's wire protocol: versioned JSON, one message a line, over a local socket.
 *
 * The client says `hello` first, with the protocol version and the agent's key (read from an
 * owner-only file, so only this user's processes can talk); every later request names a method
 * and its argument, which the agent checks with the same schemas as IPC. Types only: the CLI's
 * client loads nothing else, to start fast.
 */
export const AGENT_PROTOCOL_VERSION = 1;

/** The longest line either side reads: a console body is at most 1 MB, its response 10 MB. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Who connects: the CLI process and its parent (the terminal's shell). */
export interface AgentClientInfo {
  pid: number;
  ppid: number;
  /** The command, for the "a terminal wants your tokens" question. */
  command: string;
}

/** A token as the agent hands it out. */
export interface AgentToken {
  accessToken: string;
  tokenType: string;
  expiresAt: number | null;
}

/** The account a reference names. */
export interface AgentAccount {
  id: string;
  providerId: string;
  label: string;
}

export interface AgentStatus {
  /** `desktop` follows the app's own lock; `headless` is `tokendeck agent`. */
  mode: 'desktop' | 'headless';
  pid: number;
  startedAt: number;
}

/** Every method, its argument and its result. */
export interface AgentMethods {
  hello: {
    arg: { version: number; key: string; client: AgentClientInfo };
    result: { version: number; mode: AgentStatus['mode'] };
  };
  status: { arg: void; result: AgentStatus };
  findAccount: { arg: { reference: string }; result: AgentAccount };
  getFreshToken: { arg: { accountId: string; minTtlMs?: number }; result: AgentToken };
  /** `token --verify`: a fresh token the provider's who-am-I call just accepted. */
  getVerifiedToken: { arg: { accountId: string; minTtlMs?: number }; result: AgentToken };
  getProvider: { arg: { id: string }; result: ProviderProfile };
  listAccounts: { arg: void; result: AccountSummary[] };
  renewAccount: { arg: { accountId: string }; result: AccountSummary };
  sendRequest: { arg: RequestSpec & { requestId: string }; result: ResponseView };
  /** A headless agent forgets its key and stops; the app's agent follows the app's lock. */
  lock: { arg: void; result: { stopped: boolean } };
}

export type AgentMethod = keyof AgentMethods;

export interface AgentRequest {
  v: number;
  id: number;
  method: string;
  arg?: unknown;
}

export type AgentResponse =
  | { v: number; id: number; ok: true; result: unknown }
  | {
      v: number;
      id: number;
      ok: false;
      code: ErrorCode;
      message: string;
      details?: Record<string, string | number | boolean | null>;
    };

/**
 * What the CLI's token commands call, through the agent or on a service of their own.
 *
 * The full service satisfies it, so a command does not care which one it got.
 */
export interface TokenCalls {
  findAccount(reference: string): Promise<AgentAccount>;
  getFreshToken(accountId: string, options?: { minTtlMs?: number }): Promise<AgentToken>;
  getVerifiedToken(accountId: string, options?: { minTtlMs?: number }): Promise<AgentToken>;
  getProvider(arg: { id: string }): Promise<ProviderProfile>;
  listAccounts(): Promise<AccountSummary[]>;
  renewAccount(arg: { accountId: string }): Promise<AccountSummary>;
  sendRequest(arg: RequestSpec & { requestId: string }): Promise<ResponseView>;
  close(): Promise<void>;
}
