import { AsyncLocalStorage } from 'node:async_hooks';
import { rootLogger, type Logger } from './logger';

/** Request id and logger reachable from places that get no context argument (error formatting). */
export const requestStore = new AsyncLocalStorage<{ reqId: string; log: Logger }>();

export function currentRequest(): { reqId: string | undefined; log: Logger } {
  const store = requestStore.getStore();
  return { reqId: store?.reqId, log: store?.log ?? rootLogger };
}
