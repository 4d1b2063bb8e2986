/**
 * The province data set, written in bulk from the superuser connection (row-level security does not
 * apply to it), bypassing the API:
 *
 * - a province department, `cities` city bureaus and on average `branchesPerCity` district branches /
 *   county bureaus per city (cities differ: 0.6×–1.4× the average), ≈20 units each (more at the top);
 * - for every agency its own AGENCY catalogue for each year firstYear … current year, each holding the
 *   same `itemsPerAgency` items (copied per year with new ids, as `copyCatalogue` does), with real
 *   deadline rules: 20 and 7 working days, keep-current with maxAgeDays 30 / 90, keep-current
 *   without a maximum, yearly by 31 January, and items whose wording gave no rule;
 * - publications spread over firstYear-01-01 … today, per item and year, with formation dates spread
 *   evenly (stratified) over the year; due dates from the real deadline engine
 *   (`publicationDeadline` with the stored working calendar, as `calendarService.load` builds it),
 *   memoised per (rule, disclosure attribute, formation date) — a few thousand engine calls;
 * - agencies of three kinds of diligence (published on time / late / never) and items left empty.
 * - work plans and tasks for this year and last year (bench/plan-dataset.ts), same agencies and diligence.
 *
 * Returns what the scenarios need (accounts, ids) and what the report prints (sizes, timings).
 */
import type { Client } from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { calendarService } from '../src/modules/calendar/calendar.service';
import { addDays, daysBetween } from '../src/modules/calendar/date-utils';
import type { DeadlineRule } from '../src/modules/calendar/deadline-rule';
import { publicationDeadline, type DisclosureAttributeValue } from '../src/modules/publication/publication-deadline';
import type { DatasetConfig } from './config';
import { apportion, insertColumns, pad, PG_ARRAY, prng, unitAt } from './gen-util';
import { generatePlans, type PlanDatasetSizes } from './plan-dataset';
import { generateAssessment } from './assessment-dataset';

type RuleKey = 'WD20' | 'WD7' | 'KC30' | 'KC90' | 'KC' | 'Y0131' | 'NONE';

const RULES: Record<RuleKey, { rule: DeadlineRule | null; text: string }> = {
  WD20: { rule: { kind: 'WORKING_DAYS', days: 20 }, text: '自该信息形成或者变更之日起20个工作日内' },
  WD7: { rule: { kind: 'WORKING_DAYS', days: 7 }, text: '信息形成后7个工作日内' },
  KC30: { rule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, text: '动态更新（每月至少一次）' },
  KC90: { rule: { kind: 'KEEP_CURRENT', maxAgeDays: 90 }, text: '动态更新（每季度至少一次）' },
  KC: { rule: { kind: 'KEEP_CURRENT' }, text: '动态更新' },
  Y0131: { rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, text: '每年1月31日前' },
  NONE: { rule: null, text: '动态跟新' },
};

/**
 * One agency's catalogue (the same every year). `perYear`: publications per full year for items
 * with a steady rhythm; `weight`: share of the remaining volume for items published as things happen.
 */
const ITEMS: Array<{ category: string; name: string; rule: RuleKey; type: string | null; perYear?: number; weight?: number }> = [
  { category: '机构信息', name: '机构职能', rule: 'KC', type: 'MANAGEMENT', perYear: 2 },
  { category: '机构信息', name: '领导信息', rule: 'KC90', type: 'MANAGEMENT', perYear: 5 },
  { category: '机构信息', name: '内设机构', rule: 'KC', type: 'MANAGEMENT', perYear: 2 },
  { category: '政策文件', name: '规范性文件', rule: 'WD20', type: 'POLICY', weight: 1 },
  { category: '政策文件', name: '部门文件', rule: 'WD20', type: 'POLICY', weight: 2 },
  { category: '政策文件', name: '政策解读', rule: 'WD20', type: 'POLICY', weight: 1.5 },
  { category: '工作动态', name: '工作动态', rule: 'WD7', type: 'EXECUTION', weight: 9 },
  { category: '工作动态', name: '警情通报', rule: 'WD7', type: 'RESULT', weight: 4 },
  { category: '通知公告', name: '通知公告', rule: 'WD7', type: 'SERVICE', weight: 4 },
  { category: '通知公告', name: '招聘录用', rule: 'WD20', type: 'MANAGEMENT', weight: 0.6 },
  { category: '财政资金', name: '部门预算', rule: 'WD20', type: 'MANAGEMENT', weight: 0.3 },
  { category: '财政资金', name: '部门决算', rule: 'WD20', type: 'MANAGEMENT', weight: 0.3 },
  { category: '行政执法', name: '行政许可结果', rule: 'WD7', type: 'RESULT', weight: 6 },
  { category: '行政执法', name: '行政处罚结果', rule: 'WD20', type: 'RESULT', weight: 5 },
  { category: '行政执法', name: '双随机一公开', rule: 'WD20', type: 'RESULT', weight: 1 },
  { category: '办事服务', name: '办事指南', rule: 'KC30', type: 'SERVICE', perYear: 14 },
  { category: '办事服务', name: '便民服务', rule: 'KC30', type: 'SERVICE', perYear: 14 },
  { category: '办事服务', name: '交通安全提示', rule: 'KC30', type: 'SERVICE', perYear: 16 },
  { category: '建议提案', name: '建议提案办理结果', rule: 'WD20', type: 'RESULT', weight: 0.8 },
  { category: '重大决策', name: '决策预公开', rule: 'WD20', type: 'DECISION', weight: 0.5 },
  { category: '年度报告', name: '政府信息公开工作年度报告', rule: 'Y0131', type: null, perYear: 1 },
  { category: '监督保障', name: '投诉举报受理', rule: 'KC90', type: 'MANAGEMENT', perYear: 5 },
  { category: '户政管理', name: '户政业务公告', rule: 'NONE', type: 'SERVICE', perYear: 10 },
  { category: '出入境管理', name: '出入境业务公告', rule: 'NONE', type: 'SERVICE', perYear: 8 },
  { category: '交通管理', name: '道路交通事故统计', rule: 'NONE', type: 'RESULT', perYear: 12 },
];

/** Diligence of an agency: shares of due publications published on time, late, never. */
const PROFILES = {
  DILIGENT: { onTime: 0.94, late: 0.045, lateMean: 5, noDue: 0.97, emptyItem: 0.02 },
  AVERAGE: { onTime: 0.78, late: 0.15, lateMean: 14, noDue: 0.88, emptyItem: 0.06 },
  LAX: { onTime: 0.5, late: 0.3, lateMean: 35, noDue: 0.65, emptyItem: 0.22 },
} as const;
export type Profile = keyof typeof PROFILES;

export interface GenAgency {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
  path: string;
  units: string[];
  profile: Profile;
  /** Volume multiplier (bigger agencies publish more). */
  activity: number;
}

export interface DatasetResult {
  today: string;
  sizes: {
    agencies: number;
    cities: number;
    branches: number;
    units: number;
    catalogues: number;
    catalogueItems: number;
    itemsPerCatalogue: number;
    catalogueYears: number[];
    publications: number;
    byOutcome: Record<string, number>;
    byProfile: Record<string, number>;
    /** Work plans and tasks (bench/plan-dataset.ts); absent with BENCH_TASKS_MAX=0. */
    plans?: PlanDatasetSizes;
    tableBytes: Record<string, string>;
  };
  timingsMs: Record<string, number>;
  province: GenAgency;
  city: GenAgency;
  branch: GenAgency;
  accounts: {
    provinceAdmin: string;
    cityAdmin: string;
    liaison: string;
    head: string;
    leader: string;
  };
  /** A current-year WD20 item of the write branch, and the unit of its liaison. */
  writeItemId: string;
  writeUnitId: string;
}

const label = (id: string) => id.replace(/-/g, '');

export function buildTree(cfg: DatasetConfig, rnd: () => number): GenAgency[] {
  const agencies: GenAgency[] = [];
  const profileOf = (): Profile => {
    const r = rnd();
    return r < 0.3 ? 'DILIGENT' : r < 0.75 ? 'AVERAGE' : 'LAX';
  };
  const make = (code: string, name: string, kind: string, parent: GenAgency | null, units: number, profile: Profile, activity: number) => {
    const id = randomUUID();
    const a: GenAgency = {
      id,
      code,
      name,
      kind,
      parentId: parent?.id ?? null,
      path: parent ? `${parent.path}.${label(id)}` : label(id),
      units: Array.from({ length: units }, () => randomUUID()),
      profile,
      activity,
    };
    agencies.push(a);
    return a;
  };
  const u = cfg.unitsPerAgency;
  const province = make('bench', '基准省公安厅', 'PROVINCIAL_DEPARTMENT', null, u * 2, 'DILIGENT', 1.6);
  const branchCounts = apportion(
    cfg.cities * cfg.branchesPerCity,
    Array.from({ length: cfg.cities }, (_, i) => 0.6 + 0.8 * ((i * 0.618034) % 1)),
  );
  for (let c = 0; c < cfg.cities; c++) {
    // The first city is always of average diligence: the city scenarios use it.
    const city = make(`bench-c${pad(c + 1)}`, `基准市公安局${pad(c + 1)}`, 'CITY_BUREAU', province, Math.round(u * 1.3), c === 0 ? 'AVERAGE' : profileOf(), 1.3);
    for (let b = 0; b < branchCounts[c]!; b++) {
      const county = b % 3 === 2;
      make(
        `bench-c${pad(c + 1)}-b${pad(b + 1)}`,
        `基准市公安局${pad(c + 1)}${county ? `县局${pad(b + 1)}` : `第${b + 1}分局`}`,
        county ? 'COUNTY_BUREAU' : 'DISTRICT_BRANCH',
        city,
        u - 3 + ((c + b) % 6),
        profileOf(),
        0.5 + rnd(),
      );
    }
  }
  return agencies;
}

/**
 * Generates the whole data set. `client` is a superuser connection to the freshly migrated database;
 * `em` is an EntityManager outside the gate (for the calendar as the service stores it).
 */
export async function generateDataset(
  client: Client,
  em: EntityManager,
  cfg: DatasetConfig,
  today: string,
  log: (msg: string) => void,
  opts: { bypassTriggers: boolean },
): Promise<DatasetResult> {
  const timings: Record<string, number> = {};
  const t = (name: string, started: number) => (timings[name] = Math.round(performance.now() - started));
  const rnd = prng(cfg.seed);
  // Loading bypasses triggers and foreign-key checks (consistent by construction; needs a superuser)
  // unless maintained figures exist without a rebuild function: then their triggers must see the load.
  const replica = opts.bypassTriggers
    ? await client
        .query(`set session_replication_role = replica`)
        .then(() => true)
        .catch(() => false)
    : false;
  log(replica ? 'loading with triggers and foreign-key checks off (session_replication_role = replica)' : 'loading with triggers on');
  await client.query(`set synchronous_commit = off`);
  await client.query(`select setseed($1)`, [((cfg.seed % 1000) / 1000) * 2 - 1]);

  // ---- tree, units ---------------------------------------------------------------------------
  let s = performance.now();
  const agencies = buildTree(cfg, rnd);
  await insertColumns(
    client,
    'agency',
    [['id', 'uuid'], ['code', 'text'], ['name', 'text'], ['kind', 'agency_kind'], ['parent_id', 'uuid'], ['path', 'ltree']],
    agencies.map((a) => [a.id, a.code, a.name, a.kind, a.parentId, a.path]),
  );
  const unitRows: unknown[][] = [];
  for (const a of agencies) {
    a.units.forEach((id, i) => {
      const [name, kind] = unitAt(i);
      unitRows.push([id, a.id, `u${pad(i + 1)}`, name, kind]);
    });
  }
  await insertColumns(client, 'unit', [['id', 'uuid'], ['agency_id', 'uuid'], ['code', 'text'], ['name', 'text'], ['kind', 'unit_kind']], unitRows);
  t('tree', s);
  log(`tree: ${agencies.length} agencies, ${unitRows.length} units`);

  // ---- catalogues and items ------------------------------------------------------------------
  s = performance.now();
  const currentYear = Number(today.slice(0, 4));
  const years = Array.from({ length: currentYear - cfg.firstYear + 1 }, (_, i) => cfg.firstYear + i);
  const itemTemplates = Array.from({ length: cfg.itemsPerAgency }, (_, i) => {
    const tpl = ITEMS[i % ITEMS.length]!;
    const round = Math.floor(i / ITEMS.length);
    return round === 0 ? tpl : { ...tpl, name: `${tpl.name}（${round + 1}）` };
  });
  const catalogueRows: unknown[][] = [];
  const itemRows: unknown[][] = [];
  const itemUnitRows: unknown[][] = [];
  /** One row per item and year: who publishes how much, under which rule. */
  const plan: Array<{ itemId: string; agency: GenAgency; unitId: string; rule: RuleKey; year: number; tpl: (typeof ITEMS)[number]; empty: boolean }> = [];
  for (const a of agencies) {
    const emptyTemplates = new Set(itemTemplates.map((_, i) => i).filter(() => rnd() < PROFILES[a.profile].emptyItem));
    for (const year of years) {
      const catalogueId = randomUUID();
      catalogueRows.push([catalogueId, a.id, year, 'AGENCY', year < currentYear ? 'ARCHIVED' : 'IN_FORCE', `${year}年${a.name}主动公开基本目录`]);
      itemTemplates.forEach((tpl, i) => {
        const itemId = randomUUID();
        const r = RULES[tpl.rule];
        const unitId = a.units[(i * 7) % a.units.length]!;
        itemRows.push([
          itemId, catalogueId, a.id, i + 1, tpl.category, tpl.name, `${tpl.name}相关信息`, tpl.type, '', r.text,
          r.rule ? JSON.stringify(r.rule) : null,
          r.rule && (r.rule.kind === 'WORKING_DAYS') ? 'FORMATION_OR_CHANGE' : null,
          r.rule ? null : '公开时限“动态跟新”无法确定为具体规则，请核实 (time limit could not be read)',
          PG_ARRAY(['政府网站']),
          `政务公开—${tpl.category}—${tpl.name}`,
        ]);
        itemUnitRows.push([itemId, unitId, a.id]);
        if (i % 4 === 0 && a.units.length > 1) itemUnitRows.push([itemId, a.units[(i * 7 + 1) % a.units.length]!, a.id]);
        plan.push({ itemId, agency: a, unitId, rule: tpl.rule, year, tpl, empty: emptyTemplates.has(i) || rnd() < 0.02 });
      });
    }
  }
  await insertColumns(
    client,
    'catalogue',
    [['id', 'uuid'], ['agency_id', 'uuid'], ['year', 'int'], ['kind', 'catalogue_kind'], ['status', 'catalogue_status'], ['title', 'text']],
    catalogueRows,
  );
  await insertColumns(
    client,
    'catalogue_item',
    [
      ['id', 'uuid'], ['catalogue_id', 'uuid'], ['agency_id', 'uuid'], ['position', 'int'], ['category', 'text'], ['name', 'text'],
      ['content', 'text'], ['disclosure_type', 'disclosure_type'], ['units_text', 'text'], ['time_limit_text', 'text'],
      ['deadline_rule', 'jsonb'], ['deadline_event', 'deadline_event'], ['time_limit_warning', 'text'], ['channels', 'text', 'text[]'],
      ['website_column', 'text'],
    ],
    itemRows,
  );
  await insertColumns(client, 'catalogue_item_unit', [['item_id', 'uuid'], ['unit_id', 'uuid'], ['agency_id', 'uuid']], itemUnitRows);
  t('catalogues', s);
  log(`catalogues: ${catalogueRows.length} catalogues, ${itemRows.length} items (${cfg.itemsPerAgency} per agency and year, years ${years.join(', ')})`);

  // ---- due dates: the real engine, memoised per (rule, attribute, formation date) ------------
  s = performance.now();
  const calendar = await calendarService.load(em);
  const first = `${cfg.firstYear}-01-01`;
  const days = daysBetween(first, today) + 1;
  const dueRows: unknown[][] = [];
  for (const key of Object.keys(RULES) as RuleKey[]) {
    for (const attr of ['PROACTIVE', 'ON_APPLICATION', 'NOT_DISCLOSED'] as DisclosureAttributeValue[]) {
      for (let d = 0; d < days; d++) {
        const formed = addDays(first, d);
        const due = publicationDeadline(RULES[key].rule, formed, attr, calendar);
        dueRows.push([key, attr, formed, due.dueOn, due.provisional, PG_ARRAY(due.reasons), PG_ARRAY(due.years), JSON.stringify(due.explanation)]);
      }
    }
  }
  await client.query(`create temp table bench_due (rule_key text, attr text, formed_on date, due_on date, provisional boolean, reasons text[], years int[], explanation jsonb)`);
  await insertColumns(
    client,
    'bench_due',
    [['rule_key', 'text'], ['attr', 'text'], ['formed_on', 'date'], ['due_on', 'date'], ['provisional', 'boolean'], ['reasons', 'text', 'text[]'], ['years', 'text', 'int[]'], ['explanation', 'jsonb']],
    dueRows,
    2000,
  );
  await client.query(`create unique index on bench_due (rule_key, attr, formed_on)`);
  await client.query(`analyze bench_due`);
  t('deadlines', s);
  log(`deadlines: ${dueRows.length} (rule, attribute, date) combinations through publicationDeadline`);

  // ---- publication counts per item and year ----------------------------------------------------
  s = performance.now();
  const yearSpan = (year: number) => {
    const start = `${year}-01-01`;
    const end = year === currentYear ? today : `${year}-12-31`;
    return { start, end, fraction: (daysBetween(start, end) + 1) / 365 };
  };
  const counts = new Array<number>(plan.length).fill(0);
  const variable: number[] = [];
  const weights: number[] = [];
  let fixed = 0;
  plan.forEach((p, i) => {
    if (p.empty) return;
    const span = yearSpan(p.year);
    if (p.tpl.perYear != null) {
      const n = p.rule === 'Y0131' ? 1 : Math.round(p.tpl.perYear * span.fraction * p.agency.activity * (0.7 + 0.6 * rnd()));
      counts[i] = n;
      fixed += n;
    } else {
      variable.push(i);
      weights.push((p.tpl.weight ?? 1) * span.fraction * p.agency.activity * (0.5 + rnd()));
    }
  });
  if (fixed > cfg.publications) {
    // Tiny targets: scale the steady items down too.
    const f = cfg.publications / fixed;
    fixed = 0;
    counts.forEach((n, i) => (fixed += counts[i] = Math.floor(n * f)));
  }
  apportion(Math.max(0, cfg.publications - fixed), weights).forEach((n, k) => (counts[variable[k]!] = n));
  const planRows = plan
    .map((p, i) => {
      const span = yearSpan(p.year);
      const prof = PROFILES[p.agency.profile];
      // The annual report is formed in the first weeks of the year (it reports on the last one).
      const start = p.rule === 'Y0131' ? `${p.year}-01-02` : span.start;
      const end = p.rule === 'Y0131' ? (`${p.year}-01-25` < today ? `${p.year}-01-25` : today) : span.end;
      return [p.itemId, p.agency.id, p.unitId, p.rule, RULES[p.rule].rule ? JSON.stringify(RULES[p.rule].rule) : null, p.tpl.name, start, end, counts[i],
        prof.onTime, prof.late, prof.lateMean, prof.noDue];
    })
    .filter((r) => (r[8] as number) > 0);
  await client.query(`create temp table bench_plan (item_id uuid, agency_id uuid, unit_id uuid, rule_key text, rule jsonb, item_name text,
    start_on date, end_on date, n int, p_on_time float8, p_late float8, late_mean float8, p_nodue float8)`);
  await insertColumns(
    client,
    'bench_plan',
    [['item_id', 'uuid'], ['agency_id', 'uuid'], ['unit_id', 'uuid'], ['rule_key', 'text'], ['rule', 'jsonb'], ['item_name', 'text'],
      ['start_on', 'date'], ['end_on', 'date'], ['n', 'int'], ['p_on_time', 'float8'], ['p_late', 'float8'], ['late_mean', 'float8'], ['p_nodue', 'float8']],
    planRows,
  );
  t('plan', s);

  // ---- publications: one INSERT … SELECT per year ------------------------------------------------
  s = performance.now();
  let inserted = 0;
  for (const year of years) {
    const res = await client.query(
      `insert into publication (id, created_at, updated_at, agency_id, item_id, title, url, channel, formed_on, published_on,
         drafting_unit_id, drafter_id, drafter_name, status, disclosure_attribute, non_disclosure_reason, contains_personal_info,
         deidentified_at, deidentified_by, round, deadline_rule, due_on, due_provisional, due_reasons, due_years, due_explanation)
       with rows as materialized (
         select p.*, g.i,
                p.start_on + floor((g.i - 1 + random()) * (p.end_on - p.start_on + 1) / p.n)::int as formed_on,
                random() as r_attr, random() as r_outcome, random() as r_when, random() as r_status, random() as r_personal
           from bench_plan p cross join lateral generate_series(1, p.n) g(i)
          where extract(year from p.start_on) = $2
       ), attributed as (
         select r.*, case when r.r_attr < 0.02 then 'NOT_DISCLOSED' when r.r_attr < 0.05 then 'ON_APPLICATION' else 'PROACTIVE' end as attr
           from rows r
       ), due as (
         select a.*, d.due_on, d.provisional, d.reasons, d.years, d.explanation
           from attributed a join bench_due d on d.rule_key = a.rule_key and d.attr = a.attr and d.formed_on = a.formed_on
       ), outcome as (
         select d.*,
                case
                  when d.attr = 'NOT_DISCLOSED' then null
                  when d.due_on is null then
                    case when d.r_outcome < d.p_nodue then d.formed_on + floor(-ln(1 - d.r_when) * 4)::int end
                  when d.r_outcome < d.p_on_time then d.formed_on + floor(d.r_when * (d.due_on - d.formed_on + 1))::int
                  when d.r_outcome < d.p_on_time + d.p_late then d.due_on + 1 + floor(-ln(1 - d.r_when) * d.late_mean)::int
                end as published_raw
           from due d
       ), final as (
         select o.*, case when o.published_raw <= $1::date then o.published_raw end as published_on from outcome o
       )
       select gen_random_uuid(), f.formed_on::timestamptz + interval '9 hours', coalesce(f.published_on, f.formed_on)::timestamptz + interval '15 hours',
              f.agency_id, f.item_id,
              f.item_name || '（' || to_char(f.formed_on, 'YYYY-MM-DD') || ' 第' || f.i || '期）',
              case when f.published_on is not null then 'http://gaj.example.gov.cn/art/' || to_char(f.published_on, 'YYYY/MM/DD') || '/' || left(md5(f.item_id::text || f.i), 10) || '.html' end,
              '政府网站', f.formed_on, f.published_on,
              f.unit_id, null, '联络员',
              (case
                 when f.published_on is not null then 'PUBLISHED'
                 when f.attr = 'NOT_DISCLOSED' then case when f.r_status < 0.7 then 'APPROVED' else 'DRAFT' end
                 when f.r_status < 0.3 then 'DRAFT'
                 when f.r_status < 0.5 then 'PENDING_CONFIDENTIALITY_REVIEW'
                 when f.r_status < 0.7 then 'PENDING_UNIT_HEAD'
                 when f.r_status < 0.85 then 'PENDING_LEADER'
                 else 'APPROVED'
               end)::publication_status,
              f.attr::disclosure_attribute,
              case when f.attr = 'NOT_DISCLOSED' then '《中华人民共和国政府信息公开条例》第十四条：公开后可能危及国家安全、公共安全' end,
              f.r_personal < 0.03,
              case when f.r_personal < 0.03 and f.published_on is not null then f.published_on::timestamptz end,
              case when f.r_personal < 0.03 and f.published_on is not null then '联络员' end,
              case when f.published_on is null and f.attr <> 'NOT_DISCLOSED' and f.r_status < 0.3 then 0 else 1 end,
              f.rule, f.due_on, f.provisional, f.reasons, f.years, f.explanation
         from final f`,
      [today, year],
    );
    inserted += res.rowCount ?? 0;
    log(`publications ${year}: ${res.rowCount} rows (${Math.round(performance.now() - s)} ms so far)`);
  }
  t('publications', s);

  // ---- work plans and tasks (same session: triggers off when the load has them off) ------------
  let plans: PlanDatasetSizes | undefined;
  if (cfg.tasksMax > 0) {
    const generated = await generatePlans(client, em, agencies, today, { tasksMin: cfg.tasksMin, tasksMax: cfg.tasksMax, seed: cfg.seed }, log);
    plans = generated.sizes;
    timings.plans = generated.ms;
  }

  // ---- assessment: a scheme, results and deduction points (bench/assessment-dataset.ts) ---------
  await generateAssessment(client, agencies, today, cfg.seed, log);

  // ---- accounts for the scenarios -------------------------------------------------------------
  const province = agencies[0]!;
  const city = agencies.find((a) => a.kind === 'CITY_BUREAU')!;
  const branch = agencies.find((a) => a.parentId === city.id) ?? city;
  const writeUnitId = branch.units[0]!;
  const acct = (username: string, agency: GenAgency, roles: string[], unitId: string | null) => [
    randomUUID(), username, `${username}（基准）`, 'x', agency.id, unitId, PG_ARRAY(roles), new Date(Date.now() - 3600_000).toISOString(),
  ];
  const accountRows = [
    acct('bench.province.admin', province, ['AGENCY_ADMIN'], null),
    acct('bench.city.admin', city, ['AGENCY_ADMIN'], null),
    acct('bench.branch.liaison', branch, ['UNIT_LIAISON'], writeUnitId),
    acct('bench.branch.head', branch, ['UNIT_HEAD'], writeUnitId),
    acct('bench.branch.leader', branch, ['LEADER'], null),
  ];
  await insertColumns(
    client,
    'account',
    [['id', 'uuid'], ['username', 'text'], ['display_name', 'text'], ['password_hash', 'text'], ['agency_id', 'uuid'], ['unit_id', 'uuid'],
      ['roles', 'text', 'account_role[]'], ['credentials_changed_at', 'timestamptz']],
    accountRows,
  );
  const writeItem = await client.query<{ id: string }>(
    `select i.id from catalogue_item i join catalogue c on c.id = i.catalogue_id
      where c.agency_id = $1 and c.year = $2 and c.kind = 'AGENCY' and i.deadline_rule->>'kind' = 'WORKING_DAYS'
      order by i.position limit 1`,
    [branch.id, currentYear],
  );
  if (replica) await client.query(`set session_replication_role = origin`);
  await client.query(`drop table bench_plan; drop table bench_due`);

  // ---- sizes and mixes, as stored ---------------------------------------------------------------
  const outcome = await client.query<{ k: string; n: string }>(
    `select case
              when disclosure_attribute = 'NOT_DISCLOSED' then 'not disclosed'
              when disclosure_attribute = 'ON_APPLICATION' then 'on application'
              when due_on is null then case when published_on is null then 'no due date, unpublished' else 'no due date, published' end
              when published_on is null then case when due_on < $1::date then 'overdue' else 'pending' end
              when published_on <= due_on then 'on time'
              else 'late'
            end as k, count(*) as n
       from publication group by 1 order by 2 desc`,
    [today],
  );
  const byProfile: Record<string, number> = {};
  for (const a of agencies) byProfile[a.profile] = (byProfile[a.profile] ?? 0) + 1;
  return {
    today,
    sizes: {
      agencies: agencies.length,
      cities: agencies.filter((a) => a.kind === 'CITY_BUREAU').length,
      branches: agencies.filter((a) => a.kind === 'DISTRICT_BRANCH' || a.kind === 'COUNTY_BUREAU').length,
      units: unitRows.length,
      catalogues: catalogueRows.length,
      catalogueItems: itemRows.length,
      itemsPerCatalogue: cfg.itemsPerAgency,
      catalogueYears: years,
      publications: inserted,
      byOutcome: Object.fromEntries(outcome.rows.map((r) => [r.k, Number(r.n)])),
      byProfile,
      ...(plans ? { plans } : {}),
      tableBytes: {},
    },
    timingsMs: timings,
    province,
    city,
    branch,
    accounts: {
      provinceAdmin: accountRows[0]![0] as string,
      cityAdmin: accountRows[1]![0] as string,
      liaison: accountRows[2]![0] as string,
      head: accountRows[3]![0] as string,
      leader: accountRows[4]![0] as string,
    },
    writeItemId: writeItem.rows[0]!.id,
    writeUnitId,
  };
}

/** src/figures/rebuild.ts: `rebuildFigures(orm)` reloads the figure tables in its own transaction. */
export type RebuildFn = (orm: MikroORM) => unknown;

/** `rebuildFigures` from src/figures/rebuild.ts, when that module exists (the maintained compliance figures). */
export async function findRebuildFigures(): Promise<{ fn: RebuildFn | null; problem?: string }> {
  let mod: Record<string, unknown>;
  try {
    // A computed specifier: the module may not exist yet, and the type-check must not need it.
    const specifier = ['..', 'src', 'figures', 'rebuild'].join('/');
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const missing = (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && /figures[\\/]rebuild/.test(String((err as Error).message));
    return { fn: null, problem: missing ? undefined : `import failed: ${String((err as Error).message ?? err)}` };
  }
  if (typeof mod.rebuildFigures !== 'function') return { fn: null, problem: 'src/figures/rebuild.ts has no rebuildFigures export' };
  return { fn: mod.rebuildFigures as RebuildFn };
}

/** Names (`table.trigger`) of the maintained-figure triggers: every trigger whose name starts with `figures_`. */
export async function figureTriggers(client: Client): Promise<Array<{ rel: string; name: string }>> {
  const found = await client.query<{ rel: string; name: string }>(
    `select c.relname as rel, t.tgname as name
       from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and t.tgname like 'figures\\_%' and n.nspname = current_schema()
      order by 1, 2`,
  );
  return found.rows;
}

/**
 * After loading: `rebuildFigures(orm)` when src/figures/rebuild.ts provides it — with the ORM on the
 * superuser connection (outside the gate) — then VACUUM ANALYZE (statistics, visibility map and hint
 * bits, so neither autovacuum nor first reads rewrite pages during the measurements) and a checkpoint.
 */
export async function afterLoad(
  client: Client,
  orm: MikroORM,
  rebuildFn: RebuildFn | null,
  problem: string | undefined,
  log: (msg: string) => void,
): Promise<{ rebuildFigures: { present: boolean; ms?: number; error?: string; detail?: unknown }; vacuumAnalyzeMs: number; tableBytes: Record<string, string> }> {
  let rebuild: { present: boolean; ms?: number; error?: string; detail?: unknown } = { present: false, ...(problem ? { error: problem } : {}) };
  if (rebuildFn) {
    const s = performance.now();
    try {
      const detail = await rebuildFn(orm);
      rebuild = { present: true, ms: Math.round(performance.now() - s), ...(detail !== undefined ? { detail } : {}) };
      log(`rebuildFigures: ${rebuild.ms} ms ${detail !== undefined ? JSON.stringify(detail) : ''}`);
    } catch (err) {
      rebuild = { present: true, ms: Math.round(performance.now() - s), error: String((err as Error)?.message ?? err) };
      log(`rebuildFigures failed: ${rebuild.error}`);
    }
  } else {
    log(`rebuildFigures: ${problem ?? 'src/figures/rebuild.ts not present'} — skipped`);
  }
  const s = performance.now();
  await client.query(`vacuum (analyze)`);
  await client.query(`checkpoint`).catch(() => undefined);
  const vacuumAnalyzeMs = Math.round(performance.now() - s);
  log(`vacuum analyze: ${vacuumAnalyzeMs} ms`);
  const sizes = await client.query<{ relname: string; size: string }>(
    `select c.relname, pg_size_pretty(pg_total_relation_size(c.oid)) as size
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and pg_total_relation_size(c.oid) > 1024 * 1024
      order by pg_total_relation_size(c.oid) desc`,
  );
  return { rebuildFigures: rebuild, vacuumAnalyzeMs, tableBytes: Object.fromEntries(sizes.rows.map((r) => [r.relname, r.size])) };
}
