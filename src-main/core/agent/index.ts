/**
 * The agent: the local socket that serves an unlocked vault to the CLI.
 */
export { AgentClient } from './agent-client';
export { readAgentSettings, writeAgentSettings } from './agent-settings';
export { agentEndpoint, type AgentEndpoint } from './agent-paths';
export { startAgent, type AgentServerOptions, type RunningAgent } from './agent-server';
export {
  AGENT_PROTOCOL_VERSION,
  type AgentAccount,
  type AgentClientInfo,
  type AgentStatus,
  type AgentToken,
  type TokenCalls,
} from './protocol';
