import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { Account } from './account.entity';

export function createAccountLoaders(em: EntityManager) {
  return {
    /** Lean rows: the lazy password hash is never selected. */
    byId: byIdLoader(em, Account),
    byAgency: createGroupedPageLoader<Account>(em, {
      entity: Account,
      groupColumn: 'agency_id',
      sortColumn: 'username',
      sortValue: (a) => a.username,
    }),
  };
}
