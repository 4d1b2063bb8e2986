import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context';

/**
 * One mutation, one transaction. The request already runs inside a transaction (the tenancy gate),
 * so this is a savepoint: a failed mutation rolls back completely while the request's scope stays.
 *
 * Afterwards the request's loader caches are dropped: loaders hand out lean copies of rows
 * (src/db/row-mapper.ts), not the managed entities the mutation changed, so without this the
 * payload's nested fields (`updateAgency { agency { children { … parent { name } } } }`) could be
 * served the row as it was before the write.
 */
export async function inTransaction<T>(ctx: RequestContext, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await ctx.em.transactional((em) => work(em as EntityManager));
  } finally {
    clearLoaderCaches(ctx.loaders);
  }
}

/** The working calendar is no DataLoader: calendar changes reset it themselves. */
function clearLoaderCaches(loaders: RequestContext['loaders']): void {
  for (const group of Object.values(loaders)) {
    for (const loader of Object.values(group)) {
      if (loader instanceof DataLoader) loader.clearAll();
    }
  }
}
