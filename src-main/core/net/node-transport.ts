import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Route } from './connect';
import { DEFAULT_NETWORK_SETTINGS, type NetworkSettings } from './network-schema';
import { pemCertificates } from './network-settings';
import { nodeExchange } from './node-exchange';
import { proxyFor, proxyPlan, showProxy, type Env, type ProxyPlan } from './proxy-rules';
import type { NetworkDescription } from './network-schema';
import type { Transport, WireRequest } from './transport';

/** Bodies a protocol step reads at most; the flows refuse anything past 1 MiB themselves. */
const FETCH_CAP_BYTES = 2 * 1024 * 1024;

/**
 * The transport of the CLI and of plain Node: node:http(s), the data folder's settings first,
 * then the environment.
 *
 * - Proxy: the settings' proxy (or none), else `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`
 *   (see proxy-rules.ts), tunnelled with CONNECT for https.
 * - Certificate authorities: Node's built-in ones plus `NODE_EXTRA_CA_CERTS` (Node loads that
 *   file itself), plus the settings' CA. Node drops its defaults when given a list, so with a
 *   settings CA the list is rebuilt: built-in, the environment's file, then the settings' PEM.
 *
 * `fetch` runs over the same connections as the console, so protocol steps and console requests
 * take the same route and name TLS failures the same way.
 */
export function createNodeTransport(env: Env = process.env): Transport {
  let settings: NetworkSettings = DEFAULT_NETWORK_SETTINGS;
  let plan: ProxyPlan = proxyPlan(settings, env);
  let ca: string[] | undefined;

  const routeFor = (url: URL): Route => ({
    proxy: proxyFor(url, plan),
    ...(ca ? { ca } : {}),
  });

  const transport: Transport = {
    exchange: (request, limits, signal) =>
      nodeExchange(request, limits, signal, routeFor(request.url)),

    async fetch(url, init) {
      const request = toWireRequest(url, init);
      const signal = init.signal ?? new AbortController().signal;
      const wire = await nodeExchange(
        request,
        { displayCapBytes: FETCH_CAP_BYTES, hardCapBytes: FETCH_CAP_BYTES },
        signal,
        routeFor(request.url),
      );
      const headers = new Headers();
      for (const [name, value] of wire.headers) {
        const lower = name.toLowerCase();
        // The body is already decoded and whole; its framing headers no longer describe it.
        if (lower === 'content-encoding' || lower === 'content-length') continue;
        if (lower === 'transfer-encoding') continue;
        try {
          headers.append(name, value);
        } catch {
          // A header value fetch cannot hold (non-Latin-1) is left out, as fetch itself would fail.
        }
      }
      if (wire.incomplete) headers.set('content-length', String(wire.size));
      const nullBody = [101, 103, 204, 205, 304].includes(wire.status);
      return new Response(nullBody ? null : new Uint8Array(wire.body), {
        status: wire.status,
        statusText: wire.statusText,
        headers,
      });
    },

    configure(next) {
      settings = next;
      plan = proxyPlan(settings, env);
      ca = settings.ca ? caList(settings.ca.pem, settings.ca.name, env) : undefined;
    },

    describe(): NetworkDescription {
      const proxy = plan.https ?? plan.http;
      const from =
        plan.source === 'settings'
          ? 'from Tokendeck settings'
          : plan.source === 'environment'
            ? 'from the environment'
            : settings.proxy.mode === 'direct'
              ? 'Tokendeck settings say no proxy'
              : 'no HTTPS_PROXY or HTTP_PROXY set';
      const bypass = plan.bypass.map((rule) =>
        rule.port ? `${rule.host}:${rule.port}` : rule.host,
      );
      return {
        proxy: proxy ? `${showProxy(proxy)} (${from})` : `none (${from})`,
        bypass: bypass.length ? bypass.join(', ') : 'none',
        extraCas: [
          ...(env.NODE_EXTRA_CA_CERTS ? [`${env.NODE_EXTRA_CA_CERTS} (NODE_EXTRA_CA_CERTS)`] : []),
          ...(settings.ca ? [`${settings.ca.name} (from Tokendeck settings)`] : []),
        ],
      };
    },
  };
  return transport;
}

/** Built-in roots, the environment's extra CAs, then the settings' PEM. */
function caList(pem: string, name: string, env: Env): string[] {
  const extra: string[] = [];
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file) {
    try {
      extra.push(...pemCertificates(readFileSync(file, 'utf8'), file));
    } catch {
      // Node already warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    }
  }
  return [...rootCertificates, ...extra, ...pemCertificates(pem, name)];
}

/** The wire request for a fetch call as oauth4webapi makes them. */
function toWireRequest(url: string, init: RequestInit): WireRequest {
  const headers: Array<[string, string]> = [];
  new Headers(init.headers).forEach((value, name) => headers.push([name, value]));
  const body = init.body;
  let text: string | undefined;
  if (body === undefined || body === null) text = undefined;
  else if (typeof body === 'string') text = body;
  else if (body instanceof URLSearchParams) {
    text = body.toString();
    if (!headers.some(([name]) => name === 'content-type')) {
      headers.push(['content-type', 'application/x-www-form-urlencoded;charset=UTF-8']);
    }
  } else if (body instanceof Uint8Array) text = Buffer.from(body).toString('utf8');
  else throw new TypeError('This transport sends string, form or byte bodies only.');
  return { method: (init.method ?? 'GET').toUpperCase(), url: new URL(url), headers, body: text };
}
