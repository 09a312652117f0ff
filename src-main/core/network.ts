import type { NetworkView } from './api';
import type { Logger } from './log';
import {
  readNetworkSettings,
  validateNetworkSettings,
  writeNetworkSettings,
  type NetworkSettingsInput,
  type Transport,
} from './net';
import type { RecordsVault } from './records';

/**
 * The data folder's network settings, kept in the vault and applied to the transport.
 *
 * Applied at unlock and whenever they change, here or in another process (the app follows the
 * CLI's `tokendeck network` through the data folder watch), so the app and the CLI of one data
 * folder go through the same proxy and trust the same extra CA.
 */
export class NetworkSettingsStore {
  constructor(
    private readonly vault: RecordsVault,
    readonly transport: Transport,
    private readonly logger: Logger,
  ) {}

  /** Reads the stored settings and hands them to the transport; a bad record is logged. */
  async apply(): Promise<void> {
    try {
      this.transport.configure(readNetworkSettings(await this.vault.read()));
    } catch (error) {
      this.logger.warn('could not apply the network settings', { error });
    }
  }

  async view(): Promise<NetworkView> {
    const settings = readNetworkSettings(await this.vault.read());
    return { settings, effective: this.transport.describe() };
  }

  async set(input: NetworkSettingsInput): Promise<NetworkView> {
    const settings = validateNetworkSettings(input);
    await this.vault.update((tx) => writeNetworkSettings(tx, settings));
    this.transport.configure(settings);
    this.logger.info('network settings saved', {
      proxy: settings.proxy.mode,
      extraCa: Boolean(settings.ca),
    });
    return { settings, effective: this.transport.describe() };
  }
}
