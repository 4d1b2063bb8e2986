import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectLean, type Lean } from '../../db/row-mapper';
import { uuidArrayLiteral } from '../../db/sql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { AnnualReport } from './annual-report.entity';
import type { CountTable } from './annual-report-tables';
import { computeTables, keyOf, parseKey } from './annual-report.service';

/**
 * The annual-report loaders (`ctx.loaders.annualReport`): reports by id, the computed
 * tables of (agency, year) and the previous year's report — each one statement per batch, so a page of
 * reports with their tables and checks costs the same statements as one report.
 */
export function createAnnualReportLoaders(em: EntityManager) {
  return {
    byId: byIdLoader(em, AnnualReport),
    computed: new DataLoader<string, { table3: CountTable; table4: CountTable }>(async (keys) => {
      const tables = await computeTables(em, { keys: keys.map(parseKey) });
      return keys.map((k) => tables.get(k)!);
    }),
    /** Key: `agencyId:year` of the report; value: that agency's report of the year before. */
    previous: new DataLoader<string, Lean<AnnualReport> | null>(async (keys) => {
      const ks = keys.map(parseKey);
      const rows = await selectLean(em, AnnualReport, `join unnest(?::uuid[], ?::int[]) as k(agency_id, year) on t.agency_id = k.agency_id and t.year = k.year - 1`, [
        uuidArrayLiteral(ks.map((k) => k.agencyId)),
        `{${ks.map((k) => k.year).join(',')}}`,
      ]);
      const map = new Map(rows.map((r) => [keyOf(r.agency.id, r.year + 1), r]));
      return keys.map((k) => map.get(k) ?? null);
    }),
  };
}
export type AnnualReportLoaders = ReturnType<typeof createAnnualReportLoaders>;
