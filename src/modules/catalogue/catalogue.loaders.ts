import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rowMapper, selectLean, type FieldReads, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { Unit } from '../agency/unit.entity';
import { Catalogue } from './catalogue.entity';
import { CatalogueItem, CatalogueOmission, DisclosureType } from './catalogue-item.entity';
import { groupBy } from '../../graphql/grouped-loader';

/**
 * What the field resolvers of `CatalogueItem` (catalogue.resolver.ts, publication.resolver.ts) read
 * from their root: lets a read that returns thousands of items (per-item compliance) load only the
 * columns a query selects. A new field resolver on the type must be added here (a unit test checks).
 */
export const CATALOGUE_ITEM_FIELD_READS: FieldReads = {
  catalogue: ['catalogue'],
  responsibleUnits: ['id'],
  deadlineRule: ['deadlineRule'],
  deadlineRuleText: ['deadlineRule', 'deadlineEvent'],
  standardItem: ['standardItem'],
  publications: ['id'],
};

/** Groups rows of one batched statement by a key column. */
export function createCatalogueLoaders(em: EntityManager) {
  return {
    byId: byIdLoader(em, Catalogue),
    itemById: byIdLoader(em, CatalogueItem),
    items: createGroupedPageLoader<CatalogueItem>(em, {
      entity: CatalogueItem,
      groupColumn: 'catalogue_id',
      sortColumn: 'position',
      sortValue: (i) => i.position,
    }),
    /** Responsible units of many items in one statement. */
    unitsByItem: new DataLoader<string, Lean<Unit>[]>(async (itemIds) => {
      const units = rowMapper(em, Unit);
      const rows = await sql<Record<string, unknown> & { __item: string }>(
        em,
        `select p.item_id as "__item", ${units.columns('u')} from catalogue_item_unit p join unit u on u.id = p.unit_id
          where p.item_id = any(?::uuid[]) order by u.code`,
        [uuidArrayLiteral(itemIds)],
      );
      const grouped = groupBy(rows, (r) => r.__item);
      return itemIds.map((id) => (grouped.get(id) ?? []).map(units.map));
    }),
    countsByType: new DataLoader<string, Array<{ disclosureType: DisclosureType | null; count: number }>>(async (ids) => {
      const rows = await sql<{ catalogue_id: string; disclosure_type: DisclosureType | null; n: string }>(
        em,
        `select catalogue_id, disclosure_type, count(*) as n from catalogue_item
          where catalogue_id = any(?::uuid[]) group by catalogue_id, disclosure_type order by catalogue_id, disclosure_type nulls last`,
        [uuidArrayLiteral(ids)],
      );
      const grouped = groupBy(rows, (r) => r.catalogue_id);
      return ids.map((id) => (grouped.get(id) ?? []).map((r) => ({ disclosureType: r.disclosure_type, count: Number(r.n) })));
    }),
    countsByUnit: new DataLoader<string, Array<{ unit: Lean<Unit>; count: number }>>(async (ids) => {
      const units = rowMapper(em, Unit);
      const rows = await sql<Record<string, unknown> & { __catalogue: string; __n: string }>(
        em,
        `select i.catalogue_id as "__catalogue", count(*) as "__n", ${units.columns('u')} from catalogue_item_unit p
           join catalogue_item i on i.id = p.item_id join unit u on u.id = p.unit_id
          where i.catalogue_id = any(?::uuid[]) group by i.catalogue_id, u.id order by i.catalogue_id, count(*) desc, u.code`,
        [uuidArrayLiteral(ids)],
      );
      const grouped = groupBy(rows, (r) => r.__catalogue);
      return ids.map((id) => (grouped.get(id) ?? []).map((r) => ({ unit: units.map(r), count: Number(r.__n) })));
    }),
    omissions: new DataLoader<string, Lean<CatalogueOmission>[]>(async (ids) => {
      const rows = await selectLean(em, CatalogueOmission, 'where t.catalogue_id = any(?::uuid[]) order by t.created_at', [
        uuidArrayLiteral(ids),
      ]);
      const grouped = groupBy(rows, (r) => r.catalogue.id);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
    /** An agency's catalogue of a year and kind, keyed `agencyId|year|kind`. */
    ofAgency: new DataLoader<string, Lean<Catalogue> | null>(async (keys) => {
      const parsed = keys.map((k) => k.split('|') as [string, string, string]);
      const years = [...new Set(parsed.map((p) => Number(p[1])))];
      if (years.some((y) => !Number.isInteger(y))) throw new Error('catalogue.ofAgency: year is not an integer');
      const rows = await selectLean(em, Catalogue, 'where t.agency_id = any(?::uuid[]) and t.year = any(?::int[])', [
        uuidArrayLiteral([...new Set(parsed.map((p) => p[0]))]),
        `{${years.join(',')}}`,
      ]);
      const map = new Map(rows.map((c) => [`${c.agency.id}|${c.year}|${c.kind}`, c]));
      return keys.map((k) => map.get(k) ?? null);
    }),
  };
}
