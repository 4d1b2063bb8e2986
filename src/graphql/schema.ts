import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { validateArgument } from './validation';
import { AgencyResolver, UnitResolver } from '../modules/agency/agency.resolver';
import { AccountResolver } from '../modules/account/account.resolver';
import {
  AgencyCatalogueResolver,
  CatalogueItemResolver,
  CatalogueOmissionResolver,
  CatalogueResolver,
} from '../modules/catalogue/catalogue.resolver';
import { CalendarResolver } from '../modules/calendar/calendar.resolver';
import {
  DeductionPointResolver,
  EvaluationRoundResolver,
  EvaluationScoreResolver,
  ExplanationCountRowResolver,
} from '../modules/assessment/evaluation.resolver';
import { InspectionFindingResolver, InspectionResolver } from '../modules/assessment/inspection.resolver';
import { AssessmentIndicatorResolver, AssessmentSchemeResolver } from '../modules/assessment/scheme.resolver';
import { AssessmentResultResolver, AssessmentRollupRowResolver } from '../modules/assessment/result.resolver';
import { CompletionRowResolver, PlanHeadingResolver, WorkPlanResolver } from '../modules/plan/plan.resolver';
import { PlanTaskResolver, TaskProgressResolver } from '../modules/plan/task.resolver';
import { RequestRollupResolver, RequestRollupRowResolver } from '../modules/request/request-rollup.resolver';
import { EvaluatorAccessResolver, EvaluatorSessionResolver, EvaluatorTokenResolver } from '../modules/evaluator/evaluator-token.resolver';
import { instrumentEvaluatorAccess } from '../modules/evaluator/evaluator-access';
import { AnnualReportResolver } from '../modules/request/annual-report.resolver';
import {
  DisclosureCandidateResolver,
  InfoRequestResolver,
  RequestAppealResolver,
  RequestConsultationResolver,
} from '../modules/request/request.resolver';
import {
  AgencyComplianceResolver,
  CatalogueItemPublicationResolver,
  ComplianceResolver,
  ComplianceRollupRowResolver,
  ItemComplianceResolver,
  NegativeListResolver,
  PublicationResolver,
} from '../modules/publication/publication.resolver';

/** Every module adds its resolvers here; nothing is discovered by file globbing. */
export const RESOLVERS = [
  AgencyResolver,
  UnitResolver,
  AccountResolver,
  WorkPlanResolver,
  PlanHeadingResolver,
  CompletionRowResolver,
  PlanTaskResolver,
  TaskProgressResolver,
  CatalogueResolver,
  CatalogueItemResolver,
  CatalogueOmissionResolver,
  AgencyCatalogueResolver,
  CalendarResolver,
  PublicationResolver,
  NegativeListResolver,
  CatalogueItemPublicationResolver,
  ComplianceResolver,
  ItemComplianceResolver,
  AgencyComplianceResolver,
  ComplianceRollupRowResolver,
  AssessmentSchemeResolver,
  AssessmentIndicatorResolver,
  AssessmentResultResolver,
  AssessmentRollupRowResolver,
  EvaluationRoundResolver,
  EvaluationScoreResolver,
  DeductionPointResolver,
  ExplanationCountRowResolver,
  InspectionResolver,
  InspectionFindingResolver,
  EvaluatorTokenResolver,
  EvaluatorAccessResolver,
  EvaluatorSessionResolver,
  AnnualReportResolver,
  InfoRequestResolver,
  RequestConsultationResolver,
  RequestAppealResolver,
  DisclosureCandidateResolver,
  RequestRollupResolver,
  RequestRollupRowResolver,
] as const;

export async function createSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    validateFn: validateArgument,
    emitSchemaFile: false,
  });
  // type-graphql has no option for root-type descriptions.
  const describe = (type: { description?: string | null } | null | undefined, text: string) => {
    if (type) type.description = text;
  };
  describe(schema.getQueryType(), '查询 (queries): every read is confined to the caller’s agency subtree');
  describe(schema.getMutationType(), '变更 (mutations): each runs in one transaction and returns a payload');
  // Evaluator tokens: what a token may call, and its access log (src/modules/evaluator/evaluator-access.ts).
  instrumentEvaluatorAccess(schema);
  return schema;
}

/** The committed `schema/schema.graphql`: sorted so that regenerating it gives a stable diff. */
export function printCommittedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
