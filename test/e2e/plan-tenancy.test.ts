import { setFixedToday } from '../../src/modules/calendar/clock';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * A token of one agency can neither see nor change another agency's plans and tasks — by id, in a
 * list, through a nested field, in a roll-up or an export — and a unit liaison changes nothing of
 * another unit. Siblings a1 and a2 sit under one city c.
 */
describe('plans and tasks: tenancy', () => {
  let h: Harness;
  const tok: Record<string, string> = {};
  const id: Record<string, string> = {};

  async function ok(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }
  async function code(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeDefined();
    return res.errors![0]!.extensions!.code as string;
  }

  beforeAll(async () => {
    setFixedToday('2024-11-20');
    h = await startHarness();
    await h.tree({ code: 'c', units: ['c-u'], children: [{ code: 'a1', units: ['a1-u1', 'a1-u2'] }, { code: 'a2', units: ['a2-u'] }] });
    for (const a of ['c', 'a1', 'a2']) {
      id[a] = (await h.agency(a)).id;
      tok[a] = (await h.account({ agency: a, roles: [Role.AGENCY_ADMIN] })).token;
    }
    tok.u2 = (await h.account({ agency: 'a1', roles: [Role.UNIT_LIAISON], unit: 'a1-u2' })).token;
    const plan = await ok(`mutation($i: CreateWorkPlanInput!) { createWorkPlan(input: $i) { plan { id } } }`, { i: { agencyId: id.a1, year: 2024 } }, tok.a1!);
    id.plan = plan.createWorkPlan.plan.id;
    const task = await ok(
      `mutation($i: AddPlanTaskInput!) { addPlanTask(input: $i) { task { id } } }`,
      { i: { planId: id.plan, requirement: '每半年开展一次察访核验。', timingText: '每半年开展一次', leadUnitIds: [(await h.unit('a1', 'a1-u1')).id] } },
      tok.a1!,
    );
    id.task = task.addPlanTask.task.id;
    await ok(`mutation($i: ReportTaskProgressInput!) { reportTaskProgress(input: $i) { progress { id } } }`, { i: { taskId: id.task, happenedOn: '2024-03-01', text: '已开展', counts: true } }, tok.a1!);
    // a superior's task cascaded to a1: a1 must not reach the original through its copy
    const cityPlan = await ok(`mutation($i: CreateWorkPlanInput!) { createWorkPlan(input: $i) { plan { id } } }`, { i: { agencyId: id.c, year: 2024 } }, tok.c!);
    const cityTask = await ok(
      `mutation($i: AddPlanTaskInput!) { addPlanTask(input: $i) { task { id } } }`,
      { i: { planId: cityPlan.createWorkPlan.plan.id, requirement: '市局任务。', leadUnitIds: [(await h.unit('c', 'c-u')).id] } },
      tok.c!,
    );
    id.cityTask = cityTask.addPlanTask.task.id;
    const copies = await ok(`mutation($i: CascadePlanTaskInput!) { cascadePlanTask(input: $i) { copies { id agency { code } } } }`, { i: { taskId: id.cityTask } }, tok.c!);
    id.copy = copies.cascadePlanTask.copies.find((c: any) => c.agency.code === 'a1').id;
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  it('by id: another agency’s plan and task are not found', async () => {
    expect(await code(`query($id: ID!) { workPlan(id: $id) { id } }`, { id: id.plan }, tok.a2!)).toBe('NOT_FOUND');
    expect(await code(`query($id: ID!) { planTask(id: $id) { id } }`, { id: id.task }, tok.a2!)).toBe('NOT_FOUND');
    expect(await code(`query($id: ID!) { planTask(id: $id) { id } }`, { id: id.cityTask }, tok.a1!)).toBe('NOT_FOUND');
  });

  it('in lists and nested fields: nothing of another agency, nor the superior’s original', async () => {
    const list = await ok(`{ workPlans(first: 50) { totalCount edges { node { agency { code } } } } }`, {}, tok.a2!);
    expect(list.workPlans.edges.map((e: any) => e.node.agency.code)).toEqual(['a2']);
    const copy = await ok(`query($id: ID!) { planTask(id: $id) { cascaded sourceTask { id } copies { id } plan { tasks { totalCount } } } }`, { id: id.copy }, tok.a1!);
    expect(copy.planTask.sourceTask).toBeNull();
    expect(copy.planTask.cascaded).toBe(true);
    // The copies of a superior's task, read from a sibling's side, hold nothing of a1.
    const fromA2 = await ok(`{ workPlans(first: 50) { edges { node { tasks { edges { node { id copies { id } } } } } } } }`, {}, tok.a2!);
    const seen = JSON.stringify(fromA2);
    expect(seen).not.toContain(id.task);
    expect(seen).not.toContain(id.copy);
    // The city (above) sees both its copies.
    const fromCity = await ok(`query($id: ID!) { planTask(id: $id) { copies { agency { code } } } }`, { id: id.cityTask }, tok.c!);
    expect(fromCity.planTask.copies.map((c: any) => c.agency.code)).toEqual(['a1', 'a2']);
  });

  it('in roll-ups and exports', async () => {
    expect(await code(`query($f: CompletionFilter!) { completionRollup(filter: $f) { year } }`, { f: { year: 2024, agencyId: id.a1 } }, tok.a2!)).toBe('NOT_FOUND');
    const own = await ok(`query($f: CompletionFilter!) { completionRollup(filter: $f) { rows { agency { code } own { tasks } subtree { tasks } } } }`, { f: { year: 2024 } }, tok.a2!);
    expect(own.completionRollup.rows).toEqual([{ agency: { code: 'a2' }, own: { tasks: 1 }, subtree: { tasks: 1 } }]);
    const city = await ok(`query($f: CompletionFilter!) { completionRollup(filter: $f) { rows { agency { code } subtree { tasks } } } }`, { f: { year: 2024 } }, tok.c!);
    expect(city.completionRollup.rows.map((r: any) => [r.agency.code, r.subtree.tasks])).toEqual([['c', 4], ['a1', 2], ['a2', 1]]);
    expect(await code(`query($id: ID!) { exportWorkPlan(id: $id, format: CSV) { base64 } }`, { id: id.plan }, tok.a2!)).toBe('NOT_FOUND');
    expect(await code(`query { lookBack(year: 2025, agencyId: "${id.a1}") { agency { code } } }`, {}, tok.a2!)).toBe('NOT_FOUND');
  });

  it('changes: another agency gets NOT_FOUND, another unit’s liaison FORBIDDEN, and nothing changes', async () => {
    const mutations: Array<[string, Record<string, unknown>]> = [
      [`mutation($i: UpdatePlanTaskInput!) { updatePlanTask(input: $i) { task { id } } }`, { id: id.task, requirement: '篡改' }],
      [`mutation($i: WithdrawPlanTaskInput!) { withdrawPlanTask(input: $i) { task { id } } }`, { id: id.task, reason: 'x' }],
      [`mutation($i: ReportTaskProgressInput!) { reportTaskProgress(input: $i) { progress { id } } }`, { taskId: id.task, happenedOn: '2024-05-01', text: 'x' }],
      [`mutation($i: AcceptPlanTaskInput!) { acceptPlanTask(input: $i) { task { id } } }`, { taskId: id.task }],
      [`mutation($i: ReturnPlanTaskInput!) { returnPlanTask(input: $i) { task { id } } }`, { taskId: id.task, reason: 'x' }],
      [`mutation($i: CascadePlanTaskInput!) { cascadePlanTask(input: $i) { copies { id } } }`, { taskId: id.task }],
      [`mutation($i: UpdateWorkPlanInput!) { updateWorkPlan(input: $i) { plan { id } } }`, { id: id.plan, title: '篡改' }],
      [`mutation($i: CarryOverTasksInput!) { carryOverTasks(input: $i) { tasks { id } } }`, { taskIds: [id.task] }],
    ];
    for (const [m, i] of mutations) expect([m.slice(11, 40), await code(m, { i }, tok.a2!)]).toEqual([m.slice(11, 40), expect.stringMatching(/NOT_FOUND|BAD_USER_INPUT/)]);
    // a1-u2's liaison: the task is a1-u1's
    expect(await code(mutations[2]![0], { i: mutations[2]![1] }, tok.u2!)).toBe('FORBIDDEN');
    expect(await code(mutations[0]![0], { i: mutations[0]![1] }, tok.u2!)).toBe('FORBIDDEN');
    expect(await code(mutations[3]![0], { i: mutations[3]![1] }, tok.u2!)).toBe('FORBIDDEN');
    // the subordinate cannot change the superior's original through its copy's id
    expect(await code(mutations[0]![0], { i: { id: id.cityTask, requirement: 'x' } }, tok.a1!)).toBe('NOT_FOUND');

    const after = await ok(`query($id: ID!) { planTask(id: $id) { requirement withdrawnAt acceptedOn progress { text } plan { title } } }`, { id: id.task }, tok.a1!);
    expect(after.planTask).toEqual({ requirement: '每半年开展一次察访核验。', withdrawnAt: null, acceptedOn: null, progress: [{ text: '已开展' }], plan: { title: expect.not.stringContaining('篡改') } });
  });
});
