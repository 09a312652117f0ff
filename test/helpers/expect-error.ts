import { TokendeckError } from '../../src-main/core/errors';

/** Awaits a promise that must fail with a TokendeckError, and returns that error. */
export async function failure(promise: Promise<unknown>): Promise<TokendeckError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokendeckError) return error;
    throw error;
  }
  throw new Error('expected a TokendeckError');
}
