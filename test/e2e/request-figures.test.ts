import { compareFiguresWithReference, type FigureMismatch } from '../../src/figures/figure-check';
import { FIGURE_TABLES } from '../../src/figures/figure-tables';
import { rebuildFigures } from '../../src/figures/rebuild';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { addDays } from '../../src/modules/calendar/date-utils';
import { uuidArrayLiteral } from '../../src/db/sql';
import { RequestOutcome } from '../../src/modules/request/request.entity';
import { startHarness, Role, type Harness } from '../support/harness';
import { Rng } from '../support/figures-world';

/**
 * The maintained request figures (`figure_request_agency`, `figure_request_outcome`, kept by the
 * statement trigger of migrations/Migration20261122110000_RequestFigures.ts) against their reference
 * views, after every step of seeded random sequences of info_request writes through SQL as the owner
 * (registrations of one or several rows, replies on time and late, replies across the new year,
 * unreplies, outcome changes, due dates moved, stopped and restarted, extensions, moves between
 * agencies, year changes, multi-row updates and deletes, swaps, updates that change nothing the
 * figures depend on, failing statements) and through the workflow mutations (registerInfoRequest,
 * requestCorrection, recordCorrection, startConsultation, endConsultation, extendInfoRequest,
 * replyInfoRequest, recordAppeal — refused ones included, which must change nothing); under
 * concurrent writers on one bucket (SQL transactions and HTTP requests); and the roll-up
 * (`requestRollup` over HTTP) against a count written in TypeScript from the raw rows, a small tree
 * computed by hand, and tenancy.
 *
 * Seeds: FIGURES_SEED=1,2,3 replaces the default list; FIGURES_STEPS=n the number of steps per seed
 * (a failure names the seed and step, so `FIGURES_SEED=s FIGURES_STEPS=step+1` replays it).
 */
const SEEDS = process.env.FIGURES_SEED ? process.env.FIGURES_SEED.split(',').map((s) => Number(s.trim())) : [20241122, 4711];
const STEPS = Number(process.env.FIGURES_STEPS || 80);

/** c → a1 → b1, c → a2, c → a3; x is another province (another tenant). */
const AGENCIES = ['c', 'a1', 'a2', 'a3', 'b1', 'x'] as const;
type Code = (typeof AGENCIES)[number];
const PARENT: Record<Code, Code | null> = { c: null, a1: 'c', a2: 'c', a3: 'c', b1: 'a1', x: null };
/** Receipt dates: around the Spring Festival, May Day, mid-year, National Day, the last days of 2024 and the first of 2025. */
const RECEIVED = ['2024-01-03', '2024-02-05', '2024-04-29', '2024-06-28', '2024-09-27', '2024-12-20', '2024-12-30', '2025-01-02', '2025-03-10'] as const;
const OUTCOMES: readonly RequestOutcome[] = [
  RequestOutcome.DISCLOSED,
  RequestOutcome.DISCLOSED,
  RequestOutcome.PARTIALLY_DISCLOSED,
  RequestOutcome.WITHHELD_THIRD_PARTY,
  RequestOutcome.WITHHELD_PROCESS_INFORMATION,
  RequestOutcome.UNAVAILABLE_NOT_HELD,
  RequestOutcome.NOT_PROCESSED_REPEATED,
  RequestOutcome.OTHER_NOT_CORRECTED,
  RequestOutcome.OTHER,
];

const requestTables = FIGURE_TABLES.filter((t) => t.table.startsWith('figure_request_'));

const ROLLUP = `query($f: RequestRollupFilter!) { requestRollup(filter: $f) { year asOf rows { agencyId agency { code }
  own { received answered answeredOnTime answeredLate open overdue clockStopped extended onTimeRate repliedInYear byOutcome { outcome count } }
  subtree { received answered answeredOnTime answeredLate open overdue clockStopped extended onTimeRate repliedInYear byOutcome { outcome count } } } } }`;

// ---- helpers -------------------------------------------------------------------------------------

function withContext(context: () => string, check: () => void): void {
  try {
    check();
  } catch (err) {
    (err as Error).message = `${context()}\n\n${(err as Error).message}`;
    throw err;
  }
}

async function expectFiguresEqualReference(h: Harness, context: () => string): Promise<void> {
  const mismatches: FigureMismatch[] = await compareFiguresWithReference(h.em(), requestTables);
  withContext(context, () => expect(mismatches).toEqual([]));
}

async function exec<T = Record<string, any>>(h: Harness, query: string, params: unknown[] = []): Promise<T[]> {
  return (await h.em().getConnection().execute(query, params as never[], 'all')) as T[];
}

/** Every maintained request figure, in key order (dates as text). */
async function figureSnapshot(h: Harness): Promise<unknown[]> {
  return [
    ...(await exec(h, `select agency_id, year, due_on::text as due_on, received, replied_on_time, replied_late, open, extended
                         from figure_request_agency order by agency_id, year, due_on`)),
    ...(await exec(h, `select agency_id, reply_year, outcome::text as outcome, n from figure_request_outcome order by agency_id, reply_year, outcome`)),
  ];
}

/** A request as stored (read back after every step). */
interface ReqRow {
  id: string;
  agency: Code;
  year: number;
  receivedOn: string;
  dueOn: string | null;
  repliedOn: string | null;
  outcome: RequestOutcome | null;
  extensionDays: number | null;
}

interface World {
  h: Harness;
  ids: Record<Code, string>;
  codeOf: Map<string, Code>;
  admin: Record<Code, string>;
}

async function buildWorld(h: Harness): Promise<World> {
  await h.tree([{ code: 'c', children: [{ code: 'a1', children: [{ code: 'b1' }] }, { code: 'a2' }, { code: 'a3' }] }, { code: 'x' }]);
  const ids = {} as Record<Code, string>;
  const admin = {} as Record<Code, string>;
  const codeOf = new Map<string, Code>();
  for (const code of AGENCIES) {
    ids[code] = (await h.agency(code)).id;
    codeOf.set(ids[code], code);
    admin[code] = (await h.account({ agency: code, roles: [Role.AGENCY_ADMIN] })).token;
  }
  return { h, ids, codeOf, admin };
}

async function readRequests(w: World): Promise<ReqRow[]> {
  const rows = await exec<any>(
    w.h,
    `select id, agency_id, year, received_on::text as received_on, due_on::text as due_on, replied_on::text as replied_on,
            outcome::text as outcome, extension_days
       from info_request order by right(number, 5), number`,
  );
  return rows.map((r) => ({
    id: r.id,
    agency: w.codeOf.get(r.agency_id)!,
    year: Number(r.year),
    receivedOn: r.received_on,
    dueOn: r.due_on,
    repliedOn: r.replied_on,
    outcome: r.outcome,
    extensionDays: r.extension_days === null ? null : Number(r.extension_days),
  }));
}

let numbers = 0;

/** Registers requests with SQL, all in ONE statement. */
async function insertRequests(w: World, rows: Array<Omit<ReqRow, 'id'>>): Promise<string[]> {
  const payload = rows.map((r) => ({
    agency_id: w.ids[r.agency],
    year: r.year,
    number: `YSQ-${r.year}-${String(++numbers).padStart(5, '0')}`,
    received_on: r.receivedOn,
    due_on: r.dueOn,
    replied_on: r.repliedOn,
    outcome: r.outcome,
    extension_days: r.extensionDays,
  }));
  const out = await exec<{ id: string }>(
    w.h,
    `insert into info_request (id, agency_id, year, number, channel, applicant_type, applicant_name, content, submitted_on, received_on,
                               registered_by, due_on, replied_on, outcome, extension_days)
     select gen_random_uuid(), x.agency_id, x.year, x.number, 'ONLINE', 'NATURAL_PERSON', '张某', '申请公开户籍迁移办理依据', x.received_on, x.received_on,
            'sql', x.due_on, x.replied_on, x.outcome, x.extension_days
       from jsonb_to_recordset(?::jsonb) as x(agency_id uuid, year int, number text, received_on date, due_on date, replied_on date,
                                              outcome request_outcome, extension_days int)
     returning id`,
    [JSON.stringify(payload)],
  );
  return out.map((r) => r.id);
}

// ---- the TypeScript recount of the roll-up ---------------------------------------------------------

interface Figures {
  received: number;
  answered: number;
  answeredOnTime: number;
  answeredLate: number;
  open: number;
  overdue: number;
  clockStopped: number;
  extended: number;
  onTimeRate: number | null;
  repliedInYear: number;
  byOutcome: Array<{ outcome: string; count: number }>;
}

function count(rows: readonly ReqRow[], year: number, asOf: string): Figures {
  const cohort = rows.filter((r) => r.year === year);
  const onTime = cohort.filter((r) => r.repliedOn !== null && (r.dueOn === null || r.repliedOn <= r.dueOn)).length;
  const late = cohort.filter((r) => r.repliedOn !== null && r.dueOn !== null && r.repliedOn > r.dueOn).length;
  const open = cohort.filter((r) => r.repliedOn === null);
  const overdue = open.filter((r) => r.dueOn !== null && r.dueOn < asOf).length;
  const replied = rows.filter((r) => r.repliedOn !== null && Number(r.repliedOn.slice(0, 4)) === year);
  const byOutcome = Object.values(RequestOutcome)
    .map((outcome) => ({ outcome: outcome as string, count: replied.filter((r) => r.outcome === outcome).length }))
    .filter((o) => o.count > 0);
  return {
    received: cohort.length,
    answered: onTime + late,
    answeredOnTime: onTime,
    answeredLate: late,
    open: open.length,
    overdue,
    clockStopped: open.filter((r) => r.dueOn === null).length,
    extended: cohort.filter((r) => r.extensionDays !== null).length,
    onTimeRate: onTime + late + overdue === 0 ? null : onTime / (onTime + late + overdue),
    repliedInYear: replied.length,
    byOutcome,
  };
}

function isUnder(code: Code, root: Code): boolean {
  for (let c: Code | null = code; c; c = PARENT[c]) if (c === root) return true;
  return false;
}

/** What requestRollup must answer for `root`'s subtree, from the raw rows: per agency, own and subtree. */
function expectedRollup(rows: readonly ReqRow[], root: Code, year: number, asOf: string) {
  const depth = (c: Code) => {
    let d = 0;
    for (let p = PARENT[c]; p; p = PARENT[p]) d += 1;
    return d;
  };
  const inScope = AGENCIES.filter((a) => isUnder(a, root)).sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  return inScope.map((a) => ({
    agency: { code: a },
    own: count(rows.filter((r) => r.agency === a), year, asOf),
    subtree: count(rows.filter((r) => isUnder(r.agency, a)), year, asOf),
  }));
}

async function rollupDifference(w: World, rows: readonly ReqRow[], context: () => string): Promise<void> {
  for (const asOf of ['2024-06-30', '2024-12-31', '2025-02-01']) {
    setFixedToday(asOf);
    for (const [root, year] of [['c', 2024], ['a1', 2024], ['c', 2025], ['x', 2024]] as Array<[Code, number]>) {
      const res = await w.h.gql(ROLLUP, { f: { year, agencyId: w.ids[root] } }, w.admin[root === 'x' ? 'x' : 'c']);
      withContext(context, () => expect(res.errors).toBeUndefined());
      const got = res.data!.requestRollup.rows.map(({ agencyId: _, ...r }: any) => r);
      withContext(
        () => `${context()}\nrequestRollup root ${root} year ${year} as of ${asOf}`,
        () => expect(got).toEqual(expectedRollup(rows, root, year, asOf)),
      );
    }
  }
}

// ---- the random sequence -------------------------------------------------------------------------

interface Run {
  w: World;
  rng: Rng;
  seed: number;
  step: number;
  log: string[];
  rows: ReqRow[];
}

const where = (r: Run) => () =>
  `seed ${r.seed}, step ${r.step} of ${STEPS} (replay: FIGURES_SEED=${r.seed} FIGURES_STEPS=${r.step + 1})\n` +
  `last steps:\n  ${r.log.slice(-15).join('\n  ')}`;

const short = (id: string) => id.slice(0, 8);
const describeRow = (q: ReqRow) => `${short(q.id)} ${q.agency}/${q.year} due ${q.dueOn ?? '∞'} replied ${q.repliedOn ?? '-'}${q.extensionDays ? ` ext ${q.extensionDays}` : ''}`;

/** A fresh request: open or replied (on time, late, across the year), clock running or stopped, sometimes extended. */
function randomRequest(rng: Rng): Omit<ReqRow, 'id'> {
  const receivedOn = rng.pick(RECEIVED);
  const stopped = rng.chance(0.15);
  const extensionDays = rng.chance(0.25) ? rng.int(1, 20) : null;
  const dueOn = stopped ? null : addDays(receivedOn, rng.int(20, 30) + (extensionDays ?? 0));
  const replied = rng.chance(0.6);
  const repliedOn = replied ? addDays(receivedOn, rng.int(0, 50)) : null;
  return {
    agency: rng.pick(AGENCIES),
    year: rng.chance(0.9) ? Number(receivedOn.slice(0, 4)) : 2023,
    receivedOn,
    dueOn,
    repliedOn,
    outcome: replied ? rng.pick(OUTCOMES) : null,
    extensionDays,
  };
}

type Op =
  | 'insert'
  | 'insertMany'
  | 'reply'
  | 'replyAcrossYear'
  | 'unreply'
  | 'outcome'
  | 'due'
  | 'stopClock'
  | 'extend'
  | 'move'
  | 'year'
  | 'many'
  | 'deleteOne'
  | 'deleteMany'
  | 'swap'
  | 'noop'
  | 'failing';
const OPS: ReadonlyArray<readonly [Op, number]> = [
  ['insert', 14],
  ['insertMany', 8],
  ['reply', 14],
  ['replyAcrossYear', 4],
  ['unreply', 4],
  ['outcome', 5],
  ['due', 8],
  ['stopClock', 5],
  ['extend', 6],
  ['move', 6],
  ['year', 3],
  ['many', 9],
  ['deleteOne', 4],
  ['deleteMany', 3],
  ['swap', 4],
  ['noop', 2],
  ['failing', 2],
];

async function step(r: Run, op: Op): Promise<string> {
  const { w, rng } = r;
  const any = () => rng.pick(r.rows);
  const open = r.rows.filter((q) => q.repliedOn === null);
  const replied = r.rows.filter((q) => q.repliedOn !== null);
  const upd = (setSql: string, id: string, params: unknown[] = []) =>
    exec(w.h, `update info_request set ${setSql} where id = ?::uuid`, [...params, id]);
  if (r.rows.length < 3 && op !== 'insertMany') op = 'insert';

  switch (op) {
    case 'insert': {
      const q = randomRequest(rng);
      const [id] = await insertRequests(w, [q]);
      return `insert ${describeRow({ ...q, id: id! })}`;
    }
    case 'insertMany': {
      const qs = Array.from({ length: rng.int(2, 5) }, () => randomRequest(rng));
      // Sometimes all in one bucket: the statement's delta for it adds up.
      if (rng.chance(0.4)) for (const q of qs) Object.assign(q, { agency: qs[0]!.agency, year: qs[0]!.year, receivedOn: qs[0]!.receivedOn, dueOn: qs[0]!.dueOn });
      for (const q of qs) if (q.repliedOn !== null && q.repliedOn < q.receivedOn) q.repliedOn = q.receivedOn;
      await insertRequests(w, qs);
      return `insertMany ${qs.length} rows`;
    }
    case 'reply': {
      if (open.length === 0) return step(r, 'insert');
      const q = rng.pick(open);
      // On time, on the due date itself, or late; a request with its clock stopped may be answered too.
      const base = q.dueOn ?? addDays(q.receivedOn, 10);
      const on = rng.weighted([['early', 3], ['due', 1], ['late', 3]] as const);
      const repliedOn = on === 'due' ? base : on === 'early' ? addDays(base, -rng.int(0, 10)) : addDays(base, rng.int(1, 20));
      const final = repliedOn < q.receivedOn ? q.receivedOn : repliedOn;
      const outcome = rng.pick(OUTCOMES);
      await upd(`replied_on = ?::date, outcome = ?::request_outcome`, q.id, [final, outcome]);
      return `reply ${describeRow(q)} on ${final} ${outcome}`;
    }
    case 'replyAcrossYear': {
      // Received in the last days of 2024, answered on 31 December or in January: the reply year flips.
      const december = r.rows.filter((x) => x.receivedOn >= '2024-12-20' && x.receivedOn <= '2024-12-31');
      const q = rng.pick(december.length > 0 ? december : r.rows);
      const repliedOn = rng.pick(['2024-12-31', '2025-01-02', '2025-01-20']);
      const final = repliedOn < q.receivedOn ? q.receivedOn : repliedOn;
      await upd(`replied_on = ?::date, outcome = coalesce(outcome, 'DISCLOSED')`, q.id, [final]);
      return `replyAcrossYear ${describeRow(q)} → ${final}`;
    }
    case 'unreply': {
      if (replied.length === 0) return step(r, 'reply');
      const q = rng.pick(replied);
      await upd(`replied_on = null, outcome = null`, q.id);
      return `unreply ${describeRow(q)}`;
    }
    case 'outcome': {
      if (replied.length === 0) return step(r, 'reply');
      const q = rng.pick(replied);
      const outcome = rng.pick(OUTCOMES);
      await upd(`outcome = ?::request_outcome`, q.id, [outcome]);
      return `outcome ${describeRow(q)} ${q.outcome} → ${outcome}`;
    }
    case 'due': {
      const q = any();
      // Often right next to the reply, so that a reply flips between on time and late.
      const base = q.repliedOn && rng.chance(0.6) ? addDays(q.repliedOn, rng.int(-1, 0)) : addDays(q.dueOn ?? q.receivedOn, rng.int(-5, 25));
      await upd(`due_on = ?::date`, q.id, [base]);
      return `due ${describeRow(q)} → ${base}`;
    }
    case 'stopClock': {
      const q = any();
      // Stopped (a consultation starts), or running again with a later due date.
      if (q.dueOn !== null) {
        await upd(`due_on = null`, q.id);
        return `stopClock ${describeRow(q)}`;
      }
      const dueOn = addDays(q.receivedOn, rng.int(20, 45));
      await upd(`due_on = ?::date`, q.id, [dueOn]);
      return `restartClock ${describeRow(q)} → ${dueOn}`;
    }
    case 'extend': {
      const q = any();
      if (q.extensionDays !== null && rng.chance(0.4)) {
        await upd(`extension_days = null, extension_reason = null`, q.id);
        return `unextend ${describeRow(q)}`;
      }
      const k = rng.int(1, 20);
      await upd(`extension_days = ?::int, extension_reason = '需要调取档案', due_on = due_on + ?::int`, q.id, [k, k]);
      return `extend ${describeRow(q)} by ${k}`;
    }
    case 'move': {
      const q = any();
      const to = rng.pick(AGENCIES.filter((a) => a !== q.agency));
      await upd(`agency_id = ?::uuid`, q.id, [w.ids[to]]);
      return `move ${describeRow(q)} → ${to}`;
    }
    case 'year': {
      const q = any();
      await upd(`year = case when year = 2024 then 2025 else 2024 end`, q.id);
      return `year ${describeRow(q)}`;
    }
    case 'many': {
      const chosen = r.rows.filter(() => rng.chance(0.35));
      if (chosen.length < 2) chosen.push(...r.rows.slice(0, 2));
      const ids = uuidArrayLiteral([...new Set(chosen.map((q) => q.id))]);
      const kind = rng.weighted([['shiftDue', 3], ['rotate', 2], ['replyAll', 2], ['stopAll', 1], ['extendAll', 1], ['toAgency', 1]] as const);
      let n = 0;
      switch (kind) {
        case 'shiftDue': {
          const k = rng.int(-6, 8);
          n = (await exec(w.h, `update info_request set due_on = due_on + ?::int where id = any(?::uuid[]) returning id`, [k, ids])).length;
          return `many shiftDue ${k} on ${n}`;
        }
        case 'rotate': {
          // a1 → a2 → a3 → b1 → a1, the others to c: every bucket loses and gains in one statement.
          n = (
            await exec(
              w.h,
              `update info_request set agency_id = case agency_id when ?::uuid then ?::uuid when ?::uuid then ?::uuid when ?::uuid then ?::uuid
                                                                  when ?::uuid then ?::uuid else ?::uuid end
                where id = any(?::uuid[]) returning id`,
              [w.ids.a1, w.ids.a2, w.ids.a2, w.ids.a3, w.ids.a3, w.ids.b1, w.ids.b1, w.ids.a1, w.ids.c, ids],
            )
          ).length;
          return `many rotate on ${n}`;
        }
        case 'replyAll': {
          const k = rng.int(-3, 3);
          n = (
            await exec(
              w.h,
              `update info_request set replied_on = greatest(received_on, coalesce(due_on, received_on + 15) + ?::int), outcome = 'PARTIALLY_DISCLOSED'
                where id = any(?::uuid[]) and replied_on is null returning id`,
              [k, ids],
            )
          ).length;
          return `many replyAll due${k >= 0 ? '+' : ''}${k} on ${n}`;
        }
        case 'stopAll': {
          n = (await exec(w.h, `update info_request set due_on = case when due_on is null then received_on + 25 else null end where id = any(?::uuid[]) returning id`, [ids])).length;
          return `many stop/restart on ${n}`;
        }
        case 'extendAll': {
          n = (
            await exec(
              w.h,
              `update info_request set extension_days = case when extension_days is null then 15 else null end, due_on = due_on + 7
                where id = any(?::uuid[]) returning id`,
              [ids],
            )
          ).length;
          return `many extend/unextend on ${n}`;
        }
        case 'toAgency': {
          const to = rng.pick(AGENCIES);
          n = (await exec(w.h, `update info_request set agency_id = ?::uuid where id = any(?::uuid[]) returning id`, [w.ids[to], ids])).length;
          return `many toAgency ${to} on ${n}`;
        }
      }
      return 'many';
    }
    case 'deleteOne': {
      const q = any();
      await exec(w.h, `delete from info_request where id = ?::uuid`, [q.id]);
      return `deleteOne ${describeRow(q)}`;
    }
    case 'deleteMany': {
      const chosen = r.rows.filter(() => rng.chance(0.2));
      if (chosen.length < 2) chosen.push(any(), any());
      const n = (await exec(w.h, `delete from info_request where id = any(?::uuid[]) returning id`, [uuidArrayLiteral([...new Set(chosen.map((q) => q.id))])])).length;
      return `deleteMany ${n}`;
    }
    case 'swap': {
      const a = any();
      const b = rng.pick(r.rows.filter((q) => q.id !== a.id));
      // Each keeps its receipt date; a reply taken over is moved up to it if need be.
      await exec(
        w.h,
        `update info_request d set agency_id = o.agency_id, due_on = o.due_on,
                replied_on = case when o.replied_on is null then null else greatest(d.received_on, o.replied_on) end, outcome = o.outcome,
                extension_days = o.extension_days
           from info_request o
          where (d.id, o.id) in ((?::uuid, ?::uuid), (?::uuid, ?::uuid))`,
        [a.id, b.id, b.id, a.id],
      );
      return `swap ${describeRow(a)} ⇄ ${describeRow(b)}`;
    }
    case 'noop': {
      const before = await figureSnapshot(w.h);
      const n = (
        await exec(w.h, `update info_request set content = content || '。', applicant_contact = '0537-3411234', updated_at = now(), due_on = due_on, agency_id = agency_id returning id`)
      ).length;
      const after = await figureSnapshot(w.h);
      withContext(where(r), () => expect(after).toEqual(before));
      return `noop on ${n}`;
    }
    case 'failing': {
      // A multi-row statement whose last row breaks a check (a reply before receipt): it rolls back whole.
      const before = await figureSnapshot(w.h);
      await expect(
        exec(
          w.h,
          `update info_request set due_on = due_on + 3,
                  replied_on = case when id = (select id from info_request order by id desc limit 1) then received_on - 1 else replied_on end,
                  outcome = case when id = (select id from info_request order by id desc limit 1) then 'DISCLOSED' else outcome end`,
        ),
      ).rejects.toThrow(/info_request_replied_after_receipt/);
      const after = await figureSnapshot(w.h);
      withContext(where(r), () => expect(after).toEqual(before));
      return `failing (rolled back)`;
    }
  }
}

describe('request figures equal their recomputation from the requests', () => {
  afterAll(() => setFixedToday(null));

  it.each(SEEDS)(
    'after every step of a random sequence of info_request writes (seed %i)',
    async (seed) => {
      const h = await startHarness();
      try {
        const w = await buildWorld(h);
        numbers = 0; // numbers decide the order rows are picked in: a seed replays exactly
        const r: Run = { w, rng: new Rng(seed), seed, step: 0, log: [], rows: [] };
        await expectFiguresEqualReference(h, where(r));
        const done: Record<string, number> = {};
        for (r.step = 0; r.step < STEPS; r.step++) {
          // Three registrations, then every operation once, then at random.
          const op = r.step < 3 ? 'insertMany' : r.step < 3 + OPS.length ? OPS[r.step - 3]![0] : r.rng.weighted(OPS);
          r.log.push(`${r.step}: ${op} …`);
          const what = await step(r, op);
          r.log[r.log.length - 1] = `${r.step}: ${what}`;
          const kind = what.split(' ')[0]!;
          done[kind] = (done[kind] ?? 0) + 1;
          await expectFiguresEqualReference(h, where(r));
          r.rows = await readRequests(w);
          if (r.step % 20 === 19) await rollupDifference(w, r.rows, where(r));
        }
        await rollupDifference(w, r.rows, where(r));
        if (process.env.FIGURES_VERBOSE) console.log(`seed ${seed}: ${JSON.stringify(done)}\n${r.log.join('\n')}`);
        if (STEPS >= 80) {
          // The sequence did what it is meant to exercise (a full run; a shortened replay proves less).
          expect(Object.keys(done).length).toBeGreaterThanOrEqual(12);
          for (const kind of ['reply', 'replyAcrossYear', 'many', 'swap', 'failing']) expect({ kind, done: (done[kind] ?? 0) > 0 }).toEqual({ kind, done: true });
          expect((done.stopClock ?? 0) + (done.restartClock ?? 0)).toBeGreaterThan(0);
          expect((done.extend ?? 0) + (done.unextend ?? 0)).toBeGreaterThan(0);
        }
      } finally {
        setFixedToday(null);
        await h.close();
      }
    },
    300_000,
  );
});

// ---- the same through the workflow mutations ------------------------------------------------------

const W = {
  register: `mutation($i: RegisterInfoRequestInput!) { registerInfoRequest(input: $i) { infoRequest { id number dueOn } } }`,
  correction: `mutation($i: RequestCorrectionInput!) { requestCorrection(input: $i) { infoRequest { id dueOn } } }`,
  corrected: `mutation($i: RecordCorrectionInput!) { recordCorrection(input: $i) { infoRequest { id dueOn } } }`,
  consult: `mutation($i: StartConsultationInput!) { startConsultation(input: $i) { consultation { id } infoRequest { id dueOn } } }`,
  endConsult: `mutation($i: EndConsultationInput!) { endConsultation(input: $i) { infoRequest { id dueOn } } }`,
  extend: `mutation($i: ExtendInfoRequestInput!) { extendInfoRequest(input: $i) { infoRequest { id dueOn extensionDays } } }`,
  reply: `mutation($i: ReplyInfoRequestInput!) { replyInfoRequest(input: $i) { infoRequest { id repliedOn outcome state } } }`,
  appeal: `mutation($i: RecordAppealInput!) { recordAppeal(input: $i) { appeal { id } } }`,
};

/** What the workflow steps need of a request, read back after every step. */
interface FlowRow {
  id: string;
  agency: Code;
  receivedOn: string;
  dueOn: string | null;
  repliedOn: string | null;
  noticeOn: string | null;
  correctedOn: string | null;
  extensionDays: number | null;
  openConsultation: { id: string; startedOn: string } | null;
}

async function readFlow(w: World): Promise<FlowRow[]> {
  const rows = await exec<any>(
    w.h,
    `select r.id, r.agency_id, r.received_on::text as received_on, r.due_on::text as due_on, r.replied_on::text as replied_on,
            r.correction_notice_on::text as notice_on, r.corrected_on::text as corrected_on, r.extension_days,
            (select jsonb_build_object('id', c.id, 'startedOn', c.started_on::text) from request_consultation c
              where c.request_id = r.id and c.ended_on is null limit 1) as open_consultation
       from info_request r order by r.year, r.number, r.agency_id`,
  );
  return rows.map((r) => ({
    id: r.id,
    agency: w.codeOf.get(r.agency_id)!,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    repliedOn: r.replied_on,
    noticeOn: r.notice_on,
    correctedOn: r.corrected_on,
    extensionDays: r.extension_days === null ? null : Number(r.extension_days),
    openConsultation: r.open_consultation,
  }));
}

const SAFE_OUTCOMES = [
  'DISCLOSED',
  'PARTIALLY_DISCLOSED',
  'WITHHELD_THIRD_PARTY',
  'WITHHELD_ENFORCEMENT_FILE',
  'UNAVAILABLE_NOT_HELD',
  'NOT_PROCESSED_REPEATED',
  'NOT_PROCESSED_PETITION',
  'OTHER',
] as const;
const FLOW_AGENCIES = ['c', 'a1', 'b1', 'x'] as const;
const PRELUDE: readonly FlowOp[] = ['correction', 'corrected', 'consult', 'endConsult', 'extend', 'reply', 'appeal'];
type FlowOp = 'register' | 'correction' | 'corrected' | 'consult' | 'endConsult' | 'extend' | 'reply' | 'appeal' | 'refused' | 'sqlDelete';
const FLOW_OPS: ReadonlyArray<readonly [FlowOp, number]> = [
  ['register', 22],
  ['correction', 8],
  ['corrected', 8],
  ['consult', 8],
  ['endConsult', 10],
  ['extend', 8],
  ['reply', 24],
  ['appeal', 4],
  ['refused', 4],
  ['sqlDelete', 3],
];

interface FlowRun {
  w: World;
  rng: Rng;
  seed: number;
  step: number;
  log: string[];
  rows: FlowRow[];
  accepted: Record<string, number>;
  refused: Record<string, number>;
}

const flowWhere = (r: FlowRun) => () =>
  `workflow seed ${r.seed}, step ${r.step} (replay: FIGURES_SEED=${r.seed} FIGURES_STEPS=${r.step + 1})\nlast steps:\n  ${r.log.slice(-15).join('\n  ')}`;

/**
 * One mutation on `date` (today pinned to it). Input errors and conflicts are answers the workflow may
 * give to a random step (a notice after 7 working days, an extension after the due date, a third
 * party's answer after its 15 working days): they must leave every figure as it was.
 */
async function mutate(r: FlowRun, kind: string, query: string, input: Record<string, unknown>, token: string, date: string): Promise<any | null> {
  setFixedToday(date);
  const before = await figureSnapshot(r.w.h);
  const res = await r.w.h.gql(query, { i: input }, token);
  if (res.errors) {
    const code = res.errors[0]?.extensions?.code;
    if (code !== 'BAD_USER_INPUT' && code !== 'CONFLICT') throw new Error(`${flowWhere(r)()}\n\n${kind}: unexpected errors ${JSON.stringify(res.errors)}`);
    const after = await figureSnapshot(r.w.h);
    withContext(flowWhere(r), () => expect(after).toEqual(before));
    r.refused[kind] = (r.refused[kind] ?? 0) + 1;
    return null;
  }
  r.accepted[kind] = (r.accepted[kind] ?? 0) + 1;
  return res.data;
}

async function flowStep(r: FlowRun, op: FlowOp): Promise<string> {
  const { w, rng } = r;
  const open = r.rows.filter((q) => q.repliedOn === null);
  const token = (q: FlowRow) => w.admin[q.agency];
  const day = (from: string, lo: number, hi: number) => addDays(from, rng.int(lo, hi));
  // The prelude walks every step once with dates the workflow accepts; later steps roam wider.
  const gentle = r.step < 4 + PRELUDE.length;
  if (r.rows.length < 2) op = 'register';
  switch (op) {
    case 'register': {
      const agency = rng.pick(FLOW_AGENCIES);
      const submittedOn = day(rng.pick(RECEIVED), 0, 3);
      const letter = rng.chance(0.3);
      const input = {
        agencyId: w.ids[agency],
        channel: letter ? 'LETTER' : 'ONLINE',
        applicantType: 'NATURAL_PERSON',
        applicantName: `申请人${r.step}`,
        content: '申请公开治安管理处罚裁量基准',
        submittedOn,
        receivedOn: letter ? addDays(submittedOn, 2) : null,
      };
      const d = await mutate(r, op, W.register, input, w.admin[agency], addDays(submittedOn, 3));
      return `register ${agency} ${submittedOn}${letter ? ' by post' : ''} → ${d ? `${d.registerInfoRequest.infoRequest.number} due ${d.registerInfoRequest.infoRequest.dueOn}` : 'refused'}`;
    }
    case 'correction': {
      const candidates = open.filter((q) => !q.noticeOn && !q.openConsultation);
      if (candidates.length === 0) return flowStep(r, 'register');
      const q = rng.pick(candidates);
      const noticeOn = day(q.receivedOn, 0, gentle ? 3 : 11);
      const d = await mutate(r, op, W.correction, { id: q.id, noticeOn, text: '请明确所需信息的名称或文号' }, token(q), noticeOn);
      return `correction ${short(q.id)} received ${q.receivedOn} notice ${noticeOn} → ${d ? `due ${d.requestCorrection.infoRequest.dueOn ?? '∞'}` : 'refused'}`;
    }
    case 'corrected': {
      const candidates = open.filter((q) => q.noticeOn && !q.correctedOn);
      if (candidates.length === 0) return flowStep(r, 'correction');
      const q = rng.pick(candidates);
      const correctedOn = day(q.noticeOn!, 0, gentle ? 5 : 12);
      const d = await mutate(r, op, W.corrected, { id: q.id, correctedOn }, token(q), correctedOn);
      return `corrected ${short(q.id)} on ${correctedOn} → ${d ? `due ${d.recordCorrection.infoRequest.dueOn}` : 'refused'}`;
    }
    case 'consult': {
      const candidates = open.filter((q) => !(q.noticeOn && !q.correctedOn));
      if (candidates.length === 0) return flowStep(r, 'register');
      const q = rng.pick(candidates);
      const startedOn = day(q.correctedOn ?? q.receivedOn, 0, gentle ? 3 : 15);
      const kind = rng.chance(0.7) ? 'THIRD_PARTY' : 'OTHER_AGENCY';
      const d = await mutate(r, op, W.consult, { id: q.id, kind, party: kind === 'THIRD_PARTY' ? '某物流公司' : '兖州区交通运输局', startedOn }, token(q), startedOn);
      return `consult ${short(q.id)} ${kind} from ${startedOn} → ${d ? `due ${d.startConsultation.infoRequest.dueOn ?? '∞'}` : 'refused'}`;
    }
    case 'endConsult': {
      const candidates = open.filter((q) => q.openConsultation);
      if (candidates.length === 0) return flowStep(r, 'consult');
      const q = rng.pick(candidates);
      const endedOn = day(q.openConsultation!.startedOn, 0, gentle ? 8 : 24);
      const d = await mutate(r, op, W.endConsult, { consultationId: q.openConsultation!.id, endedOn }, token(q), endedOn);
      return `endConsult ${short(q.id)} on ${endedOn} → ${d ? `due ${d.endConsultation.infoRequest.dueOn ?? '∞'}` : 'refused'}`;
    }
    case 'extend': {
      const candidates = open.filter((q) => q.dueOn && q.extensionDays === null);
      if (candidates.length === 0) return flowStep(r, 'register');
      const q = rng.pick(candidates);
      const noticeOn = gentle || rng.chance(0.8) ? day(q.dueOn!, -12, 0) : day(q.dueOn!, 1, 5);
      const from = q.correctedOn ?? q.receivedOn;
      const on = noticeOn < from ? from : noticeOn;
      const days = rng.int(1, 20);
      const d = await mutate(r, op, W.extend, { id: q.id, days, reason: '需调取档案', approvedBy: '政务公开办负责人', noticeOn: on }, token(q), on);
      return `extend ${short(q.id)} by ${days} on ${on} (due ${q.dueOn}) → ${d ? `due ${d.extendInfoRequest.infoRequest.dueOn}` : 'refused'}`;
    }
    case 'reply': {
      const answerable = gentle ? open.filter((q) => !q.openConsultation) : open;
      if (answerable.length === 0) return flowStep(r, 'register');
      const q = rng.pick(answerable);
      const waiting = q.noticeOn !== null && q.correctedOn === null;
      const base = q.dueOn ?? q.correctedOn ?? q.noticeOn ?? q.receivedOn;
      const repliedOn = waiting ? day(q.noticeOn!, 0, 30) : rng.chance(0.6) ? day(base, -8, 0) : day(base, 1, 15);
      const from = q.correctedOn ?? q.receivedOn;
      const on = repliedOn < from ? from : repliedOn;
      const outcome = waiting ? 'OTHER_NOT_CORRECTED' : rng.pick(SAFE_OUTCOMES);
      const d = await mutate(r, op, W.reply, { id: q.id, outcome, repliedOn: on, legalBasis: '《政府信息公开条例》' }, token(q), on);
      return `reply ${short(q.id)} ${outcome} on ${on} (due ${q.dueOn ?? '∞'}) → ${d ? d.replyInfoRequest.infoRequest.state : 'refused'}`;
    }
    case 'appeal': {
      const replied = r.rows.filter((q) => q.repliedOn !== null);
      if (replied.length === 0) return flowStep(r, 'reply');
      const q = rng.pick(replied);
      const filedOn = day(q.repliedOn!, 1, 40);
      const d = await mutate(r, op, W.appeal, { requestId: q.id, kind: 'RECONSIDERATION', filedOn }, token(q), filedOn);
      return `appeal ${short(q.id)} filed ${filedOn} → ${d ? 'recorded' : 'refused'}`;
    }
    case 'refused': {
      // A reply dated before the receipt: refused whole, nothing changes.
      if (open.length === 0) return flowStep(r, 'register');
      const q = rng.pick(open);
      const d = await mutate(r, 'reply', W.reply, { id: q.id, outcome: 'DISCLOSED', repliedOn: addDays(q.receivedOn, -1), legalBasis: '依据' }, token(q), q.receivedOn);
      if (d !== null) throw new Error(`${flowWhere(r)()}\n\na reply before receipt was accepted`);
      return `refused reply before receipt ${short(q.id)}`;
    }
    case 'sqlDelete': {
      const q = rng.pick(r.rows);
      await exec(w.h, `delete from info_request where id = ?::uuid`, [q.id]);
      return `sqlDelete ${short(q.id)} ${q.agency} (replied ${q.repliedOn ?? '-'})`;
    }
  }
}

describe('request figures through the workflow mutations', () => {
  afterAll(() => setFixedToday(null));

  it.each(SEEDS)(
    'after every step of a random sequence of registrations, corrections, consultations, extensions, replies and appeals (seed %i)',
    async (seed) => {
      const h = await startHarness();
      try {
        const w = await buildWorld(h);
        const r: FlowRun = { w, rng: new Rng(seed), seed, step: 0, log: [], rows: [], accepted: {}, refused: {} };
        for (r.step = 0; r.step < STEPS; r.step++) {
          const op = r.step < 4 ? 'register' : r.step < 4 + PRELUDE.length ? PRELUDE[r.step - 4]! : r.rng.weighted(FLOW_OPS);
          r.log.push(`${r.step}: ${op} …`);
          r.log[r.log.length - 1] = `${r.step}: ${await flowStep(r, op)}`;
          await expectFiguresEqualReference(h, flowWhere(r));
          r.rows = await readFlow(w);
        }
        setFixedToday('2025-03-01');
        await expectFiguresEqualReference(h, flowWhere(r));
        // The roll-up against the TypeScript count from the raw rows, as above.
        await rollupDifference(w, await readRequests(w), flowWhere(r));
        if (process.env.FIGURES_VERBOSE) console.log(`seed ${seed}: accepted ${JSON.stringify(r.accepted)} refused ${JSON.stringify(r.refused)}\n${r.log.join('\n')}`);
        if (STEPS >= 80) {
          for (const kind of ['register', 'correction', 'corrected', 'consult', 'endConsult', 'extend', 'reply']) {
            expect({ kind, accepted: (r.accepted[kind] ?? 0) > 0 }).toEqual({ kind, accepted: true });
          }
          expect(Object.values(r.refused).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        }
      } finally {
        setFixedToday(null);
        await h.close();
      }
    },
    300_000,
  );
});

// ---- concurrency ---------------------------------------------------------------------------------

describe('request figures under concurrent writers on one bucket', () => {
  let h: Harness;
  let w: World;
  const context = (what: string) => () => what;
  const BUCKET = { year: 2024, dueOn: '2024-07-26' };

  async function bucket(code: Code): Promise<Record<string, number> | undefined> {
    const [row] = await exec<any>(
      h,
      `select received, replied_on_time, replied_late, open, extended from figure_request_agency
        where agency_id = ?::uuid and year = ?::int and due_on = ?::date`,
      [w.ids[code], BUCKET.year, BUCKET.dueOn],
    );
    return row ? Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) : undefined;
  }

  /** `n` transactions that each write, then wait, so that all of them hold their writes at once before committing. */
  async function concurrently(n: number, write: (i: number) => { query: string; params: unknown[] }): Promise<void> {
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        h.em().transactional(async (tx) => {
          const c = tx.getConnection();
          const { query, params } = write(i);
          await c.execute(query, params as never[], 'all', tx.getTransactionContext());
          await c.execute(`select pg_sleep(0.2)`, [], 'all', tx.getTransactionContext());
        }),
      ),
    );
  }

  beforeAll(async () => {
    h = await startHarness();
    w = await buildWorld(h);
  }, 120_000);
  afterAll(() => h.close());

  it('8 concurrent registrations in one bucket (one new, one existing): each counts once', async () => {
    const insert = (i: number) => ({
      query: `insert into info_request (id, agency_id, year, number, channel, applicant_type, applicant_name, content, submitted_on, received_on, registered_by, due_on)
              values (gen_random_uuid(), ?::uuid, 2024, ?, 'LETTER', 'NATURAL_PERSON', '李某', '申请公开交通事故认定依据', '2024-06-28', '2024-06-28', 'sql', ?::date)`,
      params: [w.ids.a1, `C-${i}`, BUCKET.dueOn],
    });
    // The bucket does not exist yet: all 8 race to create it.
    await concurrently(8, insert);
    expect(await bucket('a1')).toEqual({ received: 8, replied_on_time: 0, replied_late: 0, open: 8, extended: 0 });
    await concurrently(8, (i) => insert(100 + i));
    expect(await bucket('a1')).toEqual({ received: 16, replied_on_time: 0, replied_late: 0, open: 16, extended: 0 });
    await expectFiguresEqualReference(h, context('after concurrent registrations'));
  });

  it('concurrent replies (on time and late), extensions and deletions in one bucket', async () => {
    const ids = (await exec<{ id: string }>(h, `select id from info_request where agency_id = ?::uuid order by id`, [w.ids.a1])).map((x) => x.id);
    expect(ids).toHaveLength(16);
    await concurrently(16, (i) => {
      const id = ids[i]!;
      if (i < 5) return { query: `update info_request set replied_on = '2024-07-20', outcome = 'DISCLOSED' where id = ?::uuid`, params: [id] };
      if (i < 8) return { query: `update info_request set replied_on = '2024-08-02', outcome = 'WITHHELD_THIRD_PARTY' where id = ?::uuid`, params: [id] };
      if (i < 11) return { query: `update info_request set extension_days = 10 where id = ?::uuid`, params: [id] };
      if (i < 13) return { query: `delete from info_request where id = ?::uuid`, params: [id] };
      // Moved out of the bucket to another agency and to the stopped clock.
      return { query: `update info_request set due_on = null where id = ?::uuid`, params: [id] };
    });
    expect(await bucket('a1')).toEqual({ received: 11, replied_on_time: 5, replied_late: 3, open: 3, extended: 3 });
    const outcomes = await exec<any>(h, `select outcome::text as outcome, n from figure_request_outcome where agency_id = ?::uuid order by outcome`, [w.ids.a1]);
    expect(outcomes).toEqual([
      { outcome: 'DISCLOSED', n: 5 },
      { outcome: 'WITHHELD_THIRD_PARTY', n: 3 },
    ]);
    await expectFiguresEqualReference(h, context('after concurrent replies, extensions and deletions'));
  });

  it('12 concurrent registerInfoRequest requests through HTTP for one agency and day: one bucket, exactly 12 more', async () => {
    setFixedToday('2024-07-05');
    const input = (n: number) => ({
      agencyId: w.ids.a2, channel: 'ONLINE', applicantType: 'NATURAL_PERSON', applicantName: `并发${n}`,
      content: '申请公开出入境证件办理时限', submittedOn: '2024-07-01',
    });
    const responses = await Promise.all(Array.from({ length: 12 }, (_, n) => h.gql(W.register, { i: input(n) }, w.admin.a2)));
    expect(responses.map((res) => res.errors ?? null)).toEqual(Array(12).fill(null));
    const dues = new Set(responses.map((res) => (res.data as any).registerInfoRequest.infoRequest.dueOn as string));
    expect(dues.size).toBe(1);
    const [due] = [...dues] as [string];
    const [row] = await exec<any>(h, `select received, open from figure_request_agency where agency_id = ?::uuid and year = 2024 and due_on = ?::date`, [w.ids.a2, due]);
    expect({ received: Number(row.received), open: Number(row.open) }).toEqual({ received: 12, open: 12 });
    // … and concurrent replies to all twelve, half on time and half late.
    const ids = (await exec<{ id: string }>(h, `select id from info_request where agency_id = ?::uuid order by number`, [w.ids.a2])).map((x) => x.id);
    setFixedToday('2024-09-30');
    const replies = await Promise.all(
      ids.map((id, n) =>
        h.gql(W.reply, { i: { id, outcome: n % 2 ? 'DISCLOSED' : 'UNAVAILABLE_NOT_HELD', repliedOn: addDays(due, n % 2 ? -1 : 3), legalBasis: '《政府信息公开条例》' } }, w.admin.a2),
      ),
    );
    expect(replies.map((res) => res.errors ?? null)).toEqual(Array(12).fill(null));
    const [after] = await exec<any>(h, `select received, replied_on_time, replied_late, open from figure_request_agency where agency_id = ?::uuid and year = 2024 and due_on = ?::date`, [w.ids.a2, due]);
    expect(Object.fromEntries(Object.entries(after).map(([k, v]) => [k, Number(v)]))).toEqual({ received: 12, replied_on_time: 6, replied_late: 6, open: 0 });
    await expectFiguresEqualReference(h, context('after concurrent registrations and replies through HTTP'));
    setFixedToday(null);
  });

  it('concurrent deletions that empty the bucket remove it; the reference agrees', async () => {
    const ids = (await exec<{ id: string }>(h, `select id from info_request where agency_id = ?::uuid and due_on = ?::date`, [w.ids.a1, BUCKET.dueOn])).map((x) => x.id);
    await concurrently(ids.length, (i) => ({ query: `delete from info_request where id = ?::uuid`, params: [ids[i]] }));
    expect(await bucket('a1')).toBeUndefined();
    await expectFiguresEqualReference(h, context('after the bucket emptied'));
  });
});

// ---- the roll-up by hand, and tenancy ------------------------------------------------------------

describe('requestRollup on a small tree, by hand', () => {
  let h: Harness;
  let w: World;
  const byCode = (data: any) => Object.fromEntries(data.requestRollup.rows.map((row: any) => [row.agency.code, row]));
  const zero = { received: 0, answered: 0, answeredOnTime: 0, answeredLate: 0, open: 0, overdue: 0, clockStopped: 0, extended: 0, onTimeRate: null, repliedInYear: 0, byOutcome: [] };

  beforeAll(async () => {
    h = await startHarness();
    w = await buildWorld(h);
    const q = (agency: Code, receivedOn: string, dueOn: string | null, repliedOn: string | null, outcome: RequestOutcome | null, extensionDays: number | null = null, year = Number(receivedOn.slice(0, 4))) =>
      ({ agency, year, receivedOn, dueOn, repliedOn, outcome, extensionDays });
    await insertRequests(w, [
      // a1: on time; late; open and overdue; open, extended, due after today
      q('a1', '2024-03-01', '2024-03-29', '2024-03-20', RequestOutcome.DISCLOSED),
      q('a1', '2024-05-06', '2024-06-03', '2024-06-10', RequestOutcome.PARTIALLY_DISCLOSED),
      q('a1', '2024-10-08', '2024-11-05', null, null),
      q('a1', '2024-11-11', '2024-12-23', null, null, 10),
      // b1: open with the clock stopped (a third party consulted); received in December, answered in January;
      // received in 2023, answered in 2024
      q('b1', '2024-06-03', null, null, null),
      q('b1', '2024-12-20', '2025-01-17', '2025-01-10', RequestOutcome.DISCLOSED),
      q('b1', '2023-12-25', '2024-01-22', '2024-01-15', RequestOutcome.WITHHELD_THIRD_PARTY),
      // a2: on time; answered while the clock stood (the applicant never corrected)
      q('a2', '2024-02-01', '2024-02-29', '2024-02-20', RequestOutcome.NOT_PROCESSED_REPEATED),
      q('a2', '2024-04-01', null, '2024-04-10', RequestOutcome.OTHER_NOT_CORRECTED),
      // c: late after an extension
      q('c', '2024-07-01', '2024-07-29', '2024-08-05', RequestOutcome.UNAVAILABLE_NOT_HELD, 15),
      // x (another province): never in c's roll-up
      q('x', '2024-07-01', '2024-07-29', null, null),
    ]);
    await expectFiguresEqualReference(h, context('after the fixture'));
  }, 120_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });
  const context = (what: string) => () => what;

  it('per agency, own and subtree: received, on time, late, open, overdue, stopped, extended, outcomes; parent = own + children', async () => {
    setFixedToday('2024-11-20');
    const res = await h.gql(ROLLUP, { f: { year: 2024 } }, w.admin.c);
    expect(res.errors).toBeUndefined();
    expect(res.data!.requestRollup.asOf).toBe('2024-11-20');
    expect(res.data!.requestRollup.rows.map((r: any) => r.agency.code)).toEqual(['c', 'a1', 'a2', 'a3', 'b1']);
    const rows = byCode(res.data);
    expect(rows.a1.own).toEqual({
      received: 4, answered: 2, answeredOnTime: 1, answeredLate: 1, open: 2, overdue: 1, clockStopped: 0, extended: 1,
      onTimeRate: 1 / 3, repliedInYear: 2,
      byOutcome: [{ outcome: 'DISCLOSED', count: 1 }, { outcome: 'PARTIALLY_DISCLOSED', count: 1 }],
    });
    expect(rows.b1.own).toEqual({
      received: 2, answered: 1, answeredOnTime: 1, answeredLate: 0, open: 1, overdue: 0, clockStopped: 1, extended: 0,
      onTimeRate: 1, repliedInYear: 1, byOutcome: [{ outcome: 'WITHHELD_THIRD_PARTY', count: 1 }],
    });
    expect(rows.b1.subtree).toEqual(rows.b1.own);
    expect(rows.a1.subtree).toEqual({
      received: 6, answered: 3, answeredOnTime: 2, answeredLate: 1, open: 3, overdue: 1, clockStopped: 1, extended: 1,
      onTimeRate: 0.5, repliedInYear: 3,
      byOutcome: [{ outcome: 'DISCLOSED', count: 1 }, { outcome: 'PARTIALLY_DISCLOSED', count: 1 }, { outcome: 'WITHHELD_THIRD_PARTY', count: 1 }],
    });
    expect(rows.a2.own).toEqual({
      received: 2, answered: 2, answeredOnTime: 2, answeredLate: 0, open: 0, overdue: 0, clockStopped: 0, extended: 0,
      onTimeRate: 1, repliedInYear: 2,
      byOutcome: [{ outcome: 'NOT_PROCESSED_REPEATED', count: 1 }, { outcome: 'OTHER_NOT_CORRECTED', count: 1 }],
    });
    expect(rows.a3.own).toEqual(zero);
    expect(rows.a3.subtree).toEqual(zero);
    expect(rows.c.own).toEqual({
      received: 1, answered: 1, answeredOnTime: 0, answeredLate: 1, open: 0, overdue: 0, clockStopped: 0, extended: 1,
      onTimeRate: 0, repliedInYear: 1, byOutcome: [{ outcome: 'UNAVAILABLE_NOT_HELD', count: 1 }],
    });
    expect(rows.c.subtree).toEqual({
      received: 9, answered: 6, answeredOnTime: 4, answeredLate: 2, open: 3, overdue: 1, clockStopped: 1, extended: 2,
      onTimeRate: 4 / 7, repliedInYear: 6,
      byOutcome: [
        { outcome: 'DISCLOSED', count: 1 },
        { outcome: 'PARTIALLY_DISCLOSED', count: 1 },
        { outcome: 'WITHHELD_THIRD_PARTY', count: 1 },
        { outcome: 'UNAVAILABLE_NOT_HELD', count: 1 },
        { outcome: 'NOT_PROCESSED_REPEATED', count: 1 },
        { outcome: 'OTHER_NOT_CORRECTED', count: 1 },
      ],
    });
    // Every parent's subtree is its own figures plus its children's subtrees (counts and outcomes).
    const children: Record<string, string[]> = { c: ['a1', 'a2', 'a3'], a1: ['b1'] };
    for (const [parent, kids] of Object.entries(children)) {
      for (const k of ['received', 'answered', 'answeredOnTime', 'answeredLate', 'open', 'overdue', 'clockStopped', 'extended', 'repliedInYear']) {
        expect(rows[parent].subtree[k]).toBe(rows[parent].own[k] + kids.reduce((s, kid) => s + rows[kid].subtree[k], 0));
      }
      const outcomes = new Map<string, number>();
      for (const f of [rows[parent].own, ...kids.map((kid) => rows[kid].subtree)]) {
        for (const o of f.byOutcome) outcomes.set(o.outcome, (outcomes.get(o.outcome) ?? 0) + o.count);
      }
      expect(Object.fromEntries(rows[parent].subtree.byOutcome.map((o: any) => [o.outcome, o.count]))).toEqual(Object.fromEntries(outcomes));
    }
  });

  it('overdue moves with today: nothing time-relative is stored', async () => {
    setFixedToday('2024-11-05');
    let rows = byCode((await h.gql(ROLLUP, { f: { year: 2024 } }, w.admin.c)).data);
    expect(rows.a1.own.overdue).toBe(0); // due today is not overdue yet
    setFixedToday('2024-12-24');
    rows = byCode((await h.gql(ROLLUP, { f: { year: 2024 } }, w.admin.c)).data);
    expect(rows.a1.own.overdue).toBe(2); // and the extended one, due 2024-12-23
    expect(rows.b1.own.overdue).toBe(0); // the stopped clock is never overdue
    expect(rows.c.subtree.onTimeRate).toBeCloseTo(4 / 8, 10);
  });

  it('the year of the reply decides the outcome counts; the year of receipt the others', async () => {
    setFixedToday('2025-02-01');
    const rows = byCode((await h.gql(ROLLUP, { f: { year: 2025 } }, w.admin.c)).data);
    expect(rows.b1.own).toEqual({ ...zero, repliedInYear: 1, byOutcome: [{ outcome: 'DISCLOSED', count: 1 }] });
    expect(rows.c.subtree).toEqual({ ...zero, repliedInYear: 1, byOutcome: [{ outcome: 'DISCLOSED', count: 1 }] });
  });

  it('tenancy: a sibling’s figures are not visible, a roll-up rooted at another agency is NOT_FOUND', async () => {
    setFixedToday('2024-11-20');
    const own = await h.gql(ROLLUP, { f: { year: 2024 } }, w.admin.a2);
    expect(own.errors).toBeUndefined();
    expect(own.data!.requestRollup.rows.map((r: any) => r.agency.code)).toEqual(['a2']);
    expect(own.data!.requestRollup.rows[0].subtree.received).toBe(2);
    for (const root of ['a1', 'b1', 'c', 'x'] as const) {
      const res = await h.gql(ROLLUP, { f: { year: 2024, agencyId: w.ids[root] } }, w.admin.a2);
      expect({ root, code: res.errors?.[0]?.extensions?.code }).toEqual({ root, code: 'NOT_FOUND' });
      expect(res.data).toBeNull();
    }
    // A branch sees itself only; the other province sees its own request and nothing of c's tree.
    const branch = await h.gql(ROLLUP, { f: { year: 2024 } }, w.admin.b1);
    expect(branch.data!.requestRollup.rows.map((r: any) => [r.agency.code, r.subtree.received])).toEqual([['b1', 2]]);
    const other = await h.gql(ROLLUP, { f: { year: 2024 } }, w.admin.x);
    expect(other.data!.requestRollup.rows.map((r: any) => [r.agency.code, r.subtree.received, r.subtree.overdue])).toEqual([['x', 1, 1]]);
    // A sub-root of the caller's own subtree is allowed.
    const sub = await h.gql(ROLLUP, { f: { year: 2024, agencyId: w.ids.a1 } }, w.admin.c);
    expect(sub.data!.requestRollup.rows.map((r: any) => r.agency.code)).toEqual(['a1', 'b1']);
  });

  it('the check finds a corrupted figure and a rebuild from the reference views repairs it', async () => {
    const before = await figureSnapshot(h);
    await exec(h, `update figure_request_agency set open = open + 1 where agency_id = ?::uuid`, [w.ids.a1]);
    await exec(h, `delete from figure_request_outcome where agency_id = ?::uuid`, [w.ids.a2]);
    const mismatches = await compareFiguresWithReference(h.em(), requestTables);
    expect(new Set(mismatches.map((m) => `${m.table}/${m.side}`))).toEqual(
      new Set(['figure_request_agency/MAINTAINED', 'figure_request_agency/REFERENCE', 'figure_request_outcome/REFERENCE']),
    );
    const rebuilt = await rebuildFigures(h.orm, requestTables);
    expect(rebuilt.map((r) => [r.table, r.rows])).toEqual([
      ['figure_request_agency', (before as any[]).filter((r) => 'received' in r).length],
      ['figure_request_outcome', (before as any[]).filter((r) => 'n' in r).length],
    ]);
    expect(await figureSnapshot(h)).toEqual(before);
  });

  it('bad input: a year out of range names the field', async () => {
    const res = await h.gql(ROLLUP, { f: { year: 1999 } }, w.admin.c);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.year' });
  });
});
