import { ERROR_CODES } from './errors';
import { RotatingLogFile } from './log-file';

/**
 * Structured, redacting logger.
 *
 * Nothing secret may reach a log line: tokens, authorization codes, PKCE verifiers, client
 * secrets and API keys. Two defences stack: values under secret-looking keys are masked, and
 * every exact secret the core has handled is registered with {@link registerSecret} and scrubbed
 * from any string, wherever it appears.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Keys whose values are secrets: these names in any case, with `_`, `-` or nothing between the
 * words, and every key that ends in `token` (access_token, refreshToken, X-Auth-Token) or holds
 * `secret` or `api key` (SECURITY 48).
 */
const SECRET_KEY_NAMES =
  /^(code|code[-_]?verifier|password|passphrase|assertion|client[-_]?assertion|state|nonce|authorization|proxy[-_]?authorization|cookie|set[-_]?cookie)$/i;
const SECRET_KEY_PATTERNS = [/token$/i, /secret/i, /api[-_]?key/i];

/** True for a key whose value a log line never shows. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_NAMES.test(key) || SECRET_KEY_PATTERNS.some((pattern) => pattern.test(key));
}

const KNOWN_CODES: ReadonlySet<unknown> = new Set(ERROR_CODES);

/**
 * A `code` that is one of Tokendeck's own error codes or an errno (`EACCES`) is a fact, not an
 * authorization code.
 */
function isErrorCode(key: string, value: unknown): boolean {
  return (
    key.toLowerCase() === 'code' &&
    (KNOWN_CODES.has(value) || (typeof value === 'string' && /^E[A-Z0-9]{2,15}$/.test(value)))
  );
}

const SECRET_QUERY =
  /([?&#](?:access_token|refresh_token|id_token|code|code_verifier|client_secret|api_key|state|token)=)[^&#\s"]*/gi;
/** An HTTP credential: a scheme (any case, as RFC 9110 §11.1 allows) and its token. */
const CREDENTIAL = /\b(Bearer|Basic|DPoP)\s+[A-Za-z0-9\-._~+/]+=*/gi;

/**
 * The secrets the scrubber knows. Forgettable ones (access tokens, codes, verifiers, states) are
 * kept in the order they were last registered and forgotten oldest first past
 * {@link MAX_REGISTERED_SECRETS}; kept ones (refresh tokens, API keys) belong to an owner, such as
 * an account, and stay until the owner is forgotten (SECURITY 48).
 */
const forgettable = new Set<string>();
/** Kept secrets, oldest first, per owner; and how many owners keep each one. */
const owners = new Map<string, string[]>();
const keptBy = new Map<string, number>();
/** Every known secret by its first {@link MIN_SECRET_LENGTH} characters, for scrubbing. */
const byPrefix = new Map<string, Set<string>>();
const MIN_SECRET_LENGTH = 6;

/**
 * How many forgettable secrets are remembered. A long-running app renews tokens all day; the
 * oldest entries (rotated-away, long-expired access tokens) are forgotten first, so memory stays
 * bounded. The key-based and pattern-based masking still applies to every line.
 */
export const MAX_REGISTERED_SECRETS = 4096;

/** How many kept secrets one owner has at most; older ones become forgettable (a rotated token). */
export const MAX_KEPT_PER_OWNER = 4;

/** Remembers a short-lived secret, so that every later log line scrubs it. Short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH || keptBy.has(value)) return;
  forgettable.delete(value);
  forgettable.add(value);
  index(value);
  if (forgettable.size > MAX_REGISTERED_SECRETS) {
    const oldest = forgettable.values().next().value as string;
    forgettable.delete(oldest);
    unindex(oldest);
  }
}

/**
 * Remembers a lasting secret of `owner` (a refresh token or an API key of an account), which is
 * never forgotten while the owner is kept: see {@link forgetSecretsOf}.
 */
export function keepSecret(owner: string, value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  const kept = owners.get(owner) ?? [];
  const at = kept.indexOf(value);
  if (at >= 0) {
    kept.splice(at, 1);
    kept.push(value);
    return;
  }
  kept.push(value);
  owners.set(owner, kept);
  keptBy.set(value, (keptBy.get(value) ?? 0) + 1);
  forgettable.delete(value);
  index(value);
  if (kept.length > MAX_KEPT_PER_OWNER) release(kept.shift() as string);
}

/** The owner is gone (an account was removed): its kept secrets become forgettable. */
export function forgetSecretsOf(owner: string): void {
  for (const value of owners.get(owner) ?? []) release(value);
  owners.delete(owner);
}

function release(value: string): void {
  const count = (keptBy.get(value) ?? 1) - 1;
  if (count > 0) {
    keptBy.set(value, count);
    return;
  }
  keptBy.delete(value);
  registerSecret(value);
}

function index(value: string): void {
  const prefix = value.slice(0, MIN_SECRET_LENGTH);
  const group = byPrefix.get(prefix) ?? new Set<string>();
  group.add(value);
  byPrefix.set(prefix, group);
}

function unindex(value: string): void {
  const prefix = value.slice(0, MIN_SECRET_LENGTH);
  const group = byPrefix.get(prefix);
  group?.delete(value);
  if (group?.size === 0) byPrefix.delete(prefix);
}

/**
 * Replaces every registered secret in the text, longest match first at each position.
 *
 * Only the secrets whose prefix occurs in the text are compared, so the cost follows the
 * line's length rather than the number of secrets remembered.
 */
function scrubKnown(text: string): string {
  if (byPrefix.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
  let out = '';
  let copied = 0;
  for (let i = 0; i + MIN_SECRET_LENGTH <= text.length;) {
    let match = '';
    for (const secret of byPrefix.get(text.slice(i, i + MIN_SECRET_LENGTH)) ?? []) {
      if (secret.length > match.length && text.startsWith(secret, i)) match = secret;
    }
    if (match) {
      out += text.slice(copied, i) + '[redacted]';
      i += match.length;
      copied = i;
    } else {
      i++;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Returns the string with every registered secret and secret-looking pattern masked. */
export function redactString(text: string): string {
  return scrubKnown(
    text.replace(SECRET_QUERY, '$1[redacted]').replace(CREDENTIAL, '$1 [redacted]'),
  );
}

/** Deep-copies a value for logging, masking secret keys and scrubbing strings. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return redactString(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, code, message: redactString(value.message) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // A flag such as `hasRefreshToken: true` says nothing secret; any other value is masked.
      const masked =
        inner != null && typeof inner !== 'boolean' && isSecretKey(key) && !isErrorCode(key, inner);
      out[key] = masked ? '[redacted]' : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** A file to append JSON lines to; its folder is created 0700. */
  file?: string;
  /** Past this size the file is rotated, also while running (default 5 MiB). */
  maxFileBytes?: number;
  /** How many rotated files (`<file>.1` … `<file>.N`) are kept (default 5). */
  keepFiles?: number;
  level?: LogLevel;
  /** Extra sink, for tests and for stderr in verbose CLI mode. */
  sink?: (line: string) => void;
}

/**
 * A logger that never throws into its caller (SECURITY 51): a log line that cannot be written
 * (an unwritable or full disk, a folder where the file should be) is dropped and counted in
 * {@link CountingLogger.failures}, so a failing log can never cost a flow its tokens.
 */
export interface CountingLogger extends Logger {
  /** Log lines this logger could not write. */
  readonly failures: number;
}

export function createLogger(options: LoggerOptions = {}): CountingLogger {
  const min = ORDER[options.level ?? 'info'];
  let failures = 0;
  const attempt = (action: () => void) => {
    try {
      action();
    } catch {
      failures += 1;
    }
  };
  const openFile = (path: string): RotatingLogFile | null => {
    try {
      return new RotatingLogFile(
        path,
        options.maxFileBytes ?? 5 * 1024 * 1024,
        options.keepFiles ?? 5,
      );
    } catch {
      failures += 1;
      return null;
    }
  };
  const file = options.file ? openFile(options.file) : null;
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    attempt(() => {
      const entry = {
        t: new Date().toISOString(),
        level,
        msg: redactString(message),
        ...(fields ? (redact(fields) as object) : {}),
      };
      const line = JSON.stringify(entry);
      if (file) attempt(() => file.append(line + '\n'));
      if (options.sink) attempt(() => options.sink?.(line));
    });
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    get failures() {
      return failures;
    },
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const nullLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
