import { bool, type CommandSpec } from './spec-types';

/** The request console's own things: each provider's environment and saved requests. */
export const CONSOLE_COMMANDS = {
  'env list': {
    summary: "list a provider's variables, used as {{NAME}} in requests (secrets hidden)",
    args: '<provider>',
    flags: {},
    examples: ['tokendeck env list shop', 'tokendeck env list shop --json'],
  },
  'env set': {
    summary: "set a variable of a provider's environment; no VALUE reads standard input",
    args: '<provider> <NAME> [VALUE]',
    flags: {
      secret: bool('seal it as a secret: hidden in lists and history, left as $NAME in curl'),
      plain: bool('make a secret variable plain again'),
    },
    examples: [
      'tokendeck env set shop tenant acme',
      'printf %s "$KEY" | tokendeck env set shop api_key --secret',
    ],
  },
  'env unset': {
    summary: "remove a variable of a provider's environment",
    args: '<provider> <NAME>',
    flags: {},
    examples: ['tokendeck env unset shop tenant', 'tokendeck env unset shop api_key --json'],
  },
  'saved list': {
    summary: "list a provider's saved requests (request --save NAME adds one)",
    args: '<provider>',
    flags: {},
    examples: ['tokendeck saved list shop', 'tokendeck saved list shop --json'],
  },
  'saved delete': {
    summary: 'delete a saved request',
    args: '<provider> <NAME>',
    flags: {},
    examples: [
      'tokendeck saved delete shop "List orders"',
      'tokendeck saved delete shop me --json',
    ],
  },
} as const satisfies Record<string, CommandSpec>;
