import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectLean } from '../../db/row-mapper';
import { uuidArrayLiteral } from '../../db/sql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { groupBy, groupedLoader } from '../../graphql/grouped-loader';
import { AssessmentIndicator, AssessmentScheme, AssessmentSchemeAgency } from './scheme.entity';

/** Scheme versions and their indicators: one statement per batch. */
export function createSchemeLoaders(em: EntityManager) {
  return {
    byId: byIdLoader(em, AssessmentScheme),
    indicatorsByScheme: groupedLoader(em, AssessmentIndicator, 'scheme_id', 't.scheme_id, t.position', (r) => r.scheme.id),
    chosenByScheme: new DataLoader<string, string[]>(async (ids) => {
      const rows = await selectLean(em, AssessmentSchemeAgency, 'where t.scheme_id = any(?::uuid[])', [uuidArrayLiteral(ids)]);
      const grouped = groupBy(rows, (r) => r.scheme.id);
      return ids.map((id) => (grouped.get(id) ?? []).map((r) => r.assessed.id));
    }),
  };
}
