import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectLean, type Lean } from '../../db/row-mapper';
import { uuidArrayLiteral } from '../../db/sql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { DeductionPoint, EvaluationRound, EvaluationScore } from './evaluation.entity';
import { Inspection, InspectionFinding } from './inspection.entity';
import { groupBy, groupedLoader } from '../../graphql/grouped-loader';

/**
 * Third-party evaluation rounds and inspections: every loader is one statement per batch, whatever
 * the number of rounds, points or inspections asked for. Row-level security decides what each
 * returns (rounds of the caller's subtree and of the agencies above it; scores, points and
 * inspections of the caller's subtree; an evaluator's own round only).
 */
export function createAssessmentLoaders(em: EntityManager) {
  const byGroup = <T extends { id: string }>(entity: new () => T, column: string, order: string, keyOf: (r: Lean<T>) => string) =>
    groupedLoader(em, entity, column, order, keyOf);

  return {
    roundById: byIdLoader(em, EvaluationRound),
    deductionPointById: byIdLoader(em, DeductionPoint),
    inspectionById: byIdLoader(em, Inspection),
    /** Scores of a round, in the order of the evaluated agencies' codes. */
    scoresByRound: new DataLoader<string, Lean<EvaluationScore>[]>(async (ids) => {
      const rows = await selectLean(
        em,
        EvaluationScore,
        'join agency a on a.id = t.agency_id where t.round_id = any(?::uuid[]) order by t.round_id, a.code, t.id',
        [uuidArrayLiteral(ids)],
      );
      const grouped = groupBy(rows, (r) => r.round.id);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
    /** A page of a round's deduction points, by explanation due date. */
    deductionPointsPage: createGroupedPageLoader<DeductionPoint>(em, {
      entity: DeductionPoint,
      groupColumn: 'round_id',
      sortColumn: 'due_on',
      sortValue: (d) => d.dueOn,
    }),
    /** Findings of an inspection, by indicator code. */
    findingsByInspection: byGroup(InspectionFinding, 'inspection_id', 't.inspection_id, t.indicator_code, t.created_at, t.id', (f) => f.inspection.id),
  };
}
