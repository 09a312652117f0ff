import { bool, secs, str, type CommandSpec } from './spec-types';

const minTtl = secs('renew first when less than this is left (default 60)', 0, 365 * 86_400);
const requestFlags = {
  'allow-origin': bool("send the token to an origin that is not the provider's"),
  'location-trusted': bool('follow a redirect to another origin with the token, as curl does'),
  timeout: secs('give up after this long', 1, 600),
  save: str('NAME', "save the request under this name for the account's provider, then send it"),
  overwrite: bool('with --save: replace a saved request of that name'),
};

/** The commands of every day: tokens, requests, and the vault's sessions and agent. */
export const USE_COMMANDS = {
  accounts: {
    summary: 'list accounts and their status',
    args: '',
    flags: {},
    examples: ['tokendeck accounts', 'tokendeck accounts --json | jq -r ".[].id"'],
  },
  token: {
    summary: 'print a fresh access token',
    args: '<account>',
    flags: {
      'min-ttl': minTtl,
      header: bool('print "Name: prefix token", as the provider sends it'),
      format: str('FORMAT', 'value, header, json, env or exec-credential'),
      'env-name': str('NAME', 'the variable for --format env (default TOKENDECK_TOKEN)'),
      'no-newline': bool('print no line break after the token'),
      verify: bool("have the provider's who-am-I call accept it first; renew once if refused"),
    },
    examples: [
      'curl -H "$(tokendeck token gh --header)" https://api.github.com/user',
      'eval "$(tokendeck token ci --format env --env-name API_TOKEN)"',
    ],
  },
  exchange: {
    summary: "trade an account's token for one for another audience (RFC 8693)",
    args: '<account>',
    flags: {
      audience: str('AUD', 'the audience the new token is for (required)'),
      scope: str('"A B"', 'the scopes to ask for'),
      resource: str('URL', 'the resource the new token is for (RFC 8707)'),
    },
    examples: [
      'tokendeck exchange gh --audience https://api.example.com',
      'tokendeck exchange gh --audience billing --scope "read" --json',
    ],
  },
  rename: {
    summary: 'give an account your own label',
    args: '<account> <label>',
    flags: {},
    examples: ['tokendeck rename shop-x2k7 "Acme staging"', 'tokendeck rename shop-x2k7 ci --json'],
  },
  merge: {
    summary: 'merge two accounts of one subject into the first',
    args: '<keep> <other>',
    flags: {},
    examples: ['tokendeck merge shop-x2k7 shop-q9zd', 'tokendeck merge shop-x2k7 shop-q9zd --json'],
  },
  default: {
    summary: "make an account the one its provider's name means",
    args: '<account>',
    flags: {},
    examples: ['tokendeck default shop-x2k7', 'tokendeck token shop   # now shop-x2k7'],
  },
  renew: {
    summary: 'renew an account now',
    args: '<account>',
    flags: {},
    examples: ['tokendeck renew gh', 'tokendeck renew gh --json'],
  },
  remove: {
    summary: 'revoke where possible, then delete an account',
    args: '<account>',
    flags: { yes: bool('do not ask; required when not in a terminal', 'y') },
    examples: ['tokendeck remove gh', 'tokendeck remove gh --yes'],
  },
  request: {
    summary: 'send an HTTP request as the account',
    args: '<account> <METHOD> <url|/path>  |  <account> --saved NAME',
    flags: {
      header: {
        type: 'string',
        short: 'H',
        multiple: true,
        value: "'Name: value'",
        help: 'add a header',
      },
      data: str('BODY|@file', 'the request body', 'd'),
      include: bool('print the status line and headers first', 'i'),
      fail: bool('exit 22 on an HTTP status of 400 or more, as curl -f does', 'f'),
      saved: str('NAME', 'send a saved request (see: tokendeck saved list) instead'),
      ...requestFlags,
    },
    examples: [
      'tokendeck request gh GET /repos/{{owner}}/x --save Repo',
      'tokendeck request gh --saved Repo --fail',
    ],
  },
  graphql: {
    summary: 'send a GraphQL query as the account',
    args: '<account> <QUERY|@file>',
    flags: {
      variables: str('JSON|@file', 'the query variables'),
      operation: str('NAME', 'the operation to run'),
      url: str('URL', "another GraphQL URL than the provider's"),
      ...requestFlags,
    },
    examples: [
      "tokendeck graphql att '{ me { id } }'",
      'tokendeck graphql att @query.graphql --variables @vars.json',
    ],
  },
  status: {
    summary: 'the vault, its key slots, the agent, sessions, and accounts that need you',
    args: '',
    flags: {},
    examples: ['tokendeck status', 'tokendeck status --json'],
  },
  unlock: {
    summary: 'unlock once and print a session for TOKENDECK_SESSION',
    args: '',
    flags: {
      raw: bool('print only the session value'),
      ttl: secs('end the session after this long (at most 12 hours, the default)', 1, 12 * 3600),
    },
    examples: [
      'eval "$(tokendeck unlock)"',
      'export TOKENDECK_SESSION="$(tokendeck unlock --raw --ttl 3600)"',
    ],
  },
  lock: {
    summary: 'end every session, and stop a headless agent',
    args: '',
    flags: {},
    examples: ['tokendeck lock', 'tokendeck lock --json'],
  },
  agent: {
    summary: "serve the vault to this user's terminals until stopped (headless)",
    args: '',
    flags: {},
    examples: ['tokendeck agent &', 'TOKENDECK_SESSION="$S" tokendeck agent'],
  },
  completion: {
    summary: 'print a shell completion script',
    args: 'bash|zsh|fish',
    flags: {},
    examples: [
      'source <(tokendeck completion bash)',
      'tokendeck completion fish > ~/.config/fish/completions/tokendeck.fish',
    ],
  },
  help: {
    summary: 'help for one command',
    args: '[command]',
    flags: {},
    examples: ['tokendeck help token', 'tokendeck token --help'],
  },
} as const satisfies Record<string, CommandSpec>;
