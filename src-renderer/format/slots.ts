import type { VaultStatus } from '../../src-preload/contract';

export type SlotKind = VaultStatus['slots'][number];

/** Each key slot in plain words; a Record, so a new slot kind fails the typecheck until named. */
const SLOTS: Record<SlotKind, { name: string; description: string }> = {
  'os-keychain': {
    name: 'OS keychain',
    description: 'Unlocks the vault when you sign in to this computer.',
  },
  passphrase: {
    name: 'Passphrase',
    description: 'Unlocks the vault with your passphrase, in the app and on the command line.',
  },
};

/** The plain name of a key slot, such as "OS keychain". */
export function slotName(kind: SlotKind): string {
  return SLOTS[kind].name;
}

/** One sentence on what a key slot does. */
export function slotDescription(kind: SlotKind): string {
  return SLOTS[kind].description;
}
