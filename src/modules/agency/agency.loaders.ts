import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { Agency } from './agency.entity';
import { Unit } from './unit.entity';

function byIdLoader<T extends { id: string }>(em: EntityManager, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = (await em.find(entity as never, { id: { $in: [...ids] } } as never)) as T[];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

export function createAgencyLoaders(em: EntityManager) {
  return {
    /** null when the agency does not exist or lies outside the caller's subtree (row-level security). */
    byId: byIdLoader(em, Agency),
    unitById: byIdLoader(em, Unit),
    children: createGroupedPageLoader<Agency>(em, {
      entity: Agency,
      table: 'agency',
      groupColumn: 'parent_id',
      sortColumn: 'code',
      sortValue: (a) => a.code,
    }),
    units: createGroupedPageLoader<Unit>(em, {
      entity: Unit,
      table: 'unit',
      groupColumn: 'agency_id',
      sortColumn: 'code',
      sortValue: (u) => u.code,
    }),
  };
}
