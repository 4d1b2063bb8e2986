/** The GraphQL requests the benchmark measures; what each one reads is in its title. */
import { today } from '../src/modules/calendar/clock';

export type Principal = 'province' | 'city';

export interface ReadScenario {
  id: string;
  title: string;
  as: Principal;
  query: string;
  variables?: Record<string, unknown>;
  /** Included in the gate-cost comparison (owner vs gate). */
  gateCost: boolean;
  /** Target for the service's p95 at concurrency 1, ms (shown as met / not met in the report). */
  targetP95Ms?: number;
  /** Targets against the raw baseline: latency (p50 at concurrency 1) at most, throughput (at 8) at least, × baseline. */
  targetRatios?: { latency: number; throughput: number };
  /**
   * `completionRollup` scenarios: the plan year. The run checks that the statements recorded for the
   * baseline contain exactly `completionService.rollupStatement(year, today, root)` (root: the
   * principal's agency).
   */
  completionYear?: number;
}

const FIGURES = 'itemCount dueInPeriod onTime late overdue pending onTimeRate publishedInPeriod staleItems emptyItems';

const rollup = `query Rollup($f: ComplianceFilter!) {
  complianceRollup(filter: $f) { from to asOf rows { agency { id name } own { ${FIGURES} } subtree { ${FIGURES} } } }
}`;

const compliance = `query Compliance($f: ComplianceFilter!) {
  publicationCompliance(filter: $f) {
    from to asOf
    items { item { id name } dueInPeriod onTime late overdue stale empty }
    agencies { agency { id name } figures { ${FIGURES} } }
  }
}`;

const nested = `query Nested {
  agencies(first: 100) { edges { node { id name
    units(first: 20) { edges { node { id name } } }
    catalogue(year: 2024) { id title items(first: 10) { edges { node { id name } } } }
  } } }
}`;

const year = (y: number) => ({ f: { from: `${y}-01-01`, to: `${y}-12-31` } });

const COMPLETION = 'tasks done due doneOnTime doneLate overdue periodsEnded periodsMet occurrences lateOccurrences doneRate onTimeRate periodMetRate';

const completion = `query Completion($f: CompletionFilter!) {
  completionRollup(filter: $f) { year asOf rows { agency { id name } own { ${COMPLETION} } subtree { ${COMPLETION} } } }
}`;

const ASSESSMENT = `tasks tasksDone tasksOverdue taskCompletionRate items coveredItems staleItems emptyItems onTime late overduePublications onTimeRate
  explanationsDue explanationsOpen explanationsOverdue explainedLate scores { results mean min max excellent good pass fail vetoed finalised meanContribution }`;

const assessment = `query Assessment($f: AssessmentRollupFilter!) {
  assessmentRollup(filter: $f) { year period asOf assessorId
    root { agency { id name } own { ${ASSESSMENT} } subtree { ${ASSESSMENT} } }
    children { rank agency { id name } own { ${ASSESSMENT} } subtree { ${ASSESSMENT} } } }
}`;

/** The plan data set's years (bench/plan-dataset.ts): the year of today and the one before. */
const PLAN_YEAR = Number(today().slice(0, 4));
const plans = (y: number) => ({ f: { year: y } });

export const READ_SCENARIOS: ReadScenario[] = [
  { id: 'me', title: '`me` as a city admin (token, account re-read, gate)', as: 'city', query: '{ me { id username displayName roles agency { id name } } }', gateCost: false, targetRatios: { latency: 1.5, throughput: 0.7 } },
  { id: 'nested-province', title: 'province: 100 agencies × 20 units + 2024 catalogue × 10 items', as: 'province', query: nested, gateCost: true, targetRatios: { latency: 1.5, throughput: 0.7 } },
  { id: 'rollup-province-2026', title: '`complianceRollup` province, 2026', as: 'province', query: rollup, variables: year(2026), gateCost: true, targetP95Ms: 50 },
  { id: 'rollup-province-2025', title: '`complianceRollup` province, 2025', as: 'province', query: rollup, variables: year(2025), gateCost: true, targetP95Ms: 50 },
  { id: 'rollup-city-2026', title: '`complianceRollup` one city (as its admin), 2026', as: 'city', query: rollup, variables: year(2026), gateCost: true, targetP95Ms: 10 },
  { id: 'compliance-province-2026', title: '`publicationCompliance` province, 2026 (items + agencies)', as: 'province', query: compliance, variables: year(2026), gateCost: false, targetP95Ms: 150 },
  { id: 'compliance-province-2025', title: '`publicationCompliance` province, 2025 (items + agencies)', as: 'province', query: compliance, variables: year(2025), gateCost: false, targetP95Ms: 150 },
  {
    id: `completion-province-${PLAN_YEAR}`, title: `\`completionRollup\` province, ${PLAN_YEAR} (tasks)`, as: 'province', query: completion,
    variables: plans(PLAN_YEAR), gateCost: true, targetP95Ms: 50, completionYear: PLAN_YEAR,
  },
  {
    id: `completion-province-${PLAN_YEAR - 1}`, title: `\`completionRollup\` province, ${PLAN_YEAR - 1} (tasks)`, as: 'province', query: completion,
    variables: plans(PLAN_YEAR - 1), gateCost: true, targetP95Ms: 50, completionYear: PLAN_YEAR - 1,
  },
  {
    id: `completion-city-${PLAN_YEAR}`, title: `\`completionRollup\` one city (as its admin), ${PLAN_YEAR} (tasks)`, as: 'city', query: completion,
    variables: plans(PLAN_YEAR), gateCost: true, completionYear: PLAN_YEAR,
  },
  {
    id: `assessment-province-${PLAN_YEAR}`, title: `\`assessmentRollup\` province, ${PLAN_YEAR} (completion, publication, explanations, scores)`, as: 'province',
    query: assessment, variables: { f: { year: PLAN_YEAR, period: 'YEAR' } }, gateCost: true, targetP95Ms: 50,
  },
  {
    id: `assessment-city-${PLAN_YEAR}`, title: `\`assessmentRollup\` one city (as its admin), ${PLAN_YEAR}`, as: 'city',
    query: assessment, variables: { f: { year: PLAN_YEAR, period: 'YEAR' } }, gateCost: true,
  },
];

/** The write walk: one publication from draft to published, each step by the role it needs. */
export const WRITE_STEPS = [
  { id: 'create', as: 'liaison', mutation: 'createPublication', input: 'CreatePublicationInput' },
  { id: 'submit', as: 'liaison', mutation: 'submitPublication', input: 'SubmitPublicationInput' },
  { id: 'review', as: 'head', mutation: 'recordConfidentialityReview', input: 'RecordConfidentialityReviewInput' },
  { id: 'signOff UNIT_HEAD', as: 'head', mutation: 'signOffPublication', input: 'SignOffPublicationInput' },
  { id: 'signOff LEADER', as: 'leader', mutation: 'signOffPublication', input: 'SignOffPublicationInput' },
  // By the openness office (002 §21): the city bureau's administrator, above the branch.
  { id: 'publish', as: 'city', mutation: 'publishPublication', input: 'PublishPublicationInput' },
] as const;

export type WriteRole = (typeof WRITE_STEPS)[number]['as'];

export function writeMutation(step: (typeof WRITE_STEPS)[number]): string {
  return `mutation($i: ${step.input}!) { ${step.mutation}(input: $i) { publication { id status } } }`;
}

export function writeInput(
  step: (typeof WRITE_STEPS)[number],
  ctx: { itemId: string; publicationId: string | null; formedOn: string; today: string; n: number },
): Record<string, unknown> {
  const id = ctx.publicationId;
  switch (step.id) {
    case 'create':
      return { catalogueItemId: ctx.itemId, title: `基准测试稿件 ${ctx.n}`, formedOn: ctx.formedOn, disclosureAttribute: 'PROACTIVE' };
    case 'submit':
      return { publicationId: id };
    case 'review':
      return { publicationId: id, conclusion: 'PASSED', notes: '未发现涉密内容' };
    case 'signOff UNIT_HEAD':
      return { publicationId: id, level: 'UNIT_HEAD', approve: true };
    case 'signOff LEADER':
      return { publicationId: id, level: 'LEADER', approve: true };
    case 'publish':
      return { publicationId: id, publishedOn: ctx.today, url: `http://gaj.example.gov.cn/art/bench-${ctx.n}.html` };
  }
}
