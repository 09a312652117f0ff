import { X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TokendeckError } from '../errors';
import {
  DEFAULT_NETWORK_SETTINGS,
  type NetworkDescription,
  type NetworkSettings,
} from './network-schema';
import { pemCertificates } from './network-settings';
import { roundMs } from './node-exchange';
import { proxyPlan, showProxy, type Env, type ProxyPlan } from './proxy-rules';
import { tlsError } from './tls-errors';
import type { HeaderPairs, Transport } from './transport';

/**
 * Chromium's network stack as the Electron adapter hands it over (`net.fetch` and the session's
 * proxy and certificate check), so that this file, and its tests, need no Electron.
 */
export interface ChromiumNet {
  /** Electron's `net.fetch`: the OS proxy (PAC included) and the OS trust store. */
  fetch(url: string, init: RequestInit): Promise<Response>;
  /** The session's proxy (Electron's `ProxyConfig`). */
  setProxy(config: ChromiumProxy): Promise<void>;
}

/** The subset of Electron's `ProxyConfig` Tokendeck uses. */
export type ChromiumProxy =
  | { mode: 'system' }
  | { mode: 'direct' }
  | { mode: 'fixed_servers'; proxyRules: string; proxyBypassRules: string };

/**
 * The proxy Chromium should use: the settings' proxy, else the environment's
 * (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`), else the OS's own, PAC included. The settings win,
 * then the environment, then the OS, the same order as the CLI.
 */
export function chromiumProxy(plan: ProxyPlan, settings: NetworkSettings): ChromiumProxy {
  if (settings.proxy.mode === 'direct') return { mode: 'direct' };
  if (plan.source === 'none') return { mode: 'system' };
  const rules = [
    ...(plan.http ? [`http=${showProxy(plan.http)}`] : []),
    ...(plan.https ? [`https=${showProxy(plan.https)}`] : []),
  ];
  // NO_PROXY's `example.com` is the domain and its subdomains; Chromium needs both patterns.
  const bypass = plan.bypass.flatMap((rule) => {
    const port = rule.port ? `:${rule.port}` : '';
    return rule.host === '*' ? ['*'] : [`${rule.host}${port}`, `*.${rule.host}${port}`];
  });
  // Chromium sends loopback direct unless told otherwise; the CLI proxies it unless listed.
  bypass.push('<-loopback>');
  return { mode: 'fixed_servers', proxyRules: rules.join(';'), proxyBypassRules: bypass.join(',') };
}

/**
 * Whether a certificate chain Chromium did not trust is signed by one of the extra certificate
 * authorities, for this host, now. `chain` is the server's chain, leaf first, in PEM.
 */
export function trustedByExtraCa(
  chain: string[],
  cas: string[],
  host: string,
  now = Date.now(),
): boolean {
  if (chain.length === 0 || cas.length === 0) return false;
  let certs: X509Certificate[];
  let authorities: X509Certificate[];
  try {
    certs = chain.map((pem) => new X509Certificate(pem));
    authorities = cas.map((pem) => new X509Certificate(pem));
  } catch {
    return false;
  }
  const valid = (cert: X509Certificate) =>
    Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
  const leaf = certs[0]!;
  const named =
    host.includes(':') || /^[\d.]+$/.test(host) ? leaf.checkIP(host) : leaf.checkHost(host);
  if (!named || !valid(leaf)) return false;
  // Walk up the chain the server sent; stop at the first certificate an extra CA signed.
  for (let index = 0; index < certs.length; index += 1) {
    const cert = certs[index]!;
    if (!valid(cert)) return false;
    const signer = authorities.find(
      (ca) => valid(ca) && ca.ca && cert.checkIssued(ca) && cert.verify(ca.publicKey),
    );
    if (signer) return true;
    const parent = certs[index + 1];
    if (!parent || !parent.ca || !cert.checkIssued(parent) || !cert.verify(parent.publicKey)) {
      return false;
    }
  }
  return false;
}

/**
 * The app's transport: Chromium's stack through {@link ChromiumNet}, so requests take the OS
 * proxy, PAC and trust store, with the data folder's settings applied over them.
 *
 * The console's timings are what `fetch` can see: the first byte and the total; the connect
 * time is Chromium's own and is left out. Bodies are decoded by Chromium, and capped here.
 */
export function createChromiumTransport(
  net: ChromiumNet,
  env: Env = process.env,
): Transport & {
  /** The extra CAs (PEM) the session's certificate check accepts besides the OS store. */
  extraCas(): string[];
} {
  let settings: NetworkSettings = DEFAULT_NETWORK_SETTINGS;
  let plan: ProxyPlan = proxyPlan(settings, env);
  let cas: string[] = [];

  const send = async (url: URL, init: RequestInit): Promise<Response> => {
    try {
      return await net.fetch(url.href, { ...init, redirect: 'manual' });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw networkError(error, url);
    }
  };

  return {
    extraCas: () => cas,

    fetch: (url, init) => send(new URL(url), init),

    async exchange(request, limits, signal) {
      const started = performance.now();
      const headers = new Headers();
      for (const [name, value] of request.headers) headers.append(name, value);
      const response = await send(request.url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal,
      });
      const firstByteMs = roundMs(performance.now() - started);
      const kept: Buffer[] = [];
      let keptBytes = 0;
      let size = 0;
      let incomplete = false;
      const reader = response.body?.getReader();
      try {
        while (reader) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (keptBytes < limits.displayCapBytes) {
            const part = Buffer.from(value).subarray(0, limits.displayCapBytes - keptBytes);
            kept.push(part);
            keptBytes += part.length;
          }
          if (size > limits.hardCapBytes) {
            incomplete = true;
            await reader.cancel();
            break;
          }
        }
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw networkError(error, request.url);
      }
      const pairs: HeaderPairs = [];
      response.headers.forEach((value, name) => pairs.push([name, value]));
      return {
        status: response.status,
        statusText: response.statusText,
        headers: pairs,
        body: Buffer.concat(kept, keptBytes),
        size,
        truncated: size > limits.displayCapBytes,
        incomplete,
        firstByteMs,
      };
    },

    configure(next) {
      settings = next;
      plan = proxyPlan(settings, env);
      cas = settings.ca ? pemCertificates(settings.ca.pem, settings.ca.name) : [];
      void net.setProxy(chromiumProxy(plan, settings)).catch(() => undefined);
    },

    describe(): NetworkDescription {
      const proxy = plan.https ?? plan.http;
      const bypass = plan.bypass.map((rule) =>
        rule.port ? `${rule.host}:${rule.port}` : rule.host,
      );
      return {
        proxy:
          settings.proxy.mode === 'direct'
            ? 'none (Tokendeck settings say no proxy)'
            : proxy
              ? `${showProxy(proxy)} (${plan.source === 'settings' ? 'from Tokendeck settings' : 'from the environment'})`
              : 'the OS settings, PAC included',
        bypass: bypass.length ? bypass.join(', ') : 'none',
        extraCas: [
          'the OS trust store',
          ...(settings.ca ? [`${settings.ca.name} (from Tokendeck settings)`] : []),
        ],
      };
    },
  };
}

function networkError(error: unknown, url: URL): TokendeckError {
  if (error instanceof TokendeckError) return error;
  const tls = tlsError(error, url.hostname);
  if (tls) return tls;
  const message = (error as { message?: unknown }).message;
  const chromium =
    typeof message === 'string' ? /net::(ERR_[A-Z_]+)/.exec(message)?.[1] : undefined;
  const reason = chromium ?? 'connection failed';
  return new TokendeckError(
    'network_error',
    `Could not complete the request to ${url.origin} (${reason}).`,
    {
      cause: error,
      details: { origin: url.origin, reason },
    },
  );
}
