import { ipcMain } from 'electron';
import type { ServiceCalls } from '../../core';
import { registerServiceHandlers, type HandleOptions } from './typed-ipc';

/**
 * Registers every contract call on Electron's own `ipcMain`; returns a function that removes them.
 *
 * The one file besides the preload that holds a raw IPC object, and it only hands it to the typed
 * wrappers. The service may still be opening; each call then waits for it.
 */
export function registerWindowHandlers(
  service: ServiceCalls | Promise<ServiceCalls>,
  options: HandleOptions,
): () => void {
  return registerServiceHandlers(ipcMain, service, options);
}
