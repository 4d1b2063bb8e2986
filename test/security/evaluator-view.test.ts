import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { signAccessToken } from '../../src/auth/jwt';
import { Account } from '../../src/modules/account/account.entity';
import { seedCatalogueDemo } from '../../seeds/catalogue-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { seedPlanDemo } from '../../seeds/plan-seeder';
import { seedPublicationDemo } from '../../seeds/publication-seeder';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * The attack: a third-party evaluator's token (read-only, time-boxed, for 济宁市公安局's subtree)
 * asks for everything internal — drafts, review comments, sign-offs, workflow history, accounts,
 * draft catalogues and plans, the office's decisions on tasks. It gets published material, what is
 * in force, and figures; a superior viewer of the same subtree still sees everything.
 */
describe('evaluators see only what evaluators need', () => {
  let h: Harness;
  let evaluator: string;
  let viewer: string;
  let admin: string;

  async function ok(query: string, token: string, variables: Record<string, unknown> = {}) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }
  async function code(query: string, token: string, variables: Record<string, unknown> = {}) {
    const res = await h.gql(query, variables, token);
    return res.errors?.[0]?.extensions?.code;
  }

  beforeAll(async () => {
    h = await startHarness();
    const log = rootLogger.child({ test: 'evaluator-view' });
    log.level = 'silent';
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    await seedCatalogueDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log);
    await seedPlanDemo(h.orm, log);
    const day = 86_400_000;
    evaluator = (await h.account({ agency: 'sd-jining', roles: [Role.EVALUATOR], accessFrom: new Date(Date.now() - day), accessUntil: new Date(Date.now() + 30 * day) })).token;
    viewer = (await h.account({ agency: 'sd-jining', roles: [Role.SUPERIOR_VIEWER] })).token;
    const a = await h.em().findOneOrFail(Account, { username: 'yanzhou.admin' });
    admin = signAccessToken(h.tokens, { accountId: a.id, agencyId: a.agency.id }).token;
    // A draft catalogue beside the demo's (2025, not in force).
    await ok(`mutation($i: CreateCatalogueInput!) { createCatalogue(input: $i) { catalogue { id } } }`, admin, {
      i: { agencyId: a.agency.id, year: 2025, kind: 'AGENCY' },
    });
  });
  afterAll(() => h.close());

  const PUBS = `{ publications(first: 100) { totalCount edges { node { id title status review { notes } signOffs { reason } history { action reason } } } } }`;

  it('publications: only published ones, without review comments, sign-offs or history', async () => {
    const all = (await ok(PUBS, viewer)).publications;
    const seen = (await ok(PUBS, evaluator)).publications;
    expect(all.totalCount).toBe(6);
    // The two historical records of 2024 (the demo's other four are in the workflow).
    expect(seen.totalCount).toBe(2);
    for (const { node } of seen.edges) expect(node).toMatchObject({ status: 'PUBLISHED', review: null, signOffs: [], history: [] });
    const draft = all.edges.find((e: any) => e.node.status === 'DRAFT').node;
    expect(await code(`query($id: ID!) { publication(id: $id) { title } }`, evaluator, { id: draft.id })).toBe('NOT_FOUND');
    // The rejection note the unit head wrote is there for the superior, not for the evaluator.
    expect(JSON.stringify(all)).toContain('答复中含代表联系方式');
    expect(JSON.stringify(seen)).not.toContain('答复中含代表联系方式');
  });

  it('accounts: none (the evaluator’s own `me` still answers)', async () => {
    expect((await ok(`{ accounts(first: 50) { totalCount } }`, viewer)).accounts.totalCount).toBeGreaterThan(0);
    expect((await ok(`{ accounts(first: 50) { totalCount } }`, evaluator)).accounts.totalCount).toBe(0);
    expect((await ok(`{ me { roles } }`, evaluator)).me.roles).toEqual(['EVALUATOR']);
  });

  it('catalogues and plans: in force only — drafts are not found by list, id or export', async () => {
    const Q = `{ catalogues(first: 50) { edges { node { id status year } } } workPlans(first: 50) { edges { node { id status agency { code } } } } }`;
    const all = await ok(Q, viewer);
    const seen = await ok(Q, evaluator);
    const draftCatalogue = all.catalogues.edges.map((e: any) => e.node).find((c: any) => c.status === 'DRAFT');
    const draftPlan = all.workPlans.edges.map((e: any) => e.node).find((p: any) => p.status === 'DRAFT');
    expect(draftCatalogue).toBeDefined();
    expect(draftPlan).toBeDefined();
    expect(seen.catalogues.edges.every((e: any) => e.node.status !== 'DRAFT')).toBe(true);
    expect(seen.catalogues.edges.length).toBeGreaterThan(0);
    expect(seen.workPlans.edges.map((e: any) => [e.node.agency.code, e.node.status])).toEqual([['sd-jining-yanzhou', 'IN_FORCE']]);
    expect(await code(`query($id: ID!) { catalogue(id: $id) { id } }`, evaluator, { id: draftCatalogue.id })).toBe('NOT_FOUND');
    expect(await code(`query($id: ID!) { exportCatalogue(id: $id, format: CSV) { base64 } }`, evaluator, { id: draftCatalogue.id })).toBe('NOT_FOUND');
    expect(await code(`query($id: ID!) { exportWorkPlan(id: $id, format: CSV) { base64 } }`, evaluator, { id: draftPlan.id })).toBe('NOT_FOUND');
  });

  it('tasks: visible with their progress, without the office’s decisions', async () => {
    const Q = `{ workPlans(first: 5, filter: { year: 2024 }) { edges { node { agency { code } tasks(first: 50) { edges { node { number reviews { decision reason } progress { text } } } } } } } }`;
    const pick = (d: any) => d.workPlans.edges.find((e: any) => e.node.agency.code === 'sd-jining-yanzhou').node.tasks.edges.map((e: any) => e.node);
    const all = pick(await ok(Q, viewer));
    const seen = pick(await ok(Q, evaluator));
    expect(all.find((t: any) => t.number === '10').reviews).toEqual([{ decision: 'ACCEPTED', reason: '预决算已公开' }]);
    expect(seen.find((t: any) => t.number === '10').reviews).toEqual([]);
    expect(seen.find((t: any) => t.number === '8').progress).toEqual(all.find((t: any) => t.number === '8').progress);
  });

  it('figures: the roll-ups answer as for the superior', async () => {
    const Q = `{ complianceRollup(filter: { from: "2024-01-01", to: "2024-12-31" }) { rows { agency { code } subtree { dueInPeriod onTime late overdue } } }
                 completionRollup(filter: { year: 2024 }) { rows { agency { code } subtree { tasks done overdue lateOccurrences } } } }`;
    expect(await ok(Q, evaluator)).toEqual(await ok(Q, viewer));
  });

  it('an evaluator still cannot write', async () => {
    const e = await code(`mutation($i: CreateWorkPlanInput!) { createWorkPlan(input: $i) { plan { id } } }`, evaluator, {
      i: { agencyId: (await h.agency('sd-jining')).id, year: 2030 },
    });
    expect(e).toBe('FORBIDDEN');
  });
});
