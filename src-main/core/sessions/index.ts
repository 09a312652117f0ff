/**
 * CLI sessions: unlock once, then open the vault with the session's key.
 */
export {
  SESSIONS_FOLDER,
  SESSION_IDLE_MS,
  SESSION_MAX_TTL_MS,
  createSession,
  endSessions,
  listSessions,
  sessionOpener,
  type SessionInfo,
} from './session-store';
