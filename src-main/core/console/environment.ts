import { randomBytes } from 'node:crypto';
import { TokendeckError, assertNever } from '../errors';
import type { RequestSpec } from './types';

/** A variable as the resolver needs it. */
export interface Variable {
  name: string;
  value: string;
  secret: boolean;
}

/**
 * `{{name}}`, with spaces allowed inside the braces; `\{{name}}` is the literal text `{{name}}`.
 * Any other `{{` (a JSON object in a template language, `{{ "a": 1 }}`) is left as it is.
 */
const PLACEHOLDER = /(\\?)\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g;

/**
 * The provider's variables when the spec may use one, else none: a request without `{{` does not
 * read the environment (nor take its lock), so `token --verify` and plain requests pay nothing.
 */
export async function variablesFor(
  spec: RequestSpec,
  providerId: string,
  environment: ((providerId: string) => Promise<Variable[]>) | undefined,
): Promise<Variable[]> {
  if (!environment || !JSON.stringify(spec).includes('{{')) return [];
  return environment(providerId);
}

/** What one pass over a spec resolved: the spec for the wire, and how to hide the secrets again. */
export interface Resolved {
  spec: RequestSpec;
  /** Replaces each secret value used (as is, and URL-encoded) with `{{name}}`. */
  mask(text: string): string;
  /** True when at least one `{{name}}` was replaced. */
  used: boolean;
}

/**
 * Replaces `{{name}}` in a request's URL, query, header values, REST body and GraphQL variables
 * with the provider's variables (one pass: a value holding `{{x}}` is not resolved again).
 *
 * An unknown name is `unknown_variable`, naming it and how to define it. `secretAs` writes each
 * secret as something else (the curl export's shell variable marker).
 */
export function resolveVariables(
  spec: RequestSpec,
  variables: Variable[],
  providerId: string,
  secretAs?: (variable: Variable) => string,
): Resolved {
  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  const usedSecrets = new Map<string, string>();
  let used = false;
  const text = (input: string): string =>
    input.includes('{{')
      ? input.replace(PLACEHOLDER, (_match, escaped: string, name: string) => {
          if (escaped) return _match.slice(1);
          const variable = byName.get(name);
          if (!variable) throw unknownVariable(name, providerId);
          used = true;
          if (!variable.secret) return variable.value;
          usedSecrets.set(variable.name, variable.value);
          return secretAs ? secretAs(variable) : variable.value;
        })
      : input;
  const pairs = (list: Array<[string, string]> | undefined) =>
    list?.map(([name, value]): [string, string] => [name, text(value)]);
  const out = structuredClone(spec);
  switch (out.kind) {
    case 'rest':
      out.url = text(out.url);
      if (out.query) out.query = out.query.map(([name, value]) => [text(name), text(value)]);
      if (out.headers) out.headers = pairs(out.headers)!;
      if (out.body) out.body = { ...out.body, text: text(out.body.text) };
      break;
    case 'graphql':
      if (out.url !== undefined) out.url = text(out.url);
      if (out.headers) out.headers = pairs(out.headers)!;
      if (out.variables) out.variables = deep(out.variables, text) as Record<string, unknown>;
      break;
    default:
      assertNever(out, 'request kind');
  }
  const mask = (input: string): string => {
    let masked = input;
    for (const [name, value] of usedSecrets) {
      if (value === '') continue;
      for (const form of new Set([value, encodeURIComponent(value)])) {
        masked = masked.split(form).join(`{{${name}}}`);
      }
    }
    return masked;
  };
  return { spec: out, mask, used };
}

/**
 * A marker for each secret that survives URL parsing, header checks and JSON (letters, digits
 * and `_`), with a random part so no request text can fake one; {@link shellVariables} turns the
 * markers in a single-quoted shell command into `"$name"`.
 */
export function secretMarkers(): {
  marker: (variable: Variable) => string;
  shellVariables: (command: string) => string;
} {
  const nonce = randomBytes(8).toString('hex');
  const pattern = new RegExp(`TDSECRET${nonce}_([A-Za-z_][A-Za-z0-9_]{0,63})_${nonce}END`, 'g');
  return {
    marker: (variable) => `TDSECRET${nonce}_${variable.name}_${nonce}END`,
    shellVariables: (command) => command.replace(pattern, (_match, name: string) => `'"$${name}"'`),
  };
}

function deep(value: unknown, text: (input: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => deep(item, text));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: deep(item, text),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function unknownVariable(name: string, providerId: string): TokendeckError {
  return new TokendeckError(
    'unknown_variable',
    `The request uses {{${name}}}, but provider "${providerId}" has no variable "${name}". ` +
      `Define it with \`tokendeck env set ${providerId} ${name} VALUE\`, or write \\{{ for a ` +
      'literal {{.',
    { details: { variable: name, providerId } },
  );
}

/** Hides the secrets a request used in what goes back to the caller: the URLs it went to. */
export function maskView<T extends { url: string; redirects: string[] }>(
  view: T,
  mask: (text: string) => string,
): T {
  return { ...view, url: mask(view.url), redirects: view.redirects.map(mask) };
}
