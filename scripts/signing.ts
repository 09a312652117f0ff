/**
 * Whether a packaging run can sign (and, on macOS, notarise), decided from the environment.
 *
 * electron-builder reads the same variables itself; this only decides what to say, and turns
 * off its search of the macOS keychain for some identity when none was given, so that an
 * unsigned build is unsigned on purpose. Each skipped step is one line that names the
 * variables to set.
 */

export interface SigningPlan {
  /** Lines for the person running the build. */
  notes: string[];
  /** Variables to add to electron-builder's environment. */
  env: Record<string, string>;
}

const has = (env: NodeJS.ProcessEnv, ...names: string[]) =>
  names.every((name) => (env[name] ?? '').trim() !== '');

export function signingPlan(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): SigningPlan {
  switch (platform) {
    case 'darwin': {
      const notes: string[] = [];
      const signing = has(env, 'CSC_LINK') || has(env, 'CSC_NAME');
      if (!signing) {
        notes.push(
          'Signing skipped: set CSC_LINK (a .p12 of a Developer ID Application certificate) and CSC_KEY_PASSWORD.',
        );
      }
      const notarising =
        has(env, 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER') ||
        has(env, 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID') ||
        has(env, 'APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE');
      if (signing && !notarising) {
        notes.push(
          'Notarisation skipped: set APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER (or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID).',
        );
      }
      return { notes, env: signing ? {} : { CSC_IDENTITY_AUTO_DISCOVERY: 'false' } };
    }
    case 'win32':
      return has(env, 'WIN_CSC_LINK') || has(env, 'CSC_LINK')
        ? { notes: [], env: {} }
        : {
            notes: [
              'Signing skipped: set WIN_CSC_LINK (a .pfx code-signing certificate) and WIN_CSC_KEY_PASSWORD.',
            ],
            env: {},
          };
    default:
      return { notes: [], env: {} };
  }
}
