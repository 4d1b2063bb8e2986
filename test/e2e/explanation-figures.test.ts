import { compareFiguresWithReference, type FigureMismatch } from '../../src/figures/figure-check';
import { FIGURE_TABLES } from '../../src/figures/figure-tables';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { addDays } from '../../src/modules/calendar/date-utils';
import { uuidArrayLiteral } from '../../src/db/sql';
import { startHarness, Role, type Harness } from '../support/harness';
import { Rng } from '../support/figures-world';

/**
 * The maintained explanation figures (`figure_explanation_agency`, kept by the statement triggers
 * of migrations/Migration20261122071012_Assessment.ts) against their reference view, after every
 * step of seeded random sequences of deduction-point writes — through GraphQL (record, assign,
 * explain on time or late, delete) and through raw SQL as the owner (a due date moved, a point
 * moved to another agency, several rows updated or deleted in one statement, a bucket swap) — and
 * under concurrent writers on one bucket, after refused writes and after updates that change
 * nothing the figures depend on.
 *
 * Seeds: FIGURES_SEED=1,2,3 replaces the default list; FIGURES_STEPS=n the number of steps per seed
 * (a failure names the seed and step, so `FIGURES_SEED=s FIGURES_STEPS=step+1` replays it).
 */
const SEEDS = process.env.FIGURES_SEED ? process.env.FIGURES_SEED.split(',').map((s) => Number(s.trim())) : [20241122, 4711];
const STEPS = Number(process.env.FIGURES_STEPS || 60);

const AGENCIES = ['a1', 'a2', 'a3'] as const;
type Code = (typeof AGENCIES)[number];
const UNITS: Record<Code, readonly string[]> = { a1: ['a1-u', 'a1-v'], a2: ['a2-u', 'a2-v'], a3: ['a3-u', 'a3-v'] };
/** Notification dates in 2024: before the Spring Festival, around May Day, the Dragon Boat Festival, National Day, the year's end. */
const NOTIFIED = ['2024-01-02', '2024-02-05', '2024-04-30', '2024-06-07', '2024-09-27', '2024-12-30'] as const;

const INDICATORS = [
  { code: '1', name: '公开内容', kind: 'GROUP', weight: 40 },
  { code: '1.1', parentCode: '1', name: '目录覆盖率', kind: 'COMPUTED', weight: 20, metric: 'CATALOGUE_COVERAGE', formula: 'PROPORTIONAL' },
  { code: '1.2', parentCode: '1', name: '空白栏目', kind: 'COMPUTED', weight: 20, metric: 'EMPTY_ITEMS', formula: 'DEDUCT_PER_COUNT', perCount: 5 },
  { code: '2', name: '任务完成率', kind: 'COMPUTED', weight: 20, metric: 'TASK_COMPLETION', formula: 'PROPORTIONAL' },
  { code: '3', name: '扣分点按时说明', kind: 'COMPUTED', weight: 10, metric: 'EXPLANATIONS_ON_TIME', formula: 'PROPORTIONAL' },
  { code: '4', name: '第三方评估', kind: 'COMPUTED', weight: 20, metric: 'THIRD_PARTY_SCORE', formula: 'PROPORTIONAL' },
  { code: '5', name: '工作机制', kind: 'MANUAL', weight: 10 },
  { code: 'B1', name: '创新做法', kind: 'BONUS', weight: 5 },
  { code: 'V1', name: '失泄密', kind: 'VETO', weight: 0 },
];
/** Leaf indicators a deduction may name, with their weights. */
const DEDUCTIBLE: ReadonlyArray<readonly [string, number]> = [
  ['1.1', 20],
  ['1.2', 20],
  ['2', 20],
  ['3', 10],
  ['4', 20],
  ['5', 10],
];

const Q = {
  scheme: `mutation($i: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $i) { scheme { id } } }`,
  round: `mutation($i: CreateEvaluationRoundInput!) { createEvaluationRound(input: $i) { round { id } } }`,
  record: `mutation($i: RecordDeductionPointInput!) { recordDeductionPoint(input: $i) { deductionPoint { id dueOn notifiedOn } } }`,
  assign: `mutation($i: AssignDeductionPointInput!) { assignDeductionPoint(input: $i) { deductionPoint { id } } }`,
  explain: `mutation($i: ExplainDeductionPointInput!) { explainDeductionPoint(input: $i) { deductionPoint { id state explainedOn dueOn } } }`,
  remove: `mutation($i: DeleteDeductionPointInput!) { deleteDeductionPoint(input: $i) { deletedId } }`,
};

interface World {
  h: Harness;
  ids: Record<string, string>;
  /** Agency code by id. */
  codeOf: Map<string, Code>;
  /** Unit ids by agency code, and the liaison token of each unit id. */
  units: Record<Code, string[]>;
  liaison: Map<string, string>;
  admin: Record<Code | 'c', string>;
  roundId: string;
}

/** A deduction point as stored (read back from the database after every step). */
interface PointRow {
  id: string;
  agency: Code;
  year: number;
  notifiedOn: string;
  dueOn: string;
  explainedOn: string | null;
  unitId: string | null;
}

// ---- helpers -------------------------------------------------------------------------------------

function withContext(context: () => string, check: () => void): void {
  try {
    check();
  } catch (err) {
    (err as Error).message = `${context()}\n\n${(err as Error).message}`;
    throw err;
  }
}

const explanationTable = FIGURE_TABLES.filter((t) => t.table === 'figure_explanation_agency');

async function expectFiguresEqualReference(h: Harness, context: () => string): Promise<void> {
  const mismatches: FigureMismatch[] = await compareFiguresWithReference(h.em());
  withContext(context, () => expect(mismatches).toEqual([]));
}

async function exec<T = Record<string, any>>(h: Harness, query: string, params: unknown[] = []): Promise<T[]> {
  return (await h.em().getConnection().execute(query, params as never[], 'all')) as T[];
}

/** The maintained explanation figures, every row, in key order (dates as text). */
async function figureSnapshot(h: Harness): Promise<Array<Record<string, unknown>>> {
  return exec(
    h,
    `select agency_id, year, due_on::text as due_on, total, on_time, late, open
       from figure_explanation_agency order by agency_id, year, due_on`,
  );
}

async function readPoints(w: World): Promise<PointRow[]> {
  const rows = await exec<{ id: string; agency_id: string; year: number; notified_on: string; due_on: string; explained_on: string | null; unit_id: string | null }>(
    w.h,
    `select id, agency_id, year, notified_on::text as notified_on, due_on::text as due_on, explained_on::text as explained_on, unit_id
       from deduction_point order by created_at, id`,
  );
  return rows.map((r) => ({
    id: r.id,
    agency: w.codeOf.get(r.agency_id)!,
    year: Number(r.year),
    notifiedOn: r.notified_on,
    dueOn: r.due_on,
    explainedOn: r.explained_on,
    unitId: r.unit_id,
  }));
}

const short = (id: string) => id.slice(0, 8);

async function buildWorld(h: Harness): Promise<World> {
  setFixedToday('2024-01-02');
  await h.tree({
    code: 'c',
    units: ['c-u'],
    children: AGENCIES.map((code) => ({ code, units: [...UNITS[code]] })),
  });
  const ids: Record<string, string> = {};
  const codeOf = new Map<string, Code>();
  const units = {} as Record<Code, string[]>;
  const liaison = new Map<string, string>();
  const admin = {} as Record<Code | 'c', string>;
  for (const code of ['c', ...AGENCIES] as const) {
    ids[code] = (await h.agency(code)).id;
    admin[code] = (await h.account({ agency: code, roles: [Role.AGENCY_ADMIN] })).token;
  }
  for (const code of AGENCIES) {
    codeOf.set(ids[code]!, code);
    units[code] = [];
    for (const u of UNITS[code]) {
      const unitId = (await h.unit(code, u)).id;
      units[code].push(unitId);
      liaison.set(unitId, (await h.account({ agency: code, roles: [Role.UNIT_LIAISON], unit: u })).token);
    }
  }
  const ok = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await h.gql(query, variables, token);
    if (res.errors) throw new Error(`setup: ${JSON.stringify(res.errors)}`);
    return res.data!;
  };
  await ok(Q.scheme, { i: { agencyId: ids.c, year: 2024, share: 5, bonusCap: 3, bonusThreshold: 60, indicators: INDICATORS } }, admin.c);
  const round = await ok(Q.round, { i: { agencyId: ids.c, year: 2024, kind: 'MID_YEAR', evaluator: '第三方评估公司' } }, admin.c);
  return { h, ids, codeOf, units, liaison, admin, roundId: round.createEvaluationRound.round.id };
}

// ---- the random sequence -------------------------------------------------------------------------

interface Run {
  w: World;
  rng: Rng;
  seed: number;
  step: number;
  log: string[];
  points: PointRow[];
  findings: number;
  explained: { onTime: number; late: number };
}

const where = (r: Run) => () =>
  `seed ${r.seed}, step ${r.step} of ${STEPS} (replay: FIGURES_SEED=${r.seed} FIGURES_STEPS=${r.step + 1})\n` +
  `last steps:\n  ${r.log.slice(-15).join('\n  ')}`;

async function ok(r: Run, query: string, variables: Record<string, unknown>, token: string): Promise<any> {
  const res = await r.w.h.gql(query, variables, token);
  if (res.errors) throw new Error(`${where(r)()}\n\nunexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data!;
}

type Op = 'record' | 'assign' | 'explain' | 'remove' | 'sqlDue' | 'sqlMove' | 'sqlMany' | 'sqlDeleteMany' | 'sqlSwap' | 'sqlNoop';
const OPS: ReadonlyArray<readonly [Op, number]> = [
  ['record', 26],
  ['assign', 10],
  ['explain', 20],
  ['remove', 6],
  ['sqlDue', 7],
  ['sqlMove', 7],
  ['sqlMany', 9],
  ['sqlDeleteMany', 4],
  ['sqlSwap', 4],
  ['sqlNoop', 3],
];

const unexplained = (r: Run) => r.points.filter((p) => p.explainedOn === null);

async function record(r: Run): Promise<string> {
  const { w, rng } = r;
  const agency = rng.pick(AGENCIES);
  const notifiedOn = rng.pick(NOTIFIED);
  setFixedToday(addDays(notifiedOn, rng.int(0, 12)));
  const [code, weight] = rng.pick(DEDUCTIBLE);
  const points = rng.int(1, Math.min(weight, 6));
  const input = { roundId: w.roundId, agencyId: w.ids[agency], indicatorCode: code, points, finding: `问题${++r.findings}`, notifiedOn };
  const p = (await ok(r, Q.record, { i: input }, w.admin.c)).recordDeductionPoint.deductionPoint;
  return `record ${short(p.id)} ${agency} ${code}/${points} notified ${p.notifiedOn} due ${p.dueOn}`;
}

async function assign(r: Run): Promise<string> {
  const { w, rng } = r;
  const open = unexplained(r);
  if (open.length === 0) return record(r);
  const p = rng.pick(open);
  const unitId = rng.pick(w.units[p.agency]);
  await ok(r, Q.assign, { i: { id: p.id, unitId } }, w.admin[p.agency]);
  return `assign ${short(p.id)} ${p.agency} → ${short(unitId)}`;
}

async function explain(r: Run): Promise<string> {
  const { w, rng } = r;
  const open = unexplained(r);
  if (open.length === 0) return record(r);
  const p = rng.pick(open);
  const onTime = rng.chance(0.5);
  const on = onTime ? (rng.chance(0.25) ? p.dueOn : rng.date(p.notifiedOn, p.dueOn)) : addDays(p.dueOn, rng.int(1, 25));
  setFixedToday(on);
  // The assigned unit's liaison when the unit is still one of the point's agency, else its office.
  const byLiaison = p.unitId !== null && w.units[p.agency].includes(p.unitId) && rng.chance(0.7);
  const token = byLiaison ? w.liaison.get(p.unitId!)! : w.admin[p.agency];
  const d = (await ok(r, Q.explain, { i: { id: p.id, explanation: `说明${r.step}` } }, token)).explainDeductionPoint.deductionPoint;
  if (d.explainedOn !== on) throw new Error(`${where(r)()}\n\nexplained on ${d.explainedOn}, expected ${on}`);
  if (on <= p.dueOn) r.explained.onTime += 1;
  else r.explained.late += 1;
  return `explain ${short(p.id)} ${p.agency} on ${on} (due ${p.dueOn}, ${on <= p.dueOn ? 'on time' : 'late'}) by ${byLiaison ? 'liaison' : 'office'} → ${d.state}`;
}

async function remove(r: Run): Promise<string> {
  const { w, rng } = r;
  const open = unexplained(r);
  if (open.length === 0) return record(r);
  const p = rng.pick(open);
  await ok(r, Q.remove, { i: { id: p.id } }, w.admin.c);
  return `remove ${short(p.id)} ${p.agency} due ${p.dueOn}`;
}

async function sqlDue(r: Run): Promise<string> {
  const { w, rng } = r;
  if (r.points.length === 0) return record(r);
  const p = rng.pick(r.points);
  // Not before the notification (a check constraint); often next to an explanation date, so that
  // an explained point flips between on time and late.
  const base = p.explainedOn && rng.chance(0.6) ? addDays(p.explainedOn, rng.int(-1, 0)) : addDays(p.dueOn, rng.int(-4, 6));
  const dueOn = base < p.notifiedOn ? p.notifiedOn : base;
  await exec(w.h, `update deduction_point set due_on = ?::date where id = ?::uuid`, [dueOn, p.id]);
  return `sqlDue ${short(p.id)} ${p.agency} ${p.dueOn} → ${dueOn} (explained ${p.explainedOn ?? '-'})`;
}

async function sqlMove(r: Run): Promise<string> {
  const { w, rng } = r;
  if (r.points.length === 0) return record(r);
  const p = rng.pick(r.points);
  const to = rng.pick(AGENCIES.filter((a) => a !== p.agency));
  await exec(w.h, `update deduction_point set agency_id = ?::uuid where id = ?::uuid`, [w.ids[to], p.id]);
  return `sqlMove ${short(p.id)} ${p.agency} → ${to} (due ${p.dueOn}, explained ${p.explainedOn ?? '-'})`;
}

/** Several rows in ONE statement: their buckets, states or years change together. */
async function sqlMany(r: Run): Promise<string> {
  const { w, rng } = r;
  if (r.points.length < 2) return record(r);
  const chosen = r.points.filter(() => rng.chance(0.35));
  if (chosen.length < 2) chosen.push(...rng.pick([r.points.slice(0, 2), r.points.slice(-2)]));
  const ids = uuidArrayLiteral([...new Set(chosen.map((p) => p.id))]);
  const kind = rng.weighted([
    ['shiftDue', 3],
    ['toAgency', 2],
    ['rotateAgency', 2],
    ['explain', 2],
    ['unexplain', 1],
    ['year', 1],
  ] as const);
  let n = 0;
  switch (kind) {
    case 'shiftDue': {
      const k = rng.int(-5, 7);
      n = (await exec(w.h, `update deduction_point set due_on = greatest(notified_on, due_on + ?::int) where id = any(?::uuid[]) returning id`, [k, ids])).length;
      return `sqlMany shiftDue ${k} days on ${n} rows`;
    }
    case 'toAgency': {
      const to = rng.pick(AGENCIES);
      n = (await exec(w.h, `update deduction_point set agency_id = ?::uuid where id = any(?::uuid[]) returning id`, [w.ids[to], ids])).length;
      return `sqlMany toAgency ${to} on ${n} rows`;
    }
    case 'rotateAgency': {
      // a1 → a2 → a3 → a1: every bucket loses and gains in the same statement.
      n = (
        await exec(
          w.h,
          `update deduction_point set agency_id = case agency_id when ?::uuid then ?::uuid when ?::uuid then ?::uuid else ?::uuid end
            where id = any(?::uuid[]) returning id`,
          [w.ids.a1, w.ids.a2, w.ids.a2, w.ids.a3, w.ids.a1, ids],
        )
      ).length;
      return `sqlMany rotateAgency on ${n} rows`;
    }
    case 'explain': {
      const k = rng.int(-3, 3);
      n = (
        await exec(
          w.h,
          `update deduction_point set explained_on = greatest(notified_on, due_on + ?::int), explanation = '批量说明', explained_by = 'sql', explained_at = now()
            where id = any(?::uuid[]) and explained_on is null returning id`,
          [k, ids],
        )
      ).length;
      return `sqlMany explain due${k >= 0 ? '+' : ''}${k} on ${n} rows`;
    }
    case 'unexplain': {
      n = (
        await exec(
          w.h,
          `update deduction_point set explained_on = null, explanation = null, explained_by = null, explained_at = null
            where id = any(?::uuid[]) and explained_on is not null returning id`,
          [ids],
        )
      ).length;
      return `sqlMany unexplain on ${n} rows`;
    }
    case 'year': {
      n = (await exec(w.h, `update deduction_point set year = case when year = 2024 then 2025 else 2024 end where id = any(?::uuid[]) returning id`, [ids])).length;
      return `sqlMany year flip on ${n} rows`;
    }
  }
}

async function sqlDeleteMany(r: Run): Promise<string> {
  const { w, rng } = r;
  if (r.points.length < 3) return record(r);
  const chosen = r.points.filter(() => rng.chance(0.2));
  if (chosen.length < 2) chosen.push(rng.pick(r.points), rng.pick(r.points));
  const ids = [...new Set(chosen.map((p) => p.id))];
  const n = (await exec(w.h, `delete from deduction_point where id = any(?::uuid[]) returning id`, [uuidArrayLiteral(ids)])).length;
  const states = chosen.map((p) => (p.explainedOn ? 'x' : 'o')).join('');
  return `sqlDeleteMany ${n} rows (${states})`;
}

/** Two points exchange agency, due date and explanation in one statement: both buckets' totals may stay. */
async function sqlSwap(r: Run): Promise<string> {
  const { w, rng } = r;
  if (r.points.length < 2) return record(r);
  const a = rng.pick(r.points);
  const others = r.points.filter((p) => p.id !== a.id);
  const b = rng.pick(others);
  // Each keeps its own notification date: the due date taken over is moved up to it if need be.
  await exec(
    w.h,
    `update deduction_point d set agency_id = o.agency_id, due_on = greatest(d.notified_on, o.due_on),
            explained_on = o.explained_on, explanation = o.explanation
       from deduction_point o
      where (d.id, o.id) in ((?::uuid, ?::uuid), (?::uuid, ?::uuid))`,
    [a.id, b.id, b.id, a.id],
  );
  return `sqlSwap ${short(a.id)} (${a.agency} ${a.dueOn} ${a.explainedOn ?? '-'}) ⇄ ${short(b.id)} (${b.agency} ${b.dueOn} ${b.explainedOn ?? '-'})`;
}

/** Columns the figures do not depend on, for every row: the figures must not move. */
async function sqlNoop(r: Run): Promise<string> {
  const before = await figureSnapshot(r.w.h);
  const n = (await exec(r.w.h, `update deduction_point set finding = finding || '。', points = points, updated_at = now() returning id`)).length;
  const after = await figureSnapshot(r.w.h);
  withContext(where(r), () => expect(after).toEqual(before));
  return `sqlNoop ${n} rows`;
}

async function step(r: Run, op: Op): Promise<string> {
  switch (op) {
    case 'record':
      return record(r);
    case 'assign':
      return assign(r);
    case 'explain':
      return explain(r);
    case 'remove':
      return remove(r);
    case 'sqlDue':
      return sqlDue(r);
    case 'sqlMove':
      return sqlMove(r);
    case 'sqlMany':
      return sqlMany(r);
    case 'sqlDeleteMany':
      return sqlDeleteMany(r);
    case 'sqlSwap':
      return sqlSwap(r);
    case 'sqlNoop':
      return sqlNoop(r);
  }
}

describe('explanation figures equal their recomputation from the deduction points', () => {
  afterAll(() => setFixedToday(null));

  it.each(SEEDS)(
    'after every step of a random sequence of deduction-point writes (seed %i)',
    async (seed) => {
      const h = await startHarness();
      try {
        const w = await buildWorld(h);
        const r: Run = { w, rng: new Rng(seed), seed, step: 0, log: [], points: [], findings: 0, explained: { onTime: 0, late: 0 } };
        await expectFiguresEqualReference(h, where(r));
        const done: Record<string, number> = {};
        for (r.step = 0; r.step < STEPS; r.step++) {
          const op = r.step < 3 ? 'record' : r.rng.weighted(OPS);
          r.log.push(`${r.step}: ${op} …`);
          const what = await step(r, op);
          r.log[r.log.length - 1] = `${r.step}: ${what}`;
          const kind = what.split(' ')[0]!;
          done[kind] = (done[kind] ?? 0) + 1;
          await expectFiguresEqualReference(h, where(r));
          r.points = await readPoints(w);
        }
        if (process.env.FIGURES_VERBOSE) console.log(`seed ${seed}: ${JSON.stringify(done)}\n${r.log.join('\n')}`);
        // The sequence did what it is meant to exercise (a full run; a shortened replay proves less).
        if (STEPS >= 60) {
          expect(r.explained.onTime).toBeGreaterThan(0);
          expect(r.explained.late).toBeGreaterThan(0);
          expect(Object.keys(done).filter((k) => k.startsWith('sql')).length).toBeGreaterThanOrEqual(3);
        }
      } finally {
        setFixedToday(null);
        await h.close();
      }
    },
    240_000,
  );
});

// ---- concurrency, refused writes, updates that change nothing --------------------------------------

describe('explanation figures under concurrent writers, refused writes and irrelevant updates', () => {
  let h: Harness;
  let w: World;
  const context = (what: string) => () => what;

  async function bucketTotals(agencyId: string): Promise<Map<string, number>> {
    const rows = await exec<{ due_on: string; total: number }>(
      h,
      `select due_on::text as due_on, total from figure_explanation_agency where agency_id = ?::uuid and year = 2024`,
      [agencyId],
    );
    return new Map(rows.map((x) => [x.due_on, Number(x.total)]));
  }
  async function pointCount(): Promise<number> {
    const [row] = await exec<{ n: number }>(h, `select count(*)::int as n from deduction_point`);
    return Number(row!.n);
  }
  async function okReq(query: string, variables: Record<string, unknown>, token: string): Promise<any> {
    const res = await h.gql(query, variables, token);
    if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
    return res.data!;
  }
  const recordInput = (agency: Code, notifiedOn: string, n: number) => ({
    roundId: w.roundId,
    agencyId: w.ids[agency],
    indicatorCode: '1.1',
    points: 1,
    finding: `并发${n}`,
    notifiedOn,
  });

  beforeAll(async () => {
    h = await startHarness();
    w = await buildWorld(h);
    // Some points to begin with, in several buckets and states.
    setFixedToday('2024-05-06');
    for (const [i, agency] of (['a1', 'a1', 'a2', 'a3'] as const).entries()) {
      await okReq(Q.record, { i: recordInput(agency, '2024-04-30', i) }, w.admin.c);
    }
    await expectFiguresEqualReference(h, context('after the first points'));
  }, 120_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  it(
    '12 concurrent recordDeductionPoint requests for one agency and notification date: one bucket, exactly 12 more',
    async () => {
      setFixedToday('2024-06-12');
      const before = await bucketTotals(w.ids.a1!);
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, n) => h.gql(Q.record, { i: recordInput('a1', '2024-06-07', 100 + n) }, w.admin.c)),
      );
      expect(responses.map((res) => res.errors ?? null)).toEqual(Array(12).fill(null));
      const dues = new Set(responses.map((res) => (res.data as any).recordDeductionPoint.deductionPoint.dueOn as string));
      expect(dues.size).toBe(1);
      const [due] = [...dues] as [string];
      await expectFiguresEqualReference(h, context('after 12 concurrent records'));
      const after = await bucketTotals(w.ids.a1!);
      expect(after.get(due)).toBe((before.get(due) ?? 0) + 12);
      // Every other bucket of the agency is as it was.
      for (const [d, total] of before) if (d !== due) expect(after.get(d)).toBe(total);
    },
    120_000,
  );

  it(
    'concurrent records, explanations and deletions on one bucket',
    async () => {
      setFixedToday('2024-06-12');
      const points = (
        await exec<{ id: string }>(
          h,
          `select id from deduction_point where agency_id = ?::uuid and notified_on = '2024-06-07' and explained_on is null order by id`,
          [w.ids.a1],
        )
      ).map((x) => x.id);
      expect(points.length).toBeGreaterThanOrEqual(8);
      const before = await bucketTotals(w.ids.a1!);
      const writers = [
        ...points.slice(0, 4).map((id, n) => h.gql(Q.explain, { i: { id, explanation: `并发说明${n}` } }, w.admin.a1)),
        ...points.slice(4, 8).map((id) => h.gql(Q.remove, { i: { id } }, w.admin.c)),
        ...Array.from({ length: 4 }, (_, n) => h.gql(Q.record, { i: recordInput('a1', '2024-06-07', 200 + n) }, w.admin.c)),
      ];
      const responses = await Promise.all(writers);
      expect(responses.map((res) => res.errors ?? null)).toEqual(Array(12).fill(null));
      await expectFiguresEqualReference(h, context('after concurrent records, explanations and deletions'));
      const after = await bucketTotals(w.ids.a1!);
      const due = (responses[8]!.data as any).recordDeductionPoint.deductionPoint.dueOn as string;
      // 4 removed, 4 recorded: the bucket's total is as before.
      expect(after.get(due)).toBe(before.get(due));
    },
    120_000,
  );

  it(
    'a refused write (points above the indicator’s weight) leaves the figures untouched',
    async () => {
      setFixedToday('2024-06-12');
      const before = await figureSnapshot(h);
      const count = await pointCount();
      const res = await h.gql(Q.record, { i: { ...recordInput('a2', '2024-06-07', 300), indicatorCode: '3', points: 10.5 } }, w.admin.c);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.points' });
      expect(await figureSnapshot(h)).toEqual(before);
      expect(await pointCount()).toBe(count);

      // A second explanation and the deletion of an explained point are refused as well.
      const [explained] = await exec<{ id: string; agency_id: string }>(h, `select id, agency_id from deduction_point where explained_on is not null limit 1`);
      const code = w.codeOf.get(explained!.agency_id)!;
      const again = await h.gql(Q.explain, { i: { id: explained!.id, explanation: '再次说明' } }, w.admin[code]);
      expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      const del = await h.gql(Q.remove, { i: { id: explained!.id } }, w.admin.c);
      expect(del.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(await figureSnapshot(h)).toEqual(before);

      // A multi-row statement that fails on its last row (a due date before the notification) rolls back whole.
      await expect(
        exec(h, `update deduction_point set due_on = case when id = (select id from deduction_point order by id desc limit 1) then notified_on - 1 else due_on + 3 end`),
      ).rejects.toThrow(/deduction_point_due_after_notice/);
      expect(await figureSnapshot(h)).toEqual(before);
      await expectFiguresEqualReference(h, context('after refused writes'));
    },
    120_000,
  );

  it(
    'updates that change nothing the figures depend on leave them equal',
    async () => {
      const before = await figureSnapshot(h);
      await exec(h, `update deduction_point set finding = finding || '（补充）', evidence_url = 'https://example.org/x'`);
      await exec(h, `update deduction_point set due_on = due_on, agency_id = agency_id, explained_on = explained_on`);
      // An assignment changes the responsible unit only.
      const [open] = await exec<{ id: string; agency_id: string }>(h, `select id, agency_id from deduction_point where explained_on is null order by id limit 1`);
      const code = w.codeOf.get(open!.agency_id)!;
      await okReq(Q.assign, { i: { id: open!.id, unitId: w.units[code][1] } }, w.admin[code]);
      expect(await figureSnapshot(h)).toEqual(before);
      await expectFiguresEqualReference(h, context('after irrelevant updates'));
      // … and the comparison is over this table alone as well as over all of them.
      expect(await compareFiguresWithReference(h.em(), explanationTable)).toEqual([]);
    },
    120_000,
  );
});
