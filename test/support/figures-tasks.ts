import { stringify } from 'csv-stringify/sync';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { addDays, daysInMonth } from '../../src/modules/calendar/date-utils';
import type { GqlResult } from './harness';
import { PLAN_AGENCIES, TODAY, type PlanCode, type Rng, type World } from './figures-world';

/**
 * Work plans and tasks for the maintained-figure invariant test (test/e2e/figures-invariant.test.ts):
 * the task side of the random sequence (plans, tasks of every timing kind, progress, decisions,
 * cascade, carry-over, plan imports, SQL deletes and year changes, concurrent writers), and the
 * completion roll-up recomputed by hand from the raw rows.
 *
 * The state the operations pick from is read back from the database before each task step (cascades,
 * carry-overs, imports and SQL deletes change more than the answer of one mutation says). Every row
 * gets a sequence number when first seen, in an order that does not depend on random ids or on
 * timing, so a seed replays the same picks.
 */

// ---- GraphQL -------------------------------------------------------------------------------------

const FIGURES = 'tasks done due doneOnTime doneLate overdue periodsEnded periodsMet occurrences lateOccurrences doneRate onTimeRate periodMetRate';
export const TQ = {
  createPlan: `mutation($i: CreateWorkPlanInput!) { createWorkPlan(input: $i) { plan { id year status } } }`,
  updatePlan: `mutation($i: UpdateWorkPlanInput!) { updateWorkPlan(input: $i) { plan { id status } } }`,
  addTask: `mutation($i: AddPlanTaskInput!) { addPlanTask(input: $i) { task { id number timingKind dueOn } } }`,
  updateTask: `mutation($i: UpdatePlanTaskInput!) { updatePlanTask(input: $i) { task { id timingKind dueOn revision } } }`,
  withdraw: `mutation($i: WithdrawPlanTaskInput!) { withdrawPlanTask(input: $i) { task { id withdrawnAt } } }`,
  report: `mutation($i: ReportTaskProgressInput!) { reportTaskProgress(input: $i) { progress { id dueOn dueAt late } } }`,
  accept: `mutation($i: AcceptPlanTaskInput!) { acceptPlanTask(input: $i) { task { id acceptedOn } } }`,
  return: `mutation($i: ReturnPlanTaskInput!) { returnPlanTask(input: $i) { task { id acceptedOn } } }`,
  cascade: `mutation($i: CascadePlanTaskInput!) { cascadePlanTask(input: $i) { copies { id agency { code } } } }`,
  carry: `mutation($i: CarryOverTasksInput!) { carryOverTasks(input: $i) { tasks { id } } }`,
  import: `mutation($i: ImportWorkPlanInput!) { importWorkPlan(input: $i) {
    plan { id } report { ok tasks headings problems { severity code message value } } } }`,
  rollup: `query($f: CompletionFilter!) { completionRollup(filter: $f) { asOf year
    rows { agency { code } own { ${FIGURES} } subtree { ${FIGURES} } } } }`,
};

// ---- state ---------------------------------------------------------------------------------------

export interface PlanRow {
  id: string;
  agency: PlanCode;
  year: number;
  status: string;
  /** What makes importWorkPlan refuse to replace it (progress, decisions, copies, a superior's task). */
  used: boolean;
}

export interface TaskRow {
  id: string;
  agency: PlanCode;
  planId: string;
  year: number;
  kind: string;
  dueOn: string | null;
  dueReason: string | null;
  recurrence: string | null;
  hours: number[];
  acceptedOn: string | null;
  withdrawn: boolean;
  sourceWithdrawn: boolean;
  /** A copy cascaded from a superior's task. */
  fromSource: boolean;
  copies: number;
  carried: boolean;
  progress: number;
  /** The agency's `-sec` unit leads or supports it: its liaison may report. */
  secAssigned: boolean;
  /** The units that lead or support it, by id. */
  units: string[];
}

export interface TaskState {
  seq: Map<string, number>;
  next: number;
  plans: PlanRow[];
  tasks: TaskRow[];
  /** Current parent of every agency (moves change it). */
  parent: Record<string, string | null>;
  titles: number;
}

export function newTaskState(): TaskState {
  return { seq: new Map(), next: 0, plans: [], tasks: [], parent: {}, titles: 0 };
}

/** What the task operations need from the test's run. */
export interface TaskCtx {
  w: World;
  rng: Rng;
  t: TaskState;
  /** A request that must succeed (throws with the run's context otherwise). */
  ok(query: string, variables: Record<string, unknown>, token: string): Promise<any>;
  /** A request that must be refused and leave every figure as it was; returns the error code. */
  refused(query: string, variables: Record<string, unknown>, token: string): Promise<string>;
  /** Runs an assertion with the run's context. */
  check(assertion: () => void): void;
}

const PLAN_CODES: ReadonlySet<string> = new Set(PLAN_AGENCIES);

/** Reads plans, tasks and the tree back; new rows are numbered in a timing-independent order. */
export async function syncTasks(ctx: TaskCtx): Promise<void> {
  const conn = ctx.w.h.em().getConnection();
  const plans = await conn.execute(`
    select w.id, a.code, w.year, w.status::text as status,
           exists (select 1 from plan_task t where t.plan_id = w.id and (t.source_task_id is not null or t.accepted_on is not null
             or exists (select 1 from task_progress p where p.task_id = t.id)
             or exists (select 1 from task_review r where r.task_id = t.id)
             or exists (select 1 from plan_task c where c.source_task_id = t.id or c.carried_from_id = t.id))) as used
      from work_plan w join agency a on a.id = w.agency_id`);
  const tasks = await conn.execute(`
    select t.id, a.code, t.plan_id, w.year, t.position, t.number, t.timing_kind::text as kind, t.due_on::text as due_on, t.due_reason,
           t.recurrence::text as recurrence, t.hours, t.accepted_on::text as accepted_on,
           t.withdrawn_at is not null as withdrawn, t.source_withdrawn_at is not null as source_withdrawn, t.source_task_id is not null as from_source,
           (select count(*)::int from plan_task c where c.source_task_id = t.id) as copies,
           exists (select 1 from plan_task c where c.carried_from_id = t.id) as carried,
           (select count(*)::int from task_progress p where p.task_id = t.id) as progress,
           coalesce((select array_agg(u.unit_id::text order by u.position) from plan_task_unit u where u.task_id = t.id), '{}') as units
      from plan_task t join work_plan w on w.id = t.plan_id join agency a on a.id = t.agency_id`);
  const tree = await conn.execute(`select a.code, p.code as parent from agency a left join agency p on p.id = a.parent_id`);
  const t = ctx.t;
  const number = (rows: Array<Record<string, any>>, key: (r: Record<string, any>) => string) => {
    for (const r of rows.filter((x) => !t.seq.has(x.id)).sort((a, b) => key(a).localeCompare(key(b)))) t.seq.set(r.id, t.next++);
  };
  const pad = (n: unknown) => String(n).padStart(6, '0');
  number(plans, (r) => `${r.code}|${r.year}`);
  number(tasks, (r) => `${r.code}|${r.year}|${pad(r.position)}|${r.number}`);
  const bySeq = (a: { id: string }, b: { id: string }) => t.seq.get(a.id)! - t.seq.get(b.id)!;
  t.plans = plans
    .filter((r) => PLAN_CODES.has(r.code))
    .map((r) => ({ id: r.id, agency: r.code, year: Number(r.year), status: r.status, used: !!r.used }))
    .sort(bySeq);
  const secIds = new Set(Object.values(ctx.w.unitIds).map((u) => u.sec));
  t.tasks = tasks
    .filter((r) => PLAN_CODES.has(r.code))
    .map((r) => {
      const units = parseArray(r.units);
      return {
        id: r.id,
        agency: r.code,
        planId: r.plan_id,
        year: Number(r.year),
        kind: r.kind,
        dueOn: r.due_on,
        dueReason: r.due_reason,
        recurrence: r.recurrence,
        hours: parseArray(r.hours).map(Number),
        acceptedOn: r.accepted_on,
        withdrawn: !!r.withdrawn,
        sourceWithdrawn: !!r.source_withdrawn,
        fromSource: !!r.from_source,
        copies: Number(r.copies),
        carried: !!r.carried,
        progress: Number(r.progress),
        secAssigned: units.some((u) => secIds.has(u)),
        units,
      };
    })
    .sort(bySeq);
  t.parent = Object.fromEntries(tree.map((r) => [r.code, r.parent ?? null]));
}

function parseArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  const inner = String(v ?? '').replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}

const live = (t: TaskRow) => !t.withdrawn && !t.sourceWithdrawn;
const open = (t: TaskRow) => live(t) && t.acceptedOn === null;
const short = (id: string) => id.slice(0, 8);

/** The agency's administrator, now and then the province's (an administrator of an ancestor). */
function adminFor(ctx: TaskCtx, code: PlanCode): string {
  const inProvince = code !== 'x1';
  return inProvince && code !== 'prov' && ctx.rng.chance(0.2) ? ctx.w.planTok.prov.admin : ctx.w.planTok[code].admin;
}

function childrenOf(ctx: TaskCtx, code: string): PlanCode[] {
  return PLAN_AGENCIES.filter((c) => ctx.t.parent[c] === code);
}

function descendantsOf(ctx: TaskCtx, code: string): PlanCode[] {
  return childrenOf(ctx, code).flatMap((c) => [c, ...descendantsOf(ctx, c)]);
}

// ---- dates ---------------------------------------------------------------------------------------

const minDate = (a: string, b: string) => (a < b ? a : b);
const maxDate = (a: string, b: string) => (a > b ? a : b);
/** A date in [from, to] capped at today (and never before `floor`). */
function pastDate(rng: Rng, from: string, to: string, floor = '2024-01-01'): string {
  const hi = minDate(to, TODAY);
  const lo = maxDate(from, floor);
  return lo > hi ? rng.date(addDays(TODAY, -200), TODAY) : rng.date(lo, hi);
}
/** Days around holidays, so that working-day limits run across them (国庆, 中秋, 春节, 五一, 元旦). */
const HOLIDAY_EVENTS = ['2026-09-24', '2026-09-29', '2026-09-30', '2025-09-30', '2025-09-26', '2026-02-13', '2026-04-30', '2025-12-31', '2026-10-09'];
const chinaDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

// ---- timings -------------------------------------------------------------------------------------

const REASON = '跨年度任务，经主要负责同志同意';
/** Wordings (timingText) with the year they fix, if any: each kind, and one unreadable. */
function wordings(year: number): Array<[string, string | null]> {
  return [
    ['6月底前', null],
    ['9月30日前', null],
    [`${year}年底前`, null],
    [`${year + 1}年3月底前`, `${year + 1}-03-31`],
    ['每季度至少开展1次', null],
    ['至少每半年开展一次', null],
    ['每月至少1次', null],
    ['年内不少于2次', null],
    ['文件公布后3个工作日内', null],
    ['完成审批程序后 1 个工作日内公开', null],
    ['5 小时内发布权威消息、24 小时内举行新闻发布会、48 小时内予以回应', null],
    ['长期坚持', null],
    ['每日实时监测，每季度深度扫描', null],
  ];
}

/** A due date in the plan's year: often around today, so that due, overdue and not yet due all occur. */
function dueIn(rng: Rng, year: number): string {
  if (year === 2026 && rng.chance(0.5)) return rng.date('2026-10-20', '2026-12-20');
  return rng.date(`${year}-01-01`, `${year}-12-31`);
}

/** Timing fields for addPlanTask / updatePlanTask: every kind, structured or as wording. */
type TimingChoice = 'DUE_DATE' | 'RECURRING' | 'WORKING_DAYS_AFTER_EVENT' | 'HOURS_AFTER_EVENT' | 'NONE' | 'TEXT';
function timingFields(rng: Rng, year: number, not?: string, only?: TimingChoice): { fields: Record<string, unknown>; label: string } {
  const kinds = (
    [
      ['DUE_DATE', 5],
      ['RECURRING', 5],
      ['WORKING_DAYS_AFTER_EVENT', 4],
      ['HOURS_AFTER_EVENT', 3],
      ['NONE', 1],
      ['TEXT', 3],
    ] as const
  ).filter(([k]) => k !== not);
  const kind = only ?? rng.weighted(kinds);
  switch (kind) {
    case 'DUE_DATE': {
      const outside = rng.chance(0.12);
      const dueOn = outside ? rng.date(`${year + 1}-01-01`, `${year + 1}-03-31`) : dueIn(rng, year);
      return { fields: { timing: { kind, dueOn }, ...(outside ? { dueReason: REASON } : {}) }, label: `DUE ${dueOn}` };
    }
    case 'RECURRING': {
      const recurrence = rng.pick(['YEARLY', 'HALF_YEARLY', 'QUARTERLY', 'MONTHLY'] as const);
      const minimumCount = recurrence === 'MONTHLY' ? 1 : rng.int(1, 3);
      return { fields: { timing: { kind, recurrence, minimumCount } }, label: `${recurrence}×${minimumCount}` };
    }
    case 'WORKING_DAYS_AFTER_EVENT': {
      const workingDays = rng.pick([1, 3, 5, 10]);
      const event = rng.chance(0.7) ? '文件公布' : null;
      return { fields: { timing: { kind, workingDays, ...(event ? { event } : {}) } }, label: `WD${workingDays}` };
    }
    case 'HOURS_AFTER_EVENT': {
      const hours = rng.pick([[5, 24, 48], [24], [2, 12], [48]]);
      return { fields: { timing: { kind, hours, event: '舆情发生' } }, label: `H${hours.join('/')}` };
    }
    case 'NONE':
      return { fields: { timing: { kind } }, label: 'NONE' };
    case 'TEXT': {
      const [text, fixed] = rng.pick(wordings(year));
      return { fields: { timingText: text, ...(fixed ? { dueReason: REASON } : {}) }, label: `“${text}”` };
    }
  }
}

/** Lead and cooperating units of the agency (both lists always given: an update replaces both). */
function unitFields(ctx: TaskCtx, code: PlanCode): { leadUnitIds: string[]; cooperatingUnitIds: string[] } {
  const { sec, law } = ctx.w.unitIds[code];
  const choice = ctx.rng.int(0, 3);
  if (choice === 0) return { leadUnitIds: [sec], cooperatingUnitIds: [] };
  if (choice === 1) return { leadUnitIds: [law], cooperatingUnitIds: [] };
  if (choice === 2) return { leadUnitIds: [law], cooperatingUnitIds: [sec] };
  return { leadUnitIds: [sec, law], cooperatingUnitIds: [] };
}

// ---- the operations ------------------------------------------------------------------------------

export type TaskOp =
  | 'plan'
  | 'addTask'
  | 'updateTask'
  | 'report'
  | 'accept'
  | 'return'
  | 'withdraw'
  | 'cascade'
  | 'carry'
  | 'importPlan'
  | 'sqlDelete'
  | 'sqlYear'
  | 'taskBurst'
  | 'taskFail';

export const TASK_OPS: ReadonlyArray<readonly [TaskOp, number]> = [
  ['plan', 3],
  ['addTask', 12],
  ['updateTask', 6],
  ['report', 20],
  ['accept', 6],
  ['return', 3],
  ['withdraw', 2],
  ['cascade', 4],
  ['carry', 3],
  ['importPlan', 3],
  ['sqlDelete', 2],
  ['sqlYear', 2],
  ['taskBurst', 3],
  ['taskFail', 4],
];

export async function taskStep(ctx: TaskCtx, op: TaskOp): Promise<string> {
  await syncTasks(ctx);
  switch (op) {
    case 'plan':
      return createPlan(ctx);
    case 'addTask':
      return addTask(ctx);
    case 'updateTask':
      return updateTask(ctx);
    case 'report':
      return report(ctx);
    case 'accept':
      return accept(ctx);
    case 'return':
      return returnTask(ctx);
    case 'withdraw':
      return withdraw(ctx);
    case 'cascade':
      return cascade(ctx);
    case 'carry':
      return carry(ctx);
    case 'importPlan':
      return importPlan(ctx);
    case 'sqlDelete':
      return sqlDelete(ctx);
    case 'sqlYear':
      return sqlYear(ctx);
    case 'taskBurst':
      return taskBurst(ctx);
    case 'taskFail':
      return taskFail(ctx);
  }
}

async function createPlan(ctx: TaskCtx): Promise<string> {
  const { rng, t } = ctx;
  const free = PLAN_AGENCIES.flatMap((code) =>
    ([2025, 2026] as const).filter((year) => !t.plans.some((p) => p.agency === code && p.year === year)).map((year) => ({ code, year })),
  );
  if (free.length === 0) {
    const drafts = t.plans.filter((p) => p.status === 'DRAFT');
    if (drafts.length === 0) return addTask(ctx);
    const p = rng.pick(drafts);
    await ctx.ok(TQ.updatePlan, { i: { id: p.id, status: 'IN_FORCE' } }, ctx.w.planTok[p.agency].admin);
    return `plan ${p.agency} ${p.year} → IN_FORCE`;
  }
  const { code, year } = rng.pick(free);
  const kind = rng.pick(['KEY_POINTS', 'IMPLEMENTATION', 'DIVISION']);
  const plan = (await ctx.ok(TQ.createPlan, { i: { agencyId: ctx.w.ids[code], year, kind } }, adminFor(ctx, code))).createWorkPlan.plan;
  const inForce = rng.chance(0.3);
  if (inForce) await ctx.ok(TQ.updatePlan, { i: { id: plan.id, status: 'IN_FORCE' } }, ctx.w.planTok[code].admin);
  return `plan ${code} ${year} ${kind}${inForce ? ' IN_FORCE' : ''}`;
}

/**
 * The start of every run: plans of three agencies (the province among them one time in two) for
 * 2025 and 2026, each with one task of every structured timing kind, so that the random steps find
 * progress to report, decisions to take and tasks to cascade from the first step on.
 */
export async function warmUpTasks(ctx: TaskCtx): Promise<string> {
  const { rng, w } = ctx;
  const others = PLAN_AGENCIES.filter((c) => c !== 'prov');
  const chosen: PlanCode[] = rng.chance(0.5) ? ['prov'] : [];
  while (chosen.length < 3) {
    const c = rng.pick(others);
    if (!chosen.includes(c)) chosen.push(c);
  }
  for (const code of chosen) {
    for (const year of [2025, 2026]) {
      const plan = (await ctx.ok(TQ.createPlan, { i: { agencyId: w.ids[code], year } }, w.planTok[code].admin)).createWorkPlan.plan;
      for (const kind of ['DUE_DATE', 'RECURRING', 'WORKING_DAYS_AFTER_EVENT', 'HOURS_AFTER_EVENT'] as const) {
        const title = `任务${++ctx.t.titles}`;
        const input = { planId: plan.id, title, requirement: `${title}：按要求推进政务公开工作。`, ...unitFields(ctx, code), ...timingFields(rng, year, undefined, kind).fields };
        await ctx.ok(TQ.addTask, { i: input }, w.planTok[code].admin);
      }
    }
  }
  return `warm-up: plans 2025 and 2026 of ${chosen.join(', ')}, four tasks each`;
}

/** Adds one task of a random timing kind to `plan` (a random plan, created when none exists). */
async function addTask(ctx: TaskCtx, plan?: PlanRow): Promise<string> {
  const { rng, t } = ctx;
  if (!plan) {
    // Plans come first: until there are a few, adding a task often starts a plan instead.
    if (t.plans.length === 0 || (t.plans.length < 8 && rng.chance(0.5))) return createPlan(ctx);
    // Plans with few tasks are preferred, so that every plan gets some; next year's plans (carry-over,
    // a year moved) less, since nothing there is due or counted yet.
    plan = rng.pickWeighted(t.plans, (p) => (p.year === 2025 || p.year === 2026 ? 1 : 0.3) / (1 + t.tasks.filter((x) => x.planId === p.id).length));
  }
  const { fields, label } = timingFields(rng, plan.year);
  const title = `任务${++t.titles}`;
  const input = { planId: plan.id, title, requirement: `${title}：按要求推进政务公开工作。`, ...unitFields(ctx, plan.agency), ...fields };
  const task = (await ctx.ok(TQ.addTask, { i: input }, adminFor(ctx, plan.agency))).addPlanTask.task;
  return `addTask ${short(task.id)} ${plan.agency} ${plan.year} #${task.number} ${label} → ${task.timingKind} ${task.dueOn ?? ''}`;
}

async function updateTask(ctx: TaskCtx): Promise<string> {
  const { rng, t } = ctx;
  const tasks = t.tasks.filter((x) => !x.withdrawn);
  if (tasks.length === 0) return addTask(ctx);
  const task = rng.pick(tasks);
  const mode = rng.weighted([
    ['kind', 4],
    ['due', task.kind === 'DUE_DATE' ? 4 : 0],
    ['wording', 2],
    ['units', 1],
  ] as const);
  const input: Record<string, unknown> = { id: task.id };
  let label = mode as string;
  if (mode === 'kind') {
    const timing = timingFields(rng, task.year, task.kind === 'DUE_DATE' ? undefined : task.kind);
    Object.assign(input, timing.fields);
    label = `kind ${task.kind} → ${timing.label}`;
  } else if (mode === 'due') {
    const dueOn = rng.chance(0.5) ? addDays(task.dueOn!, rng.int(-40, 40)) : dueIn(rng, task.year);
    input.timing = { kind: 'DUE_DATE', dueOn };
    label = `due ${task.dueOn} → ${dueOn}`;
    if (dueOn.slice(0, 4) !== String(task.year)) input.dueReason = REASON;
  } else if (mode === 'wording') {
    input.requirement = `修订后的要求${++t.titles}：按要求推进。`;
  } else {
    Object.assign(input, unitFields(ctx, task.agency));
  }
  // A due date outside the plan's year (carried over, or the plan's year changed) needs its reason
  // with every change; give one whenever the task keeps or gets such a date.
  if (!input.dueReason && !task.dueReason && task.kind === 'DUE_DATE' && !input.timing && !input.timingText && task.dueOn?.slice(0, 4) !== String(task.year)) {
    input.dueReason = REASON;
  }
  const next = (await ctx.ok(TQ.updateTask, { i: input }, adminFor(ctx, task.agency))).updatePlanTask.task;
  return `updateTask ${short(task.id)} ${task.agency} ${task.year} (${label}) → ${next.timingKind} ${next.dueOn ?? ''} rev ${next.revision}`;
}

/** A progress report fitting the task's timing: counted occurrences, event occurrences on time or late. */
function progressInput(ctx: TaskCtx, task: TaskRow): { input: Record<string, unknown>; label: string } {
  const { rng } = ctx;
  const input: Record<string, unknown> = { taskId: task.id, text: '已按要求推进并留存佐证' };
  if (rng.chance(0.2)) input.urls = ['https://www.gov.cn/zhengce/example.html'];
  const yearFrom = `${task.year}-01-01`;
  const yearTo = `${task.year}-12-31`;
  switch (task.kind) {
    case 'RECURRING': {
      // A period of the plan's year, now and then a day outside it (which counts in no period).
      const months = { YEARLY: 12, HALF_YEARLY: 6, QUARTERLY: 3, MONTHLY: 1 }[task.recurrence as 'YEARLY'] ?? 12;
      const k = rng.int(0, 12 / months - 1);
      const start = `${task.year}-${String(k * months + 1).padStart(2, '0')}-01`;
      const lastMonth = (k + 1) * months;
      const end = `${task.year}-${String(lastMonth).padStart(2, '0')}-${daysInMonth(task.year, lastMonth)}`;
      const happenedOn = rng.chance(0.85) ? pastDate(rng, start, end) : pastDate(rng, addDays(yearFrom, -60), addDays(yearFrom, -1));
      input.happenedOn = happenedOn;
      input.counts = rng.chance(0.85);
      return { input, label: `on ${happenedOn}${input.counts ? ' counts' : ''}` };
    }
    case 'WORKING_DAYS_AFTER_EVENT': {
      const eventOn = rng.chance(0.5) ? rng.pick(HOLIDAY_EVENTS) : pastDate(rng, yearFrom, yearTo);
      const happenedOn = minDate(TODAY, addDays(eventOn, rng.int(0, 14)));
      Object.assign(input, { eventOn, happenedOn });
      return { input, label: `event ${eventOn} done ${happenedOn}` };
    }
    case 'HOURS_AFTER_EVENT': {
      const day = pastDate(rng, yearFrom, yearTo, '2024-01-01');
      const eventMs = Date.parse(`${minDate(day, addDays(TODAY, -5))}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00+08:00`);
      const limit = Math.max(...(task.hours.length ? task.hours : [24])) * 60;
      const minutes = rng.chance(0.6) ? rng.int(1, limit) : limit + rng.int(1, 1500);
      const doneMs = eventMs + minutes * 60_000;
      Object.assign(input, { eventAt: new Date(eventMs).toISOString(), doneAt: new Date(doneMs).toISOString(), happenedOn: chinaDate(doneMs) });
      return { input, label: `event ${new Date(eventMs).toISOString()} +${minutes}min` };
    }
    default: {
      const happenedOn = pastDate(rng, yearFrom, yearTo);
      input.happenedOn = happenedOn;
      return { input, label: `on ${happenedOn}` };
    }
  }
}

/** Whose token reports: the `-sec` liaison when its unit is on the task, else an administrator. */
function reporter(ctx: TaskCtx, task: TaskRow): { token: string; who: string } {
  if (task.secAssigned && ctx.rng.chance(0.6)) return { token: ctx.w.planTok[task.agency].liaison, who: 'liaison' };
  return { token: adminFor(ctx, task.agency), who: 'admin' };
}

async function report(ctx: TaskCtx): Promise<string> {
  const { rng, t } = ctx;
  const tasks = t.tasks.filter(open);
  if (tasks.length === 0) return addTask(ctx);
  const weight: Record<string, number> = { WORKING_DAYS_AFTER_EVENT: 5, RECURRING: 4, HOURS_AFTER_EVENT: 3 };
  const task = rng.pickWeighted(tasks, (x) => (weight[x.kind] ?? 1) * (x.year === 2025 || x.year === 2026 ? 1 : 0.3));
  const { input, label } = progressInput(ctx, task);
  const { token, who } = reporter(ctx, task);
  const p = (await ctx.ok(TQ.report, { i: input }, token)).reportTaskProgress.progress;
  return `report ${short(task.id)} ${task.agency} ${task.year} ${task.kind} ${label} by ${who} → due ${p.dueOn ?? p.dueAt ?? '-'}${p.late ? ' LATE' : ''}`;
}

function acceptedOnFor(rng: Rng, task: TaskRow): string | undefined {
  if (rng.chance(0.15)) return undefined; // today
  if (task.kind === 'DUE_DATE' && task.dueOn) {
    if (task.dueOn >= TODAY || rng.chance(0.5)) return pastDate(rng, addDays(task.dueOn, -60), task.dueOn);
    return rng.date(addDays(task.dueOn, 1), TODAY);
  }
  return pastDate(rng, `${task.year}-01-01`, `${task.year}-12-31`);
}

async function accept(ctx: TaskCtx, given?: TaskRow): Promise<string> {
  const { rng, t } = ctx;
  const tasks = t.tasks.filter(open);
  if (!given && tasks.length === 0) return addTask(ctx);
  const task = given ?? rng.pickWeighted(tasks, (x) => (x.kind === 'DUE_DATE' ? 3 : 1));
  const acceptedOn = acceptedOnFor(rng, task);
  const done = (await ctx.ok(TQ.accept, { i: { taskId: task.id, note: '经核验已完成', ...(acceptedOn ? { acceptedOn } : {}) } }, adminFor(ctx, task.agency)))
    .acceptPlanTask.task;
  return `accept ${short(task.id)} ${task.agency} ${task.year} ${task.kind} due ${task.dueOn ?? '-'} on ${done.acceptedOn}`;
}

async function returnTask(ctx: TaskCtx): Promise<string> {
  const { rng, t } = ctx;
  const accepted = t.tasks.filter((x) => live(x) && x.acceptedOn !== null);
  const tasks = accepted.length && rng.chance(0.8) ? accepted : t.tasks.filter(live);
  if (tasks.length === 0) return addTask(ctx);
  const task = rng.pick(tasks);
  await ctx.ok(TQ.return, { i: { taskId: task.id, reason: '佐证材料不充分，请补充' } }, adminFor(ctx, task.agency));
  return `return ${short(task.id)} ${task.agency} ${task.year} (was ${task.acceptedOn ? `accepted ${task.acceptedOn}` : 'open'})`;
}

async function withdraw(ctx: TaskCtx, given?: TaskRow): Promise<string> {
  const { rng, t } = ctx;
  const tasks = t.tasks.filter((x) => !x.withdrawn);
  if (!given && tasks.length === 0) return addTask(ctx);
  const task = given ?? rng.pickWeighted(tasks, (x) => (x.copies > 0 ? 6 : 1));
  // A cascaded copy is withdrawn by the superior that owns it (its own agency may not).
  const token = task.fromSource ? ctx.w.planTok[ctx.t.parent[task.agency] as PlanCode].admin : adminFor(ctx, task.agency);
  await ctx.ok(TQ.withdraw, { i: { id: task.id, reason: '根据上级部署调整' } }, token);
  return `withdraw ${short(task.id)} ${task.agency} ${task.year}${task.copies ? ` (${task.copies} copies)` : ''}${task.sourceWithdrawn ? ' (source already withdrawn)' : ''}`;
}

/** Cascades a task to subordinates (direct ones, or chosen ones further down); sometimes withdraws it at once. */
async function cascade(ctx: TaskCtx): Promise<string> {
  const { rng, t } = ctx;
  const tasks = t.tasks.filter((x) => live(x) && childrenOf(ctx, x.agency).length > 0);
  if (tasks.length === 0) {
    const cityPlans = t.plans.filter((p) => childrenOf(ctx, p.agency).length > 0);
    return cityPlans.length ? addTask(ctx, rng.pick(cityPlans)) : createPlan(ctx);
  }
  const task = rng.pickWeighted(tasks, (x) => (x.agency === 'prov' ? 2 : 1) * (x.copies ? 0.3 : 1));
  let input: Record<string, unknown> = { taskId: task.id };
  let targets = 'direct subordinates';
  if (rng.chance(0.4)) {
    const below = descendantsOf(ctx, task.agency);
    const chosen = below.filter(() => rng.chance(0.5));
    const agencies = chosen.length ? chosen : [rng.pick(below)];
    input = { ...input, agencyIds: agencies.map((c) => ctx.w.ids[c]) };
    targets = agencies.join(',');
  }
  const copies = (await ctx.ok(TQ.cascade, { i: input }, adminFor(ctx, task.agency))).cascadePlanTask.copies;
  let label = `cascade ${short(task.id)} ${task.agency} ${task.year} ${task.kind} to ${targets} → ${copies.map((c: any) => c.agency.code).join(',') || 'none new'}`;
  if (rng.chance(0.3)) {
    await ctx.ok(TQ.withdraw, { i: { id: task.id, reason: '上级任务调整，副本一并撤回' } }, adminFor(ctx, task.agency));
    label += '; source withdrawn';
  }
  return label;
}

/** 回头看: last year's unfinished tasks into next year's plan (created as a draft where missing). */
async function carry(ctx: TaskCtx): Promise<string> {
  const { rng, t } = ctx;
  const candidates = t.tasks.filter((x) => open(x) && !x.carried && x.year <= 2026);
  if (candidates.length === 0) return addTask(ctx);
  const first = rng.pickWeighted(candidates, (x) => (x.year === 2025 ? 4 : 1));
  // Tasks of one year; of one agency, or of several in the province (carried by its administrator).
  const several = first.agency !== 'x1' && rng.chance(0.3);
  const pool = candidates.filter((x) => x.year === first.year && x !== first && (several ? x.agency !== 'x1' : x.agency === first.agency));
  const picked = [first, ...pool.filter(() => rng.chance(0.3)).slice(0, 2)];
  const token = several ? ctx.w.planTok.prov.admin : adminFor(ctx, first.agency);
  const made = (await ctx.ok(TQ.carry, { i: { taskIds: picked.map((x) => x.id) } }, token)).carryOverTasks.tasks;
  return `carry ${picked.map((x) => `${short(x.id)} ${x.agency} ${x.kind}`).join('; ')} ${first.year} → ${first.year + 1} (${made.length})`;
}

const PHRASES = [
  '做好主动公开基本目录编制工作，6月底前完成。',
  '每季度至少开展1次网站自查。',
  '文件公布后3个工作日内完成政策解读。',
  '发生舆情后5小时内发布权威消息、24小时内举行新闻发布会。',
  '持续做好政务公开日常工作。',
  '至少每半年开展一次察访核验。',
  '年内组织业务培训不少于2次。',
  '于9月30日前完成年度报告整改。',
  '每月至少1次更新执法信息。',
];
const HEADINGS: Array<[string, string]> = [
  ['一、加强组织领导', '（一）健全工作机制'],
  ['一、加强组织领导', '（二）压实工作责任'],
  ['二、深化重点领域公开', ''],
  ['三、强化监督保障', '（一）开展考核评议'],
];

/** A 分工方案 sheet (工作要求 | 具体任务 | 具体要求 | 牵头落实单位), several numbered tasks per cell now and then. */
export function planCsv(rng: Rng, code: PlanCode, unknownUnit = false): { csv: string; tasks: number } {
  const rows: string[][] = [['工作要求', '具体任务', '具体要求', '牵头落实单位']];
  let n = 0;
  const used = HEADINGS.filter(() => rng.chance(0.7));
  for (const [h1, h2] of used.length ? used : [HEADINGS[0]!]) {
    for (let row = rng.int(1, 2); row > 0; row--) {
      const cell: string[] = [];
      for (let k = rng.int(1, 2); k > 0; k--) cell.push(`${++n}.${rng.pick(PHRASES)}`);
      const lead = rng.pick([`单位 ${code}-sec`, `单位 ${code}-law`, `单位 ${code}-sec、单位 ${code}-law`]);
      rows.push([h1, h2, cell.join(''), unknownUnit && n <= 2 ? `${lead}、不存在的科` : lead]);
    }
  }
  return { csv: stringify(rows), tasks: n };
}

/**
 * importWorkPlan: into a new or a replaceable draft plan; or refused (a plan with progress, decisions,
 * copies, or in force: CONFLICT, nothing written); or a sheet naming an unknown unit (a report
 * without a plan, nothing written).
 */
async function importPlan(ctx: TaskCtx): Promise<string> {
  const { rng, t, w } = ctx;
  const variant = rng.weighted([
    ['ok', 8],
    ['used', 1],
    ['unknownUnit', 1],
  ] as const);
  if (variant === 'used') {
    const used = t.plans.filter((p) => p.used || p.status !== 'DRAFT');
    if (used.length) {
      const p = rng.pick(used);
      const { csv } = planCsv(rng, p.agency);
      const input = { agencyId: w.ids[p.agency], year: p.year, format: 'CSV', fileBase64: Buffer.from(csv).toString('base64') };
      return `importPlan ${p.agency} ${p.year} over a ${p.used ? 'used' : p.status} plan → refused ${await ctx.refused(TQ.import, { i: input }, w.planTok[p.agency].admin)}`;
    }
  }
  const targets = PLAN_AGENCIES.flatMap((code) =>
    [2025, 2026, 2027].flatMap((year) => {
      const p = t.plans.find((x) => x.agency === code && x.year === year);
      return !p || (p.status === 'DRAFT' && !p.used) ? [{ code, year, replaces: p ?? null }] : [];
    }),
  );
  if (targets.length === 0) return addTask(ctx);
  const { code, year, replaces } = rng.pickWeighted(targets, (x) => (x.year === 2027 ? 0.3 : 1));
  const unknown = variant === 'unknownUnit';
  const { csv, tasks } = planCsv(rng, code, unknown);
  const input = { agencyId: w.ids[code], year, format: 'CSV', kind: 'DIVISION', fileBase64: Buffer.from(csv).toString('base64') };
  const label = `importPlan ${code} ${year} ${replaces ? `replacing draft ${short(replaces.id)}` : 'new'} (${tasks} tasks)`;
  const res = (await ctx.ok(TQ.import, { i: input }, adminFor(ctx, code))).importWorkPlan;
  if (unknown) {
    ctx.check(() => expect({ ok: res.report.ok, plan: res.plan, codes: res.report.problems.map((p: any) => p.code) }).toMatchObject({ ok: false, plan: null, codes: expect.arrayContaining(['UNKNOWN_UNIT']) }));
    return `${label} naming an unknown unit → report only`;
  }
  ctx.check(() => expect({ ok: res.report.ok, tasks: res.report.tasks, errors: res.report.problems.filter((p: any) => p.severity === 'ERROR') }).toEqual({ ok: true, tasks, errors: [] }));
  return `${label} → ${res.report.tasks} tasks, ${res.report.headings} headings`;
}

/** The owner deletes a task or a whole plan with SQL: progress, reviews and units go by cascade. */
async function sqlDelete(ctx: TaskCtx): Promise<string> {
  const { rng, t, w } = ctx;
  const conn = w.h.em().getConnection();
  if (t.plans.length && (t.tasks.length === 0 || rng.chance(0.3))) {
    const p = rng.pick(t.plans);
    await conn.execute(`delete from work_plan where id = ?`, [p.id]);
    return `sqlDelete plan ${short(p.id)} ${p.agency} ${p.year} (${t.tasks.filter((x) => x.planId === p.id).length} tasks)`;
  }
  if (t.tasks.length === 0) return addTask(ctx);
  const task = rng.pickWeighted(t.tasks, (x) => 1 + x.progress + x.copies);
  await conn.execute(`delete from plan_task where id = ?`, [task.id]);
  return `sqlDelete task ${short(task.id)} ${task.agency} ${task.year} ${task.kind} (${task.progress} reports, ${task.copies} copies)`;
}

/** The owner moves a plan to another year with SQL (its tasks' periods and year figures move). */
async function sqlYear(ctx: TaskCtx): Promise<string> {
  const { rng, t, w } = ctx;
  if (t.plans.length === 0) return createPlan(ctx);
  const p = rng.pick(t.plans);
  const free = [2024, 2025, 2026, 2027].filter((y) => !t.plans.some((x) => x.agency === p.agency && x.year === y));
  if (free.length === 0) return addTask(ctx, p);
  const year = rng.pick(free);
  await w.h.em().getConnection().execute(`update work_plan set year = ? where id = ?`, [year, p.id]);
  return `sqlYear plan ${short(p.id)} ${p.agency} ${p.year} → ${year} (${t.tasks.filter((x) => x.planId === p.id).length} tasks)`;
}

/**
 * Several writers of one agency's tasks at once: reports on the same task, an acceptance, a timing
 * change, a new task, a withdrawal and a cascade of other tasks, and the owner moving another plan's
 * year. Each writer's target is chosen before any starts, so the outcome does not depend on timing.
 */
export async function taskBurst(ctx: TaskCtx, only?: PlanCode, opts: { sqlYear?: boolean } = {}): Promise<string> {
  const { rng, t, w } = ctx;
  const agencies = PLAN_AGENCIES.filter((c) => (!only || c === only) && t.tasks.some((x) => x.agency === c && open(x)));
  if (agencies.length === 0) return only ? `taskBurst ${only}: nothing open` : addTask(ctx);
  const code = rng.pick(agencies);
  const plans = t.plans.filter((p) => p.agency === code);
  // One plan of the agency may move to a free year meanwhile; the other writers keep off its tasks
  // (a timing checked against its year, or copies placed by its year, would depend on who ran first).
  const moved = opts.sqlYear !== false && plans.length > 1 && rng.chance(0.6) ? rng.pick(plans) : null;
  const free = moved ? [2024, 2025, 2026, 2027].filter((y) => !t.plans.some((x) => x.agency === code && x.year === y)) : [];
  const year = free.length ? rng.pick(free) : null;
  const mine = t.tasks.filter((x) => x.agency === code && open(x));
  const settled = mine.filter((x) => !moved || x.planId !== moved.id);
  const taken = new Set<string>();
  const take = (list: TaskRow[]) => {
    const left = list.filter((x) => !taken.has(x.id));
    if (left.length === 0) return null;
    const x = rng.pick(left);
    taken.add(x.id);
    return x;
  };
  const writers: Array<{ what: string; run: () => Promise<GqlResult> }> = [];
  const gql = (query: string, i: Record<string, unknown>, token: string) => () => w.h.gql(query, { i }, token);
  // Three reports on one task at once: the third writer of one task is what tripped the race in
  // figures_task_refresh reproduced at the end of figures-invariant.test.ts (a task of the plan that
  // moves year has the year change as a writer too, so the reports keep off those).
  const hot = take(settled.filter((x) => x.kind !== 'DUE_DATE')) ?? take(settled);
  if (hot) {
    for (let n = 3; n > 0; n--) {
      const { input, label } = progressInput(ctx, hot);
      writers.push({ what: `report ${short(hot.id)} ${label}`, run: gql(TQ.report, input, reporter(ctx, hot).token) });
    }
  }
  const acc = take(mine);
  if (acc) {
    const acceptedOn = acceptedOnFor(rng, acc);
    writers.push({ what: `accept ${short(acc.id)}`, run: gql(TQ.accept, { taskId: acc.id, ...(acceptedOn ? { acceptedOn } : {}) }, w.planTok[code].admin) });
  }
  const upd = take(settled);
  if (upd) {
    const timing = timingFields(rng, upd.year);
    writers.push({ what: `update ${short(upd.id)} ${timing.label}`, run: gql(TQ.updateTask, { id: upd.id, ...timing.fields }, w.planTok[code].admin) });
  }
  const targets = plans.filter((p) => p !== moved);
  const target = targets.length ? rng.pick(targets) : null;
  if (target) {
    const timing = timingFields(rng, target.year);
    const title = `任务${++t.titles}`;
    writers.push({
      what: `add to ${target.year}`,
      run: gql(TQ.addTask, { planId: target.id, title, requirement: `${title}：并发新增。`, ...unitFields(ctx, code), ...timing.fields }, w.planTok[code].admin),
    });
  }
  const wd = rng.chance(0.5) ? take(t.tasks.filter((x) => x.agency === code && live(x) && !x.fromSource)) : null;
  if (wd) writers.push({ what: `withdraw ${short(wd.id)}`, run: gql(TQ.withdraw, { id: wd.id, reason: '并发撤回' }, w.planTok[code].admin) });
  const cas = childrenOf(ctx, code).length ? take(settled) : null;
  if (cas) writers.push({ what: `cascade ${short(cas.id)}`, run: gql(TQ.cascade, { taskId: cas.id }, w.planTok[code].admin) });
  if (moved && year) {
    writers.push({
      what: `sqlYear ${moved.year}→${year}`,
      run: async () => {
        await w.h.em().getConnection().execute(`update work_plan set year = ? where id = ?`, [year, moved.id]);
        return { status: 200, data: {}, headers: new Headers() };
      },
    });
  }
  const results = await Promise.all(
    writers.map((x) => x.run().catch((err: Error): GqlResult => ({ status: 0, data: null, errors: [{ message: err.message }], headers: new Headers() }))),
  );
  const failed = results.flatMap((res, i) => (res.errors ? [{ writer: writers[i]!.what, errors: res.errors }] : []));
  ctx.check(() => expect(failed).toEqual([]));
  return `taskBurst ${code}: ${writers.map((x) => x.what).join(' | ')}`;
}

/** Writes the services refuse: each must leave every figure as it was. */
async function taskFail(ctx: TaskCtx): Promise<string> {
  const { rng, t, w } = ctx;
  const kind = rng.pick(['acceptTwice', 'reportWithdrawn', 'countsNotCounted', 'future', 'dueOutsideYear', 'yearTaken', 'carryDone', 'cascadeWithdrawn', 'liaisonNotAssigned'] as const);
  const accepted = t.tasks.filter((x) => live(x) && x.acceptedOn !== null);
  const withdrawn = t.tasks.filter((x) => !live(x));
  const notCounted = t.tasks.filter((x) => open(x) && x.kind !== 'RECURRING');
  const notAssigned = t.tasks.filter((x) => open(x) && !x.secAssigned);
  const openTasks = t.tasks.filter(open);
  let code: string;
  let did: string = kind;
  if (kind === 'acceptTwice' && accepted.length) {
    const x = rng.pick(accepted);
    code = await ctx.refused(TQ.accept, { i: { taskId: x.id } }, w.planTok[x.agency].admin);
  } else if (kind === 'reportWithdrawn' && withdrawn.length) {
    const x = rng.pick(withdrawn);
    code = await ctx.refused(TQ.report, { i: { taskId: x.id, happenedOn: TODAY, text: '撤回后填报' } }, w.planTok[x.agency].admin);
  } else if (kind === 'countsNotCounted' && notCounted.length) {
    const x = rng.pick(notCounted);
    code = await ctx.refused(TQ.report, { i: { taskId: x.id, happenedOn: TODAY, text: '计次', counts: true, eventOn: TODAY } }, w.planTok[x.agency].admin);
  } else if (kind === 'future' && openTasks.length) {
    const x = rng.pick(openTasks);
    code = await ctx.refused(TQ.report, { i: { taskId: x.id, happenedOn: addDays(TODAY, rng.int(1, 20)), text: '未来' } }, w.planTok[x.agency].admin);
  } else if (kind === 'carryDone' && accepted.length) {
    const x = rng.pick(accepted);
    code = await ctx.refused(TQ.carry, { i: { taskIds: [x.id] } }, w.planTok[x.agency].admin);
  } else if (kind === 'cascadeWithdrawn' && withdrawn.some((x) => childrenOf(ctx, x.agency).length)) {
    const x = rng.pick(withdrawn.filter((y) => childrenOf(ctx, y.agency).length));
    code = await ctx.refused(TQ.cascade, { i: { taskId: x.id } }, w.planTok[x.agency].admin);
  } else if (kind === 'liaisonNotAssigned' && notAssigned.length) {
    const x = rng.pick(notAssigned);
    code = await ctx.refused(TQ.report, { i: { taskId: x.id, happenedOn: TODAY, text: '非本单位任务' } }, w.planTok[x.agency].liaison);
  } else if (kind === 'yearTaken' && t.plans.length) {
    const p = rng.pick(t.plans);
    code = await ctx.refused(TQ.createPlan, { i: { agencyId: w.ids[p.agency], year: p.year } }, w.planTok[p.agency].admin);
  } else if (t.plans.length) {
    did = 'dueOutsideYear';
    const p = rng.pick(t.plans);
    const input = { planId: p.id, requirement: '跨年度任务未说明理由', ...unitFields(ctx, p.agency), timing: { kind: 'DUE_DATE', dueOn: `${p.year + 1}-02-01` } };
    code = await ctx.refused(TQ.addTask, { i: input }, w.planTok[p.agency].admin);
  } else {
    return createPlan(ctx);
  }
  return `taskFail ${did} → refused ${code}`;
}

// ---- the completion roll-up by hand ---------------------------------------------------------------

export interface Figures {
  tasks: number;
  done: number;
  due: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
  periodsEnded: number;
  periodsMet: number;
  occurrences: number;
  lateOccurrences: number;
  doneRate: number | null;
  onTimeRate: number | null;
  periodMetRate: number | null;
}

type Counts = Omit<Figures, 'doneRate' | 'onTimeRate' | 'periodMetRate'>;
const zero = (): Counts => ({ tasks: 0, done: 0, due: 0, doneOnTime: 0, doneLate: 0, overdue: 0, periodsEnded: 0, periodsMet: 0, occurrences: 0, lateOccurrences: 0 });
const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);
function withRates(c: Counts): Figures {
  return { ...c, doneRate: rate(c.done, c.tasks), onTimeRate: rate(c.doneOnTime, c.doneOnTime + c.doneLate + c.overdue), periodMetRate: rate(c.periodsMet, c.periodsEnded) };
}

/** The periods of a plan year for a recurrence: [start, end] ISO dates. */
function periodsOf(recurrence: string, year: number): Array<[string, string]> {
  const months = { YEARLY: 12, HALF_YEARLY: 6, QUARTERLY: 3, MONTHLY: 1 }[recurrence as 'YEARLY'];
  const out: Array<[string, string]> = [];
  for (let first = 1; first <= 12; first += months) {
    const last = first + months - 1;
    out.push([`${year}-${String(first).padStart(2, '0')}-01`, `${year}-${String(last).padStart(2, '0')}-${String(daysInMonth(year, last)).padStart(2, '0')}`]);
  }
  return out;
}

/**
 * Every agency's completion figures for a plan year as of a day, own and with everything below it,
 * computed here from plan_task, work_plan, task_progress and agency (not from the figure tables or
 * the reference views), following the API's definitions (schema: CompletionFigures).
 */
export async function completionByHand(w: World, year: number, asOf: string): Promise<Map<string, { code: string; path: string; own: Figures; subtree: Figures }>> {
  const conn = w.h.em().getConnection();
  const agencies = await conn.execute(`select id, code, path::text as path from agency`);
  const tasks = await conn.execute(
    `select t.id, t.agency_id, t.timing_kind::text as kind, t.due_on::text as due_on, t.accepted_on::text as accepted_on,
            t.recurrence::text as recurrence, t.minimum_count
       from plan_task t join work_plan p on p.id = t.plan_id
      where p.year = ? and t.withdrawn_at is null and t.source_withdrawn_at is null`,
    [year],
  );
  const progress = await conn.execute(
    `select x.task_id, x.happened_on::text as happened_on, x.counts, x.event_on::text as event_on, x.event_at, x.done_at,
            x.due_on::text as due_on, x.due_at
       from task_progress x join plan_task t on t.id = x.task_id join work_plan p on p.id = t.plan_id where p.year = ?`,
    [year],
  );
  const byTask = new Map<string, Array<Record<string, any>>>();
  for (const p of progress) byTask.set(p.task_id, [...(byTask.get(p.task_id) ?? []), p]);
  const own = new Map<string, Counts>(agencies.map((a) => [a.id, zero()]));
  for (const t of tasks) {
    const c = own.get(t.agency_id)!;
    c.tasks += 1;
    if (t.accepted_on) c.done += 1;
    if (t.kind === 'DUE_DATE') {
      if (t.due_on <= asOf) c.due += 1;
      if (t.accepted_on && t.accepted_on <= t.due_on) c.doneOnTime += 1;
      if (t.accepted_on && t.accepted_on > t.due_on) c.doneLate += 1;
      if (!t.accepted_on && t.due_on < asOf) c.overdue += 1;
    }
    const reports = byTask.get(t.id) ?? [];
    if (t.kind === 'RECURRING') {
      for (const [start, end] of periodsOf(t.recurrence, year)) {
        if (end >= asOf) continue;
        c.periodsEnded += 1;
        const n = reports.filter((x) => x.counts && x.happened_on >= start && x.happened_on <= end).length;
        if (n >= Number(t.minimum_count)) c.periodsMet += 1;
      }
    }
    for (const x of reports) {
      if (x.event_on === null && x.event_at === null) continue;
      c.occurrences += 1;
      const lateDay = x.due_on !== null && x.happened_on > x.due_on;
      const lateHour = x.due_at !== null && new Date(x.done_at).getTime() > new Date(x.due_at).getTime();
      if (lateDay || lateHour) c.lateOccurrences += 1;
    }
  }
  const out = new Map<string, { code: string; path: string; own: Figures; subtree: Figures }>();
  for (const a of agencies) {
    const sub = zero();
    for (const b of agencies) {
      if (b.path !== a.path && !b.path.startsWith(`${a.path}.`)) continue;
      const c = own.get(b.id)!;
      for (const k of Object.keys(sub) as Array<keyof Counts>) sub[k] += c[k];
    }
    out.set(a.id, { code: a.code, path: a.path, own: withRates(own.get(a.id)!), subtree: withRates(sub) });
  }
  return out;
}

/**
 * completionRollup through HTTP against the hand computation: for each day in `asOfs` (today is
 * pinned to it, then put back) and each year, for the first province's tree (every row, own and
 * subtree), the second province's, and one agency's subtree asked by agencyId. Returns the first
 * difference, or null.
 */
export async function completionDifference(
  w: World,
  years: number[],
  asOfs: string[],
  pickAgency: () => PlanCode,
): Promise<{ what: string; api: unknown; byHand: unknown } | null> {
  try {
    for (const asOf of asOfs) {
      setFixedToday(asOf);
      for (const year of years) {
        const hand = await completionByHand(w, year, asOf);
        const agency = pickAgency();
        const asks: Array<[string, string, Record<string, unknown>]> = [
          ['prov', w.rollupTok.prov, { year }],
          ['prov2', w.rollupTok.prov2, { year }],
          [agency, w.planTok.prov.admin, { year, agencyId: w.ids[agency] }],
        ];
        if (agency === 'x1') asks[2] = [agency, w.planTok.x1.admin, { year, agencyId: w.ids.x1 }];
        for (const [root, token, filter] of asks) {
          const res = await w.h.gql(TQ.rollup, { f: filter }, token);
          const what = `completionRollup ${JSON.stringify(filter)} (root ${root}) as of ${asOf}`;
          if (res.errors) return { what, api: res.errors, byHand: null };
          const rootPath = [...hand.values()].find((x) => x.code === root)!.path;
          const expected = [...hand.values()]
            .filter((x) => x.path === rootPath || x.path.startsWith(`${rootPath}.`))
            .map((x) => ({ code: x.code, own: x.own, subtree: x.subtree }))
            .sort((a, b) => a.code.localeCompare(b.code));
          const got = res.data!.completionRollup;
          const actual = got.rows.map((r: any) => ({ code: r.agency.code, own: r.own, subtree: r.subtree })).sort((a: any, b: any) => a.code.localeCompare(b.code));
          if (got.asOf !== asOf || got.year !== year || JSON.stringify(actual) !== JSON.stringify(expected)) {
            const i = expected.findIndex((e, n) => JSON.stringify(e) !== JSON.stringify(actual[n]));
            return { what: `${what}, first differing row ${expected[i]?.code ?? actual[i]?.code}`, api: { asOf: got.asOf, year: got.year, row: actual[i] }, byHand: { asOf, year, row: expected[i] } };
          }
        }
      }
    }
    return null;
  } finally {
    setFixedToday(TODAY);
  }
}
