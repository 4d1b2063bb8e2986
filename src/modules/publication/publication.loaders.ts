import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectLean, type Lean } from '../../db/row-mapper';
import { uuidArrayLiteral } from '../../db/sql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { ConfidentialityReview, Publication, PublicationEvent, PublicationSignOff } from './publication.entity';
import { groupBy, groupedLoader } from '../../graphql/grouped-loader';
import { PublisherDesignation } from './publisher.entity';

/**
 * Children of many publications in one statement each (rows of other tenants are filtered by RLS),
 * as lean read-only objects. `orderBy` is SQL on alias `t`.
 */
function byPublication<T extends { publication: { id: string } }>(em: EntityManager, entity: new () => T, orderBy: string) {
  return new DataLoader<string, Lean<T>[]>(async (ids) => {
    const rows = await selectLean(em, entity, `where t.publication_id = any(?::uuid[]) order by ${orderBy}`, [uuidArrayLiteral(ids)]);
    const grouped = groupBy(rows, (r) => r.publication.id);
    return ids.map((id) => grouped.get(id) ?? []);
  });
}

export function createPublicationLoaders(em: EntityManager) {
  return {
    byId: byIdLoader(em, Publication),
    reviews: byPublication(em, ConfidentialityReview, 't.round'),
    signOffs: byPublication(em, PublicationSignOff, 't.round, t.created_at'),
    history: byPublication(em, PublicationEvent, 't.created_at, t.id'),
    /** The designated publishers (指定发布单位) of many agencies, one statement per batch. */
    publishers: groupedLoader(em, PublisherDesignation, 'agency_id', 't.created_at, t.id', (r) => r.agency.id),
    /** Publications of many catalogue items, one page each, in two statements. */
    byItem: createGroupedPageLoader<Publication>(em, {
      entity: Publication,
      groupColumn: 'item_id',
      sortColumn: 'formed_on',
      sortValue: (p) => p.formedOn,
    }),
  };
}
