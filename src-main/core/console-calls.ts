import type { ServiceCalls } from './api';
import type { ServiceParts } from './service-parts';

/** The calls on the providers' saved requests and environments, and the curl export. */
export type LibraryMethod =
  | 'listSavedRequests'
  | 'saveRequest'
  | 'renameSavedRequest'
  | 'deleteSavedRequest'
  | 'listEnvVariables'
  | 'setEnvVariable'
  | 'unsetEnvVariable'
  | 'exportCurl';

export type LibraryCalls = Pick<ServiceCalls, LibraryMethod>;

/** The service's saved-request, environment and curl calls, each on the open vault's parts. */
export function libraryCalls(parts: () => ServiceParts): LibraryCalls {
  const library = () => parts().library();
  return {
    exportCurl: async ({ spec, options }) => {
      const { context, manager } = parts();
      const { exportCurl } = await import('./console');
      const environment = async (id: string) => (await library()).variables(id);
      return {
        command: await exportCurl(spec, options, { context, tokens: manager, environment }),
      };
    },
    listSavedRequests: async ({ providerId }) => (await library()).listSaved(providerId),
    saveRequest: async (arg) => (await library()).save(arg),
    renameSavedRequest: async ({ providerId, name, newName }) =>
      (await library()).rename(providerId, name, newName),
    deleteSavedRequest: async ({ providerId, name }) => (await library()).remove(providerId, name),
    listEnvVariables: async ({ providerId }) => (await library()).listVariables(providerId),
    setEnvVariable: async (arg) => (await library()).setVariable(arg),
    unsetEnvVariable: async ({ providerId, name }) =>
      (await library()).unsetVariable(providerId, name),
  };
}
