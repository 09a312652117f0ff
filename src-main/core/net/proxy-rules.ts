import { parseProxyUrl, type NetworkSettings } from './network-schema';

/**
 * Which proxy a request goes through, from the settings, else the environment.
 *
 * The environment is read as curl and undici's `EnvHttpProxyAgent` read it: `http_proxy` /
 * `HTTP_PROXY` for http URLs; `https_proxy` / `HTTPS_PROXY` for https URLs, falling back to the
 * http proxy; the lower-case name wins. `NO_PROXY` (or `no_proxy`) lists hosts that go direct:
 * `*` for all; `example.com` or `.example.com` for that domain and every subdomain; `host:port`
 * for one port only. Entries are separated by commas or spaces. Loopback is not exempt unless
 * listed, as in curl: a proxy on loopback is a real setup.
 */
export interface ProxyPlan {
  /** The proxy for each scheme; null when requests go direct. */
  http: URL | null;
  https: URL | null;
  bypass: BypassRule[];
  /** Where the plan came from, for people. */
  source: 'settings' | 'environment' | 'none';
}

export interface BypassRule {
  /** Lower case, without a leading `*.` or `.`; `*` matches every host. */
  host: string;
  port?: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The plan for the given settings and environment. */
export function proxyPlan(settings: NetworkSettings, env: Env): ProxyPlan {
  const proxy = settings.proxy;
  if (proxy.mode === 'direct') return { http: null, https: null, bypass: [], source: 'none' };
  if (proxy.mode === 'manual') {
    const url = parseProxyUrl(proxy.url) ?? null;
    return { http: url, https: url, bypass: parseBypass(proxy.bypass), source: 'settings' };
  }
  const http = envProxy(env, 'http_proxy');
  const https = envProxy(env, 'https_proxy') ?? http;
  if (!http && !https) return { http: null, https: null, bypass: [], source: 'none' };
  return {
    http,
    https,
    bypass: parseBypass(env.no_proxy ?? env.NO_PROXY ?? ''),
    source: 'environment',
  };
}

/** The proxy for this URL under the plan; null to go direct. */
export function proxyFor(url: URL, plan: ProxyPlan): URL | null {
  const proxy = url.protocol === 'https:' ? plan.https : plan.http;
  if (!proxy) return null;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const bypassed = plan.bypass.some(
    (rule) =>
      (rule.port === undefined || rule.port === port) &&
      (rule.host === '*' || host === rule.host || host.endsWith(`.${rule.host}`)),
  );
  return bypassed ? null : proxy;
}

/** Parses a NO_PROXY list. */
export function parseBypass(list: string): BypassRule[] {
  const rules: BypassRule[] = [];
  for (const raw of list.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') {
      rules.push({ host: '*' });
      continue;
    }
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const plain = /^([^:]+)(?::(\d+))?$/.exec(entry);
    const match = bracketed ?? plain;
    if (!match) {
      rules.push({ host: entry });
      continue;
    }
    const host = match[1]!.replace(/^\*?\./, '');
    rules.push({ host, ...(match[2] ? { port: Number(match[2]) } : {}) });
  }
  return rules;
}

function envProxy(env: Env, name: string): URL | null {
  const value = env[name] ?? env[name.toUpperCase()];
  if (!value) return null;
  // A bare host:port is common in the environment; take it as http.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  return parseProxyUrl(text.replace(/\/+$/, '')) ?? null;
}

/** A proxy URL for people: no user name or password. */
export function showProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}
