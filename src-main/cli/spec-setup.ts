import { bool, str, type CommandSpec } from './spec-types';

/** The commands that set things up: providers, connecting, the passphrase. */
export const SETUP_COMMANDS = {
  presets: {
    summary: 'list the built-in provider presets',
    args: '',
    flags: {},
    examples: ['tokendeck presets', 'tokendeck presets --json'],
  },
  providers: {
    summary: 'list the configured providers',
    args: '',
    flags: {},
    examples: ['tokendeck providers', 'tokendeck providers --json'],
  },
  'provider add': {
    summary: 'add a provider from a preset or from flags',
    args: '<name>',
    flags: {
      preset: str('ID', 'start from a built-in preset (see: tokendeck presets)'),
      replace: bool('overwrite a provider of the same name'),
      'base-url': str('URL', "the preset's base URL, for self-hosted servers"),
      issuer: str('URL', 'discover endpoints from this issuer (RFC 8414 / OIDC)'),
      register: bool('register a client dynamically (RFC 7591)'),
      'authorization-url': str('URL', 'the authorization endpoint'),
      'token-url': str('URL', 'the token endpoint'),
      'userinfo-url': str('URL', 'the userinfo endpoint'),
      'revocation-url': str('URL', 'the revocation endpoint (RFC 7009)'),
      'registration-url': str('URL', 'the registration endpoint (RFC 7591)'),
      'api-base': str('URL', 'where request paths such as /me are sent'),
      'graphql-url': str('URL', 'the GraphQL endpoint'),
      grant: str('GRANT', 'authorization_code, client_credentials or api_key'),
      'client-id': str('ID', 'the client id'),
      'client-secret-stdin': bool('read the client secret from standard input'),
      'client-auth': str('METHOD', 'none, client_secret_basic, client_secret_post or json'),
      scope: str('"A B"', 'the scopes to ask for'),
      'redirect-uri': str('URL', 'a fixed registered redirect URI (default: loopback)'),
      header: str('NAME', 'the header the token goes in (default Authorization)'),
      'header-prefix': str('P', 'the prefix before the token (default "Bearer")'),
      'display-name': str('NAME', 'the name shown for the provider'),
      whoami: str('KIND', 'userinfo, id_token, rest, graphql or none'),
      'whoami-url': str('PATH', 'the "who am I" URL or path'),
      'whoami-query': str('QUERY', 'the "who am I" GraphQL query'),
      'whoami-subject': str('PATH', 'the JSON path of the account id in the answer'),
      'whoami-label': str('PATH', 'the JSON path of the account name in the answer'),
    },
    examples: [
      'tokendeck provider add gh --preset github --client-id Iv1.abc',
      'echo "$SECRET" | tokendeck provider add ci --grant client_credentials \\\n      --token-url https://auth.example.com/oauth/token --client-id ci --client-secret-stdin',
    ],
  },
  'provider remove': {
    summary: 'remove a provider that has no accounts',
    args: '<name>',
    flags: {},
    examples: ['tokendeck provider remove gh', 'tokendeck provider remove gh --json'],
  },
  connect: {
    summary: 'sign in and add an account (browser, client credentials or API key)',
    args: '<provider>',
    flags: {
      'api-key-stdin': bool('read the API key from standard input'),
      'no-browser': bool('print the sign-in URL instead of opening a browser'),
      timeout: str('SECONDS', 'how long the browser step may take (default 300)'),
    },
    examples: [
      'tokendeck connect gh',
      'printf %s "$KEY" | tokendeck connect attentive --api-key-stdin',
    ],
  },
  passphrase: {
    summary: 'set or change the vault passphrase (at least 8 characters)',
    args: '',
    flags: { stdin: bool('read the new passphrase from standard input') },
    examples: ['tokendeck passphrase', 'printf %s "$NEW" | tokendeck passphrase --stdin'],
  },
} as const satisfies Record<string, CommandSpec>;
