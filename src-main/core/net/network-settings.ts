import { X509Certificate } from 'node:crypto';
import { TokendeckError } from '../errors';
import type { VaultReader, VaultTransaction } from '../vault';
import {
  DEFAULT_NETWORK_SETTINGS,
  networkSettingsSchema,
  parseProxyUrl,
  type NetworkSettings,
} from './network-schema';

/**
 * The data folder's network settings: a proxy and an extra certificate authority.
 *
 * They live in the vault, so the app and the CLI of one data folder agree, and sealed, because a
 * proxy together with a trusted CA could read every token in transit: a hand edit must not be
 * able to set them (the record's GCM tag fails). Precedence: these settings first, then the
 * environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, `NODE_EXTRA_CA_CERTS`), then the OS
 * (in the app, through Chromium's network stack).
 */
export const NETWORK_RECORD = 'network-settings';

/**
 * Checks settings before they are saved: the schema, and a CA that is one or more PEM
 * certificates. A bad value is `invalid_input` naming the field.
 */
export function validateNetworkSettings(input: unknown): NetworkSettings {
  const parsed = networkSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || 'settings';
    throw new TokendeckError('invalid_input', `Network setting ${field}: ${issue.message}.`, {
      details: { field },
    });
  }
  const settings = parsed.data;
  if (settings.proxy.mode === 'manual') {
    const url = parseProxyUrl(settings.proxy.url)!;
    if (url.username || url.password) {
      throw new TokendeckError(
        'invalid_input',
        'The proxy URL must not hold a user name or password; Tokendeck stores none.',
        { details: { field: 'proxy.url' } },
      );
    }
  }
  if (settings.ca) pemCertificates(settings.ca.pem, settings.ca.name);
  return settings;
}

/**
 * The certificates of a PEM file, each checked to parse as X.509.
 *
 * Throws `invalid_input` when there is none, or one does not parse.
 */
export function pemCertificates(pem: string, name: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new TokendeckError(
      'invalid_input',
      `${name} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`,
      { details: { field: 'ca' } },
    );
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (cause) {
      throw new TokendeckError(
        'invalid_input',
        `${name} holds a certificate that does not parse.`,
        {
          cause,
          details: { field: 'ca' },
        },
      );
    }
  }
  return blocks;
}

/** The stored settings; the defaults when none were saved. */
export function readNetworkSettings(view: VaultReader): NetworkSettings {
  const text = view.getSecret(NETWORK_RECORD);
  if (text === undefined) return DEFAULT_NETWORK_SETTINGS;
  try {
    return networkSettingsSchema.parse(JSON.parse(text));
  } catch (cause) {
    throw new TokendeckError('vault_corrupt', 'The network settings in the vault are malformed.', {
      cause,
    });
  }
}

export function writeNetworkSettings(tx: VaultTransaction, settings: NetworkSettings): void {
  tx.putSecret(NETWORK_RECORD, JSON.stringify(settings));
}
