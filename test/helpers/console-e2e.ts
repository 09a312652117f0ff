import type { Page } from '@playwright/test';
import { buildSchema, introspectionFromSchema } from 'graphql';
import type { TokendeckService } from '../../src-main/core/service';
import { startConsoleServer, type ConsoleTestServer } from './console-server';
import { startAluma, type AlumaServer } from './servers/aluma';

/**
 * The request console's end-to-end setting: an account whose tokens come from the Aluma
 * stand-in (client credentials, so a 401 can be renewed for real), pointed at the console's
 * loopback server for its API (`/api`) and GraphQL (`/graphql`).
 */

/** A small but real schema, answered to introspection: completion has something to offer. */
export const CONSOLE_SDL = `
  "The signed-in user."
  type User {
    id: ID!
    "The user's display name."
    name: String
    email: String
    orders(first: Int = 10): [Order!]!
  }
  type Order {
    id: ID!
    total: Float!
  }
  type Query {
    "Who the token belongs to."
    me: User
    order(id: ID!): Order
  }
`;

export interface ConsoleSetting {
  api: ConsoleTestServer;
  aluma: AlumaServer;
  providerId: string;
  accountId: string;
  /** Makes the API refuse a token from now on (as a revoked one), to see a renewal. */
  refuse(token: string): void;
  close(): Promise<void>;
}

const CLIENT = {
  client_id: 'console-e2e',
  client_secret: 'console-e2e-secret-1f2e3d',
  name: 'Console client',
};

export async function startConsoleSetting(service: TokendeckService): Promise<ConsoleSetting> {
  const refused = new Set<string>();
  const api = await startConsoleServer({
    acceptToken: (token) => token.startsWith('aluma_') && !refused.has(token),
    schema: introspectionFromSchema(buildSchema(CONSOLE_SDL)),
  });
  const aluma = await startAluma({ clients: [CLIENT], expiresIn: 3600 });
  const providerId = 'console-api';
  await service.saveProvider({
    profile: {
      id: providerId,
      name: 'Console API',
      grant: 'client_credentials',
      endpoints: { token: `${aluma.url}/oauth/token` },
      client: { registration: 'static', clientId: CLIENT.client_id, auth: 'client_secret_post' },
      use: {
        headerName: 'Authorization',
        headerPrefix: 'Bearer',
        apiBase: `${api.origin}/api`,
        graphqlUrl: `${api.origin}/graphql`,
      },
    },
    clientSecret: CLIENT.client_secret,
    create: true,
  });
  const { accountId } = await service.connectAccount({ providerId });
  return {
    api,
    aluma,
    providerId,
    accountId,
    refuse: (token) => refused.add(token),
    close: async () => {
      await api.close();
      await aluma.close();
    },
  };
}

/** Opens the Console tab and waits for its editor chunk. */
export async function openConsole(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Console' })
    .click();
  await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
}

/** The response section. */
export function responsePanel(page: Page) {
  return page.getByRole('region', { name: 'Response' });
}

/** Switches the page between light and dark. */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
}

/** The console errors that are the CSP refusing something (a style or script it blocked). */
export function cspRefusals(errors: string[]): string[] {
  return errors.filter((error) =>
    /Refused to|violates the following Content Security Policy/.test(error),
  );
}
