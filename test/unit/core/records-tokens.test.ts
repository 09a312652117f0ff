import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newDpopKey } from '../../../src-main/core/flows/dpop';
import { readTokens, writeTokens } from '../../../src-main/core/records';
import { Vault } from '../../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
});
afterEach(async () => {
  await cleanup();
});

describe('stored tokens', () => {
  it('read back every field written, the DPoP key included (RFC 9449: the token is useless without it)', async () => {
    const vault = await Vault.create(join(root, 'data'), testPassphraseSlot());
    const dpopKey = await newDpopKey();
    const tokens = {
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      idToken: 'id-1',
      dpopKey,
    };
    await vault.update((tx) => writeTokens(tx, 'acct-1', tokens));

    const reopened = await Vault.open(join(root, 'data'), testPassphraseSlot());
    expect(readTokens(await reopened.read(), 'acct-1')).toEqual(tokens);
  });
});
