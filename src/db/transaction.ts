import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context';

/**
 * One mutation, one transaction. The request already runs inside a transaction (the tenancy gate),
 * so this is a savepoint: a failed mutation rolls back completely while the request's scope stays.
 */
export function inTransaction<T>(ctx: RequestContext, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return ctx.em.transactional((em) => work(em as EntityManager));
}
