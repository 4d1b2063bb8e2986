import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { Agency } from './agency.entity';
import { Unit } from './unit.entity';


export function createAgencyLoaders(em: EntityManager) {
  return {
    /** null when the agency does not exist or lies outside the caller's subtree (row-level security). */
    byId: byIdLoader(em, Agency),
    unitById: byIdLoader(em, Unit),
    children: createGroupedPageLoader<Agency>(em, {
      entity: Agency,
      groupColumn: 'parent_id',
      sortColumn: 'code',
      sortValue: (a) => a.code,
    }),
    units: createGroupedPageLoader<Unit>(em, {
      entity: Unit,
      groupColumn: 'agency_id',
      sortColumn: 'code',
      sortValue: (u) => u.code,
    }),
  };
}
