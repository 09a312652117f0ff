/**
 * The RFC 8252 loopback redirect listener: one per authorization request, on 127.0.0.1 only.
 */
export { startLoopbackListener, type LoopbackListener, type LoopbackOptions } from './listener';
export { escapeHtml } from './pages';
