import { describe, expect, it } from 'vitest';
import {
  buildListItems,
  matchesSearch,
} from '../../../src-renderer/components/accounts/account-items';
import {
  fieldsFromProfile,
  profileFromFields,
  slugify,
  usesSecret,
  EMPTY_FIELDS,
} from '../../../src-renderer/components/providers/provider-form-model';
import { plainFlowError } from '../../../src-renderer/format/flow-errors';
import { formatCountdown, formatRelative } from '../../../src-renderer/format/time';
import { account } from './fake-api';

describe('dashboard list items', () => {
  const byId = {
    a: account({
      id: 'a',
      providerId: 'gh',
      providerName: 'GitHub',
      label: 'octo',
      scopes: ['repo'],
    }),
    b: account({
      id: 'b',
      providerId: 'gh',
      providerName: 'GitHub',
      label: 'hubot',
      subject: 'u-77',
    }),
    c: account({ id: 'c', providerId: 'g', providerName: 'Google', label: 'me@gmail.test' }),
  };
  const order = ['a', 'b', 'c'];

  it('groups by provider in the given order', () => {
    expect(buildListItems(order, byId, '', new Set())).toEqual([
      { kind: 'group', providerId: 'gh', providerName: 'GitHub', count: 2, collapsed: false },
      { kind: 'account', id: 'a', providerId: 'gh' },
      { kind: 'account', id: 'b', providerId: 'gh' },
      { kind: 'group', providerId: 'g', providerName: 'Google', count: 1, collapsed: false },
      { kind: 'account', id: 'c', providerId: 'g' },
    ]);
  });

  it('hides a collapsed group’s accounts, but not while searching', () => {
    expect(buildListItems(order, byId, '', new Set(['gh'])).map((item) => item.kind)).toEqual([
      'group',
      'group',
      'account',
    ]);
    expect(buildListItems(order, byId, 'hubot', new Set(['gh']))).toHaveLength(2);
  });

  it('searches provider, label, subject and scope, every word', () => {
    expect(matchesSearch(byId.a, 'github repo')).toBe(true);
    expect(matchesSearch(byId.b, 'U-77')).toBe(true);
    expect(matchesSearch(byId.c, 'google repo')).toBe(false);
  });
});

describe('provider form model', () => {
  it('makes an id from a name', () => {
    expect(slugify('Acme Staging (EU)')).toBe('acme-staging-eu');
  });

  it('round-trips a preset profile and keeps the fields the form does not show', () => {
    const preset = {
      id: 'eventbookings',
      name: 'EventBookings',
      presetId: 'eventbookings',
      grant: 'client_credentials',
      endpoints: { token: 'https://identity.example.test/connect/token' },
      client: { registration: 'static', clientId: 'c1', auth: 'json', hasSecret: true },
      use: { headerName: 'Authorisation', headerPrefix: 'Bearer' },
      whoami: { kind: 'none' },
      quirks: { assumeTokenType: 'Bearer' },
      tokenParams: { audience: 'api' },
    };
    const fields = fieldsFromProfile(preset);
    expect(fields.endpointMode).toBe('explicit');
    const profile = profileFromFields(fields, preset);
    expect(profile).toMatchObject({
      presetId: 'eventbookings',
      quirks: { assumeTokenType: 'Bearer' },
      tokenParams: { audience: 'api' },
      endpoints: { token: 'https://identity.example.test/connect/token' },
      client: { registration: 'static', clientId: 'c1', auth: 'json' },
    });
    expect((profile.client as Record<string, unknown>).hasSecret).toBeUndefined();
    expect(usesSecret(fields)).toBe(true);
  });

  it('a dynamically registered client is public and keeps no client id', () => {
    const profile = profileFromFields({
      ...EMPTY_FIELDS,
      id: 'x',
      name: 'X',
      issuer: 'http://127.0.0.1:9000',
      clientId: 'left-over',
      clientAuth: 'client_secret_post',
    });
    expect(profile.client).toEqual({ registration: 'dynamic', auth: 'none' });
    expect(profile.endpoints).toEqual({});
    expect(usesSecret({ ...EMPTY_FIELDS })).toBe(false);
  });

  it('sets and clears the assumed token lifetime, keeping the other quirks', () => {
    const base = { quirks: { assumeTokenType: 'Bearer', assumeExpiresIn: 600 } };
    const fields = fieldsFromProfile(base);
    expect(fields.assumeExpiresIn).toBe('600');
    expect(profileFromFields({ ...fields, assumeExpiresIn: ' 3600 ' }, base).quirks).toEqual({
      assumeTokenType: 'Bearer',
      assumeExpiresIn: 3600,
    });
    expect(profileFromFields({ ...fields, assumeExpiresIn: '' }, base).quirks).toEqual({
      assumeTokenType: 'Bearer',
    });
    // Not a number: sent as typed, so main's schema marks the field.
    expect(profileFromFields({ ...fields, assumeExpiresIn: '1h' }, base).quirks).toMatchObject({
      assumeExpiresIn: '1h',
    });
    expect(profileFromFields({ ...EMPTY_FIELDS, id: 'x', name: 'X' }).quirks).toBeUndefined();
  });
});

describe('plain-language flow errors', () => {
  it('puts the provider’s error_description first, then what to do', () => {
    const plain = plainFlowError(
      'callback_error',
      'The provider refused the sign-in: access_denied (End-User aborted interaction).',
    );
    expect(plain).toEqual({
      title: 'Access was declined',
      detail: 'End-User aborted interaction (access_denied)',
      next: 'Nothing was stored. Press Try again and choose Allow (or Continue) in the browser.',
    });
  });

  it('names a button that exists for every other failure', () => {
    for (const code of [
      'flow_timeout',
      'invalid_client',
      'discovery_failed',
      'identity_mismatch',
      'internal',
    ] as const) {
      expect(plainFlowError(code, 'x').next).toMatch(/Try again|Edit/);
    }
  });
});

describe('time wording', () => {
  const now = 1_000_000_000_000;
  it('counts down to the second under an hour', () => {
    expect(formatCountdown(now + 52 * 60_000 + 9_000, now)).toBe('in 52m 09s');
    expect(formatCountdown(now + 3 * 3600_000 + 5 * 60_000, now)).toBe('in 3h 05m');
    expect(formatCountdown(now - 90_000, now)).toBe('expired 1m 30s ago');
    expect(formatCountdown(null, now)).toBe('never');
  });
  it('says how long ago', () => {
    expect(formatRelative(now - 20_000, now)).toBe('just now');
    expect(formatRelative(now - 7 * 60_000, now)).toBe('7 min ago');
    expect(formatRelative(now + 2 * 3600_000, now)).toBe('in 2 h');
  });
});
