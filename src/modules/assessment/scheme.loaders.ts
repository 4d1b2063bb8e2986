import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectLean, type Lean } from '../../db/row-mapper';
import { uuidArrayLiteral } from '../../db/sql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { AssessmentIndicator, AssessmentScheme, AssessmentSchemeAgency } from './scheme.entity';

/** Scheme versions and their indicators: one statement per batch. */
export function createSchemeLoaders(em: EntityManager) {
  return {
    byId: byIdLoader(em, AssessmentScheme),
    indicatorsByScheme: new DataLoader<string, Lean<AssessmentIndicator>[]>(async (ids) => {
      const rows = await selectLean(em, AssessmentIndicator, 'where t.scheme_id = any(?::uuid[]) order by t.position', [uuidArrayLiteral(ids)]);
      return ids.map((id) => rows.filter((r) => r.scheme.id === id));
    }),
    chosenByScheme: new DataLoader<string, string[]>(async (ids) => {
      const rows = await selectLean(em, AssessmentSchemeAgency, 'where t.scheme_id = any(?::uuid[])', [uuidArrayLiteral(ids)]);
      return ids.map((id) => rows.filter((r) => r.scheme.id === id).map((r) => r.assessed.id));
    }),
  };
}
