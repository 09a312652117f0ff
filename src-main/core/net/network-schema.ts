import { z } from 'zod';

/**
 * The shape of the data folder's network settings (see network-settings.ts), in a file of its own
 * so that the API types can name it without Node's modules.
 */

/** A proxy URL: http(s), a host and maybe a port, nothing else. */
const proxyUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => parseProxyUrl(value) !== undefined, 'must be an http(s)://host[:port] URL');

export const networkSettingsSchema = z
  .object({
    /**
     * `system`: the environment, then the OS; `direct`: no proxy at all; `manual`: this proxy,
     * except for the hosts in `bypass` (the NO_PROXY syntax).
     */
    proxy: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('system') }).strict(),
      z.object({ mode: z.literal('direct') }).strict(),
      z
        .object({
          mode: z.literal('manual'),
          url: proxyUrl,
          bypass: z.string().max(4096).default(''),
        })
        .strict(),
    ]),
    /** A PEM certificate authority trusted besides the OS or built-in ones, and its file name. */
    ca: z
      .object({
        pem: z.string().max(256 * 1024),
        name: z.string().max(256),
      })
      .strict()
      .optional(),
  })
  .strict();

export type NetworkSettings = z.infer<typeof networkSettingsSchema>;
export type NetworkSettingsInput = z.input<typeof networkSettingsSchema>;

export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = { proxy: { mode: 'system' } };

/** Parses a proxy URL; undefined unless it is http(s) with a host and no path or query. */
export function parseProxyUrl(text: string): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return undefined;
  }
  return url;
}

/** What applies to requests now, and why, for people. */
export interface NetworkDescription {
  /** "http://proxy.corp:3128 (from Settings)", "none (HTTPS_PROXY is not set)", "the OS settings". */
  proxy: string;
  /** The hosts that bypass the proxy, and where that list comes from. */
  bypass: string;
  /** Extra certificate authorities trusted besides the OS or built-in ones. */
  extraCas: string[];
}
