/**
 * The IPC layer: the typed handlers (sender check, size, schema, then the service) and the
 * forwarding of the service's events to the window.
 */
export { forwardServiceEvents } from './events';
export { registerWindowHandlers } from './electron-ipc';
export { trustedAppSender } from './typed-ipc';
