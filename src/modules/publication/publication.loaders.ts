import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { ConfidentialityReview, Publication, PublicationEvent, PublicationSignOff } from './publication.entity';

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k) ?? [];
    list.push(r);
    map.set(k, list);
  }
  return map;
}

/** Children of many publications in one statement each (rows of other tenants are filtered by RLS). */
function byPublication<T extends { publication: { id: string } }>(
  em: EntityManager,
  entity: new () => T,
  orderBy: Record<string, 'asc' | 'desc'>,
) {
  return new DataLoader<string, T[]>(async (ids) => {
    const rows = (await em.find(entity as never, { publication: { $in: [...ids] } } as never, { orderBy } as never)) as T[];
    const grouped = groupBy(rows, (r) => r.publication.id);
    return ids.map((id) => grouped.get(id) ?? []);
  });
}

export function createPublicationLoaders(em: EntityManager) {
  return {
    byId: new DataLoader<string, Publication | null>(async (ids) => {
      const rows = await em.find(Publication, { id: { $in: [...ids] } });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    reviews: byPublication(em, ConfidentialityReview, { round: 'asc' }),
    signOffs: byPublication(em, PublicationSignOff, { round: 'asc', createdAt: 'asc' }),
    history: byPublication(em, PublicationEvent, { createdAt: 'asc', id: 'asc' }),
    /** Publications of many catalogue items, one page each, in two statements. */
    byItem: createGroupedPageLoader<Publication>(em, {
      entity: Publication,
      table: 'publication',
      groupColumn: 'item_id',
      sortColumn: 'formed_on',
      sortValue: (p) => p.formedOn,
    }),
  };
}
