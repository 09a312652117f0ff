import type {
  ContractCalls,
  ContractEvents,
  ContractEvent,
  ContractMethod,
} from '../../src-preload/contract';

/**
 * The service's public surface: one async function per contract call.
 *
 * The IPC handlers, the CLI and the end-to-end harness call exactly these. Each throws a
 * `TokendeckError` on failure; the IPC wrapper turns that into `{ ok: false, code, message }`.
 */
export type ServiceCalls = {
  [M in ContractMethod]: (arg: ContractCalls[M]['arg']) => Promise<ContractCalls[M]['result']>;
};

export interface ServiceEventSource {
  on<E extends ContractEvent>(event: E, listener: (payload: ContractEvents[E]) => void): () => void;
}
