import { describe, expect, it } from 'vitest';
import { copiesSecret, copyText } from '../../../src-main/core/copy-formats';
import { validateProfile } from '../../../src-main/core/providers';

const profile = validateProfile({
  id: 'eventbookings',
  name: 'EventBookings',
  grant: 'client_credentials',
  endpoints: { token: 'https://identity.example.test/connect/token' },
  client: { registration: 'static', clientId: 'c', auth: 'json' },
  use: { headerName: 'Authorisation', headerPrefix: 'Bearer', apiBase: 'https://api.example.test' },
});

describe('copy formats', () => {
  it('copies the token, or the header line with the profile’s name and prefix', () => {
    expect(copyText('token', profile, 'acc-1', 'tok')).toBe('tok');
    expect(copyText('header', profile, 'acc-1', 'tok')).toBe('Authorisation: Bearer tok');
    const bare = { ...profile, use: { ...profile.use, headerName: 'X-Api-Key', headerPrefix: '' } };
    expect(copyText('header', bare, 'acc-1', 'tok')).toBe('X-Api-Key: tok');
  });

  it('copies curl with $(tokendeck token ACCT), never the token', () => {
    const command = copyText('curl', profile, 'eventbookings-1a2b3c4d');
    expect(command).toBe(
      `curl -sS -H "Authorisation: Bearer $(tokendeck token 'eventbookings-1a2b3c4d')" 'https://api.example.test'`,
    );
    expect(copiesSecret('curl')).toBe(false);
    expect(copiesSecret('header')).toBe(true);
  });

  it('leaves a placeholder URL when the profile has no API base', () => {
    const none = { ...profile, use: { headerName: 'Authorization', headerPrefix: 'Bearer' } };
    expect(copyText('curl', none, 'a')).toMatch(/ '<URL>'$/);
  });
});
