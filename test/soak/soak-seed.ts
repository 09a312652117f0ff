import type { StoredAccount } from '../../src-main/core/model';
import { putAccount, writeTokens } from '../../src-main/core/records';
import {
  createService,
  type ServiceOptions,
  type TokendeckService,
} from '../../src-main/core/service';
import { Vault, createPassphraseSlot } from '../../src-main/core/vault';
import type { SoakConfig } from './soak-config';
import type { SoakProvider } from './soak-provider';
import { createMemoryClipboard } from '../helpers/fake-ports';

/**
 * The soak's starting vault: one hand-made provider per token server (authorization code with
 * rotating refresh tokens, a REST who-am-I), one client-credentials provider per client, and the
 * accounts with the tokens each server issued for them. Expiries are spread so that renewals are
 * due all through the run.
 */

/** Not a secret: the soak's throwaway vault. */
export const SOAK_PASSPHRASE = 'soak passphrase, test only';

export interface SeededAccount {
  id: string;
  providerId: string;
  server: number;
  grantId: string;
  kind: 'refresh' | 'client';
}

/** The service over the soak's data folder, as the driver itself uses it: no timers, no browser. */
export function openSoakService(
  dataDir: string,
  config: SoakConfig,
  extra: Partial<ServiceOptions> = {},
): Promise<TokendeckService> {
  return createService({
    dataDir,
    passphrase: SOAK_PASSPHRASE,
    scryptN: config.scryptN,
    browser: { open: async () => undefined },
    clipboard: createMemoryClipboard(),
    schedule: false,
    ...extra,
  });
}

export async function seedSoak(
  dataDir: string,
  config: SoakConfig,
  servers: SoakProvider[],
  random: () => number,
): Promise<SeededAccount[]> {
  const service = await openSoakService(dataDir, config);
  for (const [index, server] of servers.entries()) {
    await service.saveProvider({
      profile: {
        id: `soak-${index}`,
        name: `Soak ${index}`,
        grant: 'authorization_code',
        endpoints: { authorization: `${server.origin}/authorize`, token: `${server.origin}/token` },
        client: { registration: 'static', clientId: `soak-client-${index}`, auth: 'none' },
        use: { headerName: 'Authorization', headerPrefix: 'Bearer', apiBase: server.origin },
        whoami: { kind: 'rest', url: '/me', subject: 'id' },
      },
    });
  }
  const clientSecret = (index: number) => `soak-client-secret-${index}-not-real`;
  for (let index = 0; index < config.clientCredentialAccounts; index += 1) {
    const server = servers[index % servers.length]!;
    await service.saveProvider({
      profile: {
        id: `soak-cc-${index}`,
        name: `Soak CC ${index}`,
        grant: 'client_credentials',
        endpoints: { token: `${server.origin}/token` },
        client: {
          registration: 'static',
          clientId: `soak-cc-${index}`,
          auth: 'client_secret_post',
        },
        use: { headerName: 'Authorization', headerPrefix: 'Bearer', apiBase: server.origin },
      },
      clientSecret: clientSecret(index),
    });
  }
  await service.close();

  const now = Date.now();
  const [shortest, longest] = config.lifetimeSec;
  const seeded: SeededAccount[] = [];
  const vault = await Vault.open(
    dataDir,
    createPassphraseSlot(SOAK_PASSPHRASE, { N: config.scryptN }),
  );
  await vault.update((tx) => {
    for (let index = 0; index < config.accounts; index += 1) {
      const lifetimeSec = Math.round(shortest + ((longest - shortest) * index) / config.accounts);
      // Up to half the lifetime has gone already, so due times spread over the first minute.
      const issuedAt = now - Math.round(random() * lifetimeSec * 500);
      const client = index < config.clientCredentialAccounts;
      const serverIndex = index % servers.length;
      const server = servers[serverIndex]!;
      const providerId = client ? `soak-cc-${index}` : `soak-${serverIndex}`;
      const id = client ? `soak-cc-${index}-account` : `soak-${serverIndex}-${index}`;
      const issued = client
        ? server.seedClientGrant(id, `soak-cc-${index}`, clientSecret(index), lifetimeSec, issuedAt)
        : server.seedRefreshGrant(id, `soak-client-${serverIndex}`, lifetimeSec, issuedAt);
      const account: StoredAccount = {
        id,
        providerId,
        subject: id,
        label: id,
        grant: client ? 'client_credentials' : 'authorization_code',
        tokenType: 'Bearer',
        scopes: [],
        expiresAt: issued.expiresAt,
        receivedAt: issued.issuedAt,
        hasRefreshToken: !client,
        createdAt: now,
        updatedAt: now,
      };
      putAccount(tx, account);
      writeTokens(tx, id, {
        accessToken: issued.accessToken,
        ...(issued.refreshToken ? { refreshToken: issued.refreshToken } : {}),
      });
      seeded.push({
        id,
        providerId,
        server: serverIndex,
        grantId: id,
        kind: client ? 'client' : 'refresh',
      });
    }
  });
  return seeded;
}
