/**
 * The RFC 8252 loopback redirect listener: one per authorization request, on exactly the redirect
 * URI's loopback host (127.0.0.1 unless a fixed redirect says `[::1]` or `localhost`).
 */
export {
  startLoopbackListener,
  type LoopbackHost,
  type LoopbackListener,
  type LoopbackOptions,
} from './listener';
export { escapeHtml } from './pages';
