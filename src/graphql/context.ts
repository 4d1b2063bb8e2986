import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import type { QueryStats } from '../db/counting-logger';
import type { Logger } from '../logger';
import type { LoginStore } from '../modules/account/login-store';
import type { Loaders } from './loaders';

/** One per request: who calls, the request's own EntityManager (already inside the tenancy gate), and its loaders. */
export interface RequestContext {
  reqId: string;
  log: Logger;
  principal: Principal | null;
  em: EntityManager;
  loaders: Loaders;
  stats: QueryStats;
  /**
   * The caller's network address: the TCP peer (behind a reverse proxy, that proxy); null outside HTTP.
   */
  clientAddress: string | null;
  /** Where login reads accounts and keeps its throttle (the HTTP server's); null outside HTTP. */
  logins: LoginStore | null;
}
