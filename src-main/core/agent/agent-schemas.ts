import { z, type ZodType } from 'zod';
import { CONTRACT_SCHEMAS } from '../api-schemas';
import type { AgentMethod, AgentMethods } from './protocol';

/**
 * The run-time schema of every agent method's argument: the IPC schemas where the method is an
 * IPC call too, and the same bounds for the agent's own.
 */
const accountId = z.string().min(1).max(128);
const tokenArg = z.strictObject({
  accountId,
  minTtlMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600_000)
    .optional(),
});

export const AGENT_SCHEMAS: { [M in AgentMethod]: ZodType<AgentMethods[M]['arg']> } = {
  hello: z.strictObject({
    version: z.number().int(),
    key: z.string().min(1).max(256),
    client: z.strictObject({
      pid: z.number().int(),
      ppid: z.number().int(),
      command: z.string().max(256),
    }),
  }),
  status: z.undefined(),
  findAccount: z.strictObject({ reference: z.string().min(1).max(512) }),
  getFreshToken: tokenArg,
  getVerifiedToken: tokenArg,
  getProvider: CONTRACT_SCHEMAS.getProvider,
  listAccounts: CONTRACT_SCHEMAS.listAccounts,
  renewAccount: CONTRACT_SCHEMAS.renewAccount,
  sendRequest: CONTRACT_SCHEMAS.sendRequest,
  lock: z.undefined(),
};

/** The envelope of every request line. */
export const agentRequestSchema = z.object({
  v: z.number().int(),
  id: z.number().int().min(0),
  method: z.string().max(64),
  arg: z.unknown().optional(),
});
