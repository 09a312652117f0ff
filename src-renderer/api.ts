import type { ErrorCode, IpcResult, TokendeckApi } from '../src-preload/contract';

/**
 * The renderer's access to `window.tokendeck`.
 *
 * Calls resolve to {@link IpcResult}; {@link unwrap} turns a failure into a thrown
 * {@link ApiError} with the stable code, so views can show the message and switch on the code.
 */

export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Where the store gets the API from; tests hand in a fake. */
export type ApiSource = () => TokendeckApi;

/** The API the preload exposed; throws a clear error when the page runs without it. */
export const windowApi: ApiSource = () => {
  const api = typeof window === 'undefined' ? undefined : window.tokendeck;
  if (!api) {
    throw new ApiError('internal', 'Tokendeck is not connected: the app bridge is missing.');
  }
  return api;
};

/** Awaits a call and returns its value, or throws {@link ApiError}. */
export async function unwrap<T>(call: Promise<IpcResult<T>>): Promise<T> {
  const result = await call;
  if (result.ok) return result.value;
  throw new ApiError(result.code, result.message);
}

/** A message fit to show inline for anything a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong talking to Tokendeck.';
}
