import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { Account } from './account.entity';

export function createAccountLoaders(em: EntityManager) {
  return {
    byId: new DataLoader<string, Account | null>(async (ids) => {
      const rows = await em.find(Account, { id: { $in: [...ids] } });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    byAgency: createGroupedPageLoader<Account>(em, {
      entity: Account,
      table: 'account',
      groupColumn: 'agency_id',
      sortColumn: 'username',
      sortValue: (a) => a.username,
    }),
  };
}
