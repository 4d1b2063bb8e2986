import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hasRole, requirePrincipal } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import { rowMapper, selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound, registerConstraintField } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { withSheetSlot } from '../../spreadsheets/sheet-slots';
import { SHEET_CONTENT_TYPES } from '../../spreadsheets/upload';
import { Role } from '../account/account.entity';
import { Agency } from '../agency/agency.entity';
import { agencyService } from '../agency/agency.service';
import { today } from '../calendar/clock';
import { compareIsoDates, yearOf } from '../calendar/date-utils';
import { checkEvidenceUrl } from '../assessment/evaluation.service';
import { buildAnnualReportDocx, DOCX_CONTENT_TYPE } from './annual-report-docx';
import { buildAnnualReportXlsx } from './annual-report-xlsx';
import { AnnualReport, ReportStatus, ReportTemplate } from './annual-report.entity';
import type { AnnualReportFields, AnnualReportFilter, CreateAnnualReportInput, PublishAnnualReportInput, UpdateAnnualReportInput } from './annual-report.inputs';
import {
  buildTable3,
  buildTable4,
  carryOverWarnings,
  cellProblem,
  checkLegacyFigures,
  checkTable2,
  checkTable3,
  checkTable4,
  sumCountTables,
  sumTable2,
  table2Cell,
  table2ValueProblem,
  table2View,
  table2Warnings,
  tableView,
  TABLE2_CELLS,
  TABLE3_ROWS,
  TABLE4_ROWS,
  TEMPLATE_NAMES,
  type CheckProblem,
  type CountTable,
  type LegacyFigure,
  type ReportDocument,
  type Table2Data,
  type Table3Counts,
  type Table4Counts,
  type TableName,
} from './annual-report-tables';
import { AnnualReportExportFormat, ConsolidationSource } from './annual-report.types';

registerConstraintField('annual_report_agency_year_unique', 'input.year');

/** The first year of the regulation (条例 in force from 1 May 2008), as the table's check constraint. */
const FIRST_YEAR = 2008;

export interface ReportTables {
  table3: CountTable;
  table4: CountTable;
  /** Computed from the records now (a draft of the 2021 template), rather than stored. */
  computed: boolean;
}

/** The consolidated report as the resolver hands it out (views of the summed tables). */
export interface ConsolidatedReport {
  year: number;
  agency: Lean<Agency>;
  dueOn: string;
  memberCount: number;
  finalCount: number;
  members: Array<{ agency: Lean<Agency>; report: Lean<AnnualReport> | null; final: boolean; source: ConsolidationSource }>;
  table2: ReturnType<typeof table2View>;
  table3: ReturnType<typeof tableView>;
  table4: ReturnType<typeof tableView>;
  checks: ReportChecks;
}

export interface ReportChecks {
  ok: boolean;
  problems: CheckProblem[];
  warnings: CheckProblem[];
}

type Key = { agencyId: string; year: number };
export const keyOf = (agencyId: string, year: number) => `${agencyId}:${year}`;
export const parseKey = (key: string): Key => {
  const [agencyId, year] = key.split(':');
  return { agencyId: agencyId!, year: Number(year) };
};

const table2Of = (r: { table2?: unknown }): Table2Data => (r.table2 ?? {}) as Table2Data;
const storedTable = (v: unknown): CountTable => (v ?? {}) as CountTable;
const legacyOf = (r: { legacyFigures?: unknown }): LegacyFigure[] => (r.legacyFigures ?? []) as LegacyFigure[];
const isLegacy = (template: ReportTemplate) => template !== ReportTemplate.GOV_2021;

/** 31 January of the next year (条例 Art 49). */
export function reportDueOn(year: number): string {
  return `${year + 1}-01-31`;
}

/** Published by 31 January; not published: late once the day has passed, undecided before. */
export function reportOnTime(year: number, publishedOn: string | null | undefined, now: string): boolean | null {
  const due = reportDueOn(year);
  if (publishedOn) return compareIsoDates(publishedOn, due) <= 0;
  return compareIsoDates(now, due) > 0 ? false : null;
}

/** The template each year's report follows: 2021 from the 2021 reports, the trial format for 2019–2020, older ones before. */
function templateProblem(template: ReportTemplate, year: number): string | null {
  if (template === ReportTemplate.GOV_2021 && year < 2021) return `2021年模板适用于2021年度及以后的报告 (GOV_2021 applies from the 2021 reports; ${year} is earlier)`;
  if (template === ReportTemplate.GOV_2019 && (year < 2019 || year > 2020)) return `2019年试行模板适用于2019、2020年度 (GOV_2019 applies to 2019 and 2020)`;
  if (template === ReportTemplate.PRE_2019 && year > 2018) return `旧格式适用于2018年度及以前 (PRE_2019 applies up to 2018)`;
  return null;
}

/**
 * Table 3 aggregates per agency and year: per applicant type, and per outcome for requests replied in
 * the year, the counts of received in the year, carried in, replied in the year and carried out (see
 * annual-report-tables.ts for the definitions). `scope` joins `k(agency_id, year)` — the agencies and
 * years wanted — so one statement serves a page of reports or a whole subtree; its size is agencies ×
 * 6 applicant types × 22 outcomes at most, never the number of requests.
 */
function table3Statement(scope: string): string {
  return `select k.agency_id, k.year, r.applicant_type::text as applicant,
         case when r.replied_on <= make_date(k.year, 12, 31) then r.outcome::text end as outcome,
         count(*) filter (where r.received_on >= make_date(k.year, 1, 1))::int as received,
         count(*) filter (where r.received_on < make_date(k.year, 1, 1))::int as carried_in,
         count(*) filter (where r.replied_on <= make_date(k.year, 12, 31))::int as replied,
         count(*) filter (where r.replied_on is null or r.replied_on > make_date(k.year, 12, 31))::int as carried_out
    from ${scope}
    join info_request r on r.agency_id = k.agency_id
     and r.received_on <= make_date(k.year, 12, 31)
     and (r.replied_on is null or r.replied_on >= make_date(k.year, 1, 1))
   group by 1, 2, 3, 4`;
}

/** Table 4 aggregates: appeals filed in the year by kind and result as of 31 December (undecided then: PENDING). */
function table4Statement(scope: string): string {
  return `select k.agency_id, k.year, p.kind::text as kind,
         case when p.result <> 'PENDING' and p.decided_on is not null and p.decided_on <= make_date(k.year, 12, 31)
              then p.result::text else 'PENDING' end as result,
         count(*)::int as n
    from ${scope}
    join request_appeal p on p.agency_id = k.agency_id
     and p.filed_on between make_date(k.year, 1, 1) and make_date(k.year, 12, 31)
   group by 1, 2, 3, 4`;
}

/** `k(agency_id, year)` for listed agencies and years (two array parameters). */
const LISTED = `unnest(?::uuid[], ?::int[]) as k(agency_id, year)`;
/** `k(agency_id, year)` for every agency of a subtree and one year (parameters: year, root path). */
const SUBTREE = `(select a.id as agency_id, ?::int as year from agency a where a.path <@ ?::ltree) k`;

type CountRow = { agency_id: string; year: number; applicant: string; outcome: string | null; received: number; carried_in: number; replied: number; carried_out: number };
type AppealRow = { agency_id: string; year: number; kind: string; result: string; n: number };

/** Tables 3 and 4 from the records for every (agency, year) asked: two statements. */
export async function computeTables(em: EntityManager, scope: { keys: Key[] } | { rootPath: string; year: number }): Promise<Map<string, { table3: CountTable; table4: CountTable }>> {
  let from: string;
  let params: unknown[];
  if ('keys' in scope) {
    from = LISTED;
    params = [uuidArrayLiteral(scope.keys.map((k) => k.agencyId)), `{${scope.keys.map((k) => k.year).join(',')}}`];
  } else {
    from = SUBTREE;
    params = [scope.year, scope.rootPath];
  }
  const counts = await sql<CountRow>(em, table3Statement(from), params);
  const appeals = await sql<AppealRow>(em, table4Statement(from), params);
  const c3 = new Map<string, Table3Counts[]>();
  const c4 = new Map<string, Table4Counts[]>();
  for (const r of counts) {
    const k = keyOf(r.agency_id, Number(r.year));
    if (!c3.has(k)) c3.set(k, []);
    c3.get(k)!.push({ applicant: r.applicant, outcome: r.outcome, received: r.received, carriedIn: r.carried_in, replied: r.replied, carriedOut: r.carried_out });
  }
  for (const r of appeals) {
    const k = keyOf(r.agency_id, Number(r.year));
    if (!c4.has(k)) c4.set(k, []);
    c4.get(k)!.push({ kind: r.kind, result: r.result, count: r.n });
  }
  const keys = new Set([...c3.keys(), ...c4.keys()]);
  if ('keys' in scope) for (const k of scope.keys) keys.add(keyOf(k.agencyId, k.year));
  const out = new Map<string, { table3: CountTable; table4: CountTable }>();
  for (const k of keys) out.set(k, { table3: buildTable3(c3.get(k) ?? []), table4: buildTable4(c4.get(k) ?? []) });
  return out;
}

/** The stored content after applying an input's fields (validated; errors name the input field). */
interface ResolvedContent {
  title?: string;
  overview?: string;
  problems?: string;
  otherMatters?: string;
  table2?: Table2Data;
  table3?: CountTable;
  table4?: CountTable;
  legacyFigures?: LegacyFigure[];
}

function applyCells(table: TableName, current: CountTable, cells: NonNullable<AnnualReportFields['table3']>): CountTable {
  const out: CountTable = JSON.parse(JSON.stringify(current)) as CountTable;
  const seen = new Set<string>();
  cells.forEach((c, i) => {
    const field = `input.${table}.${i}`;
    const p = cellProblem(table, c.row, c.column);
    if (p) throw badInput(`${field}.${p.part}`, p.message);
    const k = `${c.row}.${c.column}`;
    if (seen.has(k)) throw badInput(field, `同一格填写了两次 (cell ${k} listed twice)`);
    seen.add(k);
    if (c.value == null) {
      delete out[c.row]?.[c.column];
      if (out[c.row] && !Object.keys(out[c.row]!).length) delete out[c.row];
    } else {
      if (!Number.isInteger(c.value) || c.value < 0) throw badInput(`${field}.value`, `应为非负整数 (must be a whole number ≥ 0): ${c.value}`);
      (out[c.row] ??= {})[c.column] = c.value;
    }
  });
  // Stored in template order, whatever the order of the input.
  const rows = table === 'table3' ? TABLE3_ROWS : TABLE4_ROWS;
  return Object.fromEntries(rows.filter((r) => out[r.key]).map((r) => [r.key, out[r.key]!]));
}

function applyTable2(current: Table2Data, cells: NonNullable<AnnualReportFields['table2']>): Table2Data {
  const out: Table2Data = JSON.parse(JSON.stringify(current)) as Table2Data;
  const seen = new Set<string>();
  cells.forEach((c, i) => {
    const field = `input.table2.${i}`;
    if (!TABLE2_CELLS.some((t) => t.row.key === c.row)) {
      throw badInput(`${field}.row`, `没有这一行 (no such row: ${c.row}; rows are ${[...new Set(TABLE2_CELLS.map((t) => t.row.key))].join(', ')})`);
    }
    if (!table2Cell(c.row, c.column)) {
      const allowed = TABLE2_CELLS.filter((t) => t.row.key === c.row).map((t) => t.column.key);
      throw badInput(`${field}.column`, `「${c.row}」没有这一列 (no such column for this row: ${c.column}; it has ${allowed.join(', ')})`);
    }
    const k = `${c.row}.${c.column}`;
    if (seen.has(k)) throw badInput(field, `同一格填写了两次 (cell ${k} listed twice)`);
    seen.add(k);
    if (c.value == null) {
      delete out[c.row]?.[c.column];
      if (out[c.row] && !Object.keys(out[c.row]!).length) delete out[c.row];
      return;
    }
    const p = table2ValueProblem(c.column, c.value);
    if (p) throw badInput(`${field}.value`, p);
    const source = (c.source ?? '').trim();
    if (!source) throw badInput(`${field}.source`, '每个数据都要注明来源 (every figure needs its source)');
    (out[c.row] ??= {})[c.column] = { value: c.value, source };
  });
  const ordered: Table2Data = {};
  for (const t of TABLE2_CELLS) {
    const e = out[t.row.key]?.[t.column.key];
    if (e) (ordered[t.row.key] ??= {})[t.column.key] = e;
  }
  return ordered;
}

function resolveContent(input: AnnualReportFields, template: ReportTemplate, current: { table2: Table2Data; table3: CountTable; table4: CountTable }): ResolvedContent {
  const out: ResolvedContent = {};
  if (input.title != null) {
    if (!input.title.trim()) throw badInput('input.title', '标题不能为空 (title must not be empty)');
    out.title = input.title.trim();
  }
  if (input.overview != null) out.overview = input.overview.trim();
  if (input.problems != null) out.problems = input.problems.trim();
  if (input.otherMatters != null) out.otherMatters = input.otherMatters.trim();
  if (input.table2 != null) out.table2 = applyTable2(current.table2, input.table2);
  for (const name of ['table3', 'table4', 'legacyFigures'] as const) {
    if (input[name] != null && !isLegacy(template)) {
      throw badInput(`input.${name}`, '2021年模板的表三、表四由申请记录计算，不能手工填写；旧模板才手工录入 (GOV_2021 computes Tables 3 and 4 from the records; hand entry is for older templates)');
    }
  }
  if (input.table3 != null) out.table3 = applyCells('table3', current.table3, input.table3);
  if (input.table4 != null) out.table4 = applyCells('table4', current.table4, input.table4);
  if (input.legacyFigures != null) {
    const figures = input.legacyFigures.map((f) => ({ label: f.label.trim(), value: f.value, note: (f.note ?? '').trim() }));
    const p = checkLegacyFigures(figures)[0];
    if (p) throw badInput(`input.${p.field}`, p.message);
    out.legacyFigures = figures;
  }
  return out;
}

export class AnnualReportService {
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<AnnualReport>> {
    requirePrincipal(ctx);
    const report = await ctx.loaders.annualReport.byId.load(requireId(id, field));
    if (!report) throw notFound('年度报告 (annual report)', id);
    return report;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: AnnualReportFilter | null): Promise<Connection<Lean<AnnualReport>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(AnnualReport, 'r');
    if (filter?.agencyId) qb.andWhere({ agency: (await agencyService.get(ctx, filter.agencyId, 'filter.agencyId')).id });
    if (filter?.year != null) qb.andWhere({ year: filter.year });
    if (filter?.status) qb.andWhere({ status: filter.status });
    if (filter?.published === true) qb.andWhere({ publishedOn: { $ne: null } });
    if (filter?.published === false) qb.andWhere({ publishedOn: null });
    return paginateQb(ctx.em, qb, args, { column: 'year', value: (r) => r.year });
  }

  /** Tables 3 and 4 of a report: computed from the records for a draft of the 2021 template, else as stored (frozen or entered). */
  async tables(ctx: RequestContext, report: Lean<AnnualReport>): Promise<ReportTables> {
    if (report.template === ReportTemplate.GOV_2021 && report.status === ReportStatus.DRAFT) {
      return { ...(await ctx.loaders.annualReport.computed.load(keyOf(report.agency.id, report.year))), computed: true };
    }
    return { table3: storedTable(report.table3), table4: storedTable(report.table4), computed: false };
  }

  async table3(ctx: RequestContext, report: Lean<AnnualReport>) {
    return tableView('table3', (await this.tables(ctx, report)).table3);
  }

  async table4(ctx: RequestContext, report: Lean<AnnualReport>) {
    return tableView('table4', (await this.tables(ctx, report)).table4);
  }

  table2(report: Lean<AnnualReport>) {
    return table2View(table2Of(report));
  }

  legacyFigures(report: Lean<AnnualReport>): LegacyFigure[] {
    return legacyOf(report);
  }

  /** Every problem that blocks finalisation, for a report with the given tables. */
  problemsOf(report: { template: ReportTemplate; table2?: unknown; legacyFigures?: unknown }, tables: { table3: CountTable; table4: CountTable }): CheckProblem[] {
    return [...checkTable2(table2Of(report), report.template), ...checkTable3(tables.table3), ...checkTable4(tables.table4), ...checkLegacyFigures(legacyOf(report))];
  }

  /**
   * The checks of a report: problems (each blocks finalisation) and warnings — Table 2's plausibility
   * and the carry-over from the previous year's report when that report's Table 3 is stored (final or
   * entered by hand; two computed reports agree by construction).
   */
  async checks(ctx: RequestContext, report: Lean<AnnualReport>): Promise<ReportChecks> {
    const [tables, previous] = await Promise.all([this.tables(ctx, report), ctx.loaders.annualReport.previous.load(keyOf(report.agency.id, report.year))]);
    const problems = this.problemsOf(report, tables);
    const warnings = table2Warnings(table2Of(report));
    if (previous && previous.table3 != null) warnings.push(...carryOverWarnings(tables.table3, storedTable(previous.table3), previous.year));
    return { ok: problems.length === 0, problems, warnings };
  }

  dueOn(report: Lean<AnnualReport>): string {
    return reportDueOn(report.year);
  }

  onTime(report: Lean<AnnualReport>): boolean | null {
    return reportOnTime(report.year, report.publishedOn, today());
  }

  /** Annual reports are written by the openness office of their own agency; superiors read them. */
  private async assertWriter(ctx: RequestContext, agencyId: string, action: string): Promise<{ p: Principal; agency: Lean<Agency> }> {
    const agency = await agencyService.get(ctx, agencyId);
    const p = requirePrincipal(ctx);
    if (!hasRole(p, Role.AGENCY_ADMIN) || p.agencyId !== agency.id) {
      throw forbidden(`年度报告由本机关政务公开办编制，上级机关只能查看 (${action}: only the agency’s own administrator writes its annual report)`);
    }
    return { p, agency };
  }

  async create(ctx: RequestContext, input: CreateAnnualReportInput): Promise<AnnualReport> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    await this.assertWriter(ctx, agency.id, '新建年度报告 (createAnnualReport)');
    const template = input.template ?? ReportTemplate.GOV_2021;
    const thisYear = yearOf(today());
    if (!Number.isInteger(input.year) || input.year < FIRST_YEAR || input.year > thisYear) {
      throw badInput('input.year', `年度应在${FIRST_YEAR}–${thisYear}之间 (year must lie between ${FIRST_YEAR} and this year)`);
    }
    const tp = templateProblem(template, input.year);
    if (tp) throw badInput('input.template', tp);
    const content = resolveContent(input, template, { table2: {}, table3: {}, table4: {} });
    return inTransaction(ctx, async (em) => {
      if ((await em.count(AnnualReport, { agency: agency.id, year: input.year })) > 0) {
        throw conflict(`该机关${input.year}年度报告已存在 (the agency already has a report for ${input.year})`, 'input.year');
      }
      const report = em.create(AnnualReport, {
        agency: agency.id,
        year: input.year,
        template,
        title: content.title ?? `${agency.name}${input.year}年政府信息公开工作年度报告`,
        overview: content.overview ?? '',
        problems: content.problems ?? '',
        otherMatters: content.otherMatters ?? '',
        table2: content.table2 ?? {},
        table3: isLegacy(template) ? (content.table3 ?? {}) : null,
        table4: isLegacy(template) ? (content.table4 ?? {}) : null,
        legacyFigures: isLegacy(template) ? (content.legacyFigures ?? []) : null,
      });
      await em.flush();
      return report;
    });
  }

  async update(ctx: RequestContext, input: UpdateAnnualReportInput): Promise<AnnualReport> {
    const existing = await this.get(ctx, input.id, 'input.id');
    await this.assertWriter(ctx, existing.agency.id, '修改年度报告 (updateAnnualReport)');
    if (existing.status === ReportStatus.FINAL) throw conflict('已定稿的年度报告不能修改 (a final report is frozen)', 'input.id');
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(AnnualReport, existing.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (row.status === ReportStatus.FINAL) throw conflict('已定稿的年度报告不能修改 (a final report is frozen)', 'input.id');
      const content = resolveContent(input, row.template, {
        table2: (row.table2 ?? {}) as Table2Data,
        table3: storedTable(row.table3),
        table4: storedTable(row.table4),
      });
      if (content.title !== undefined) row.title = content.title;
      if (content.overview !== undefined) row.overview = content.overview;
      if (content.problems !== undefined) row.problems = content.problems;
      if (content.otherMatters !== undefined) row.otherMatters = content.otherMatters;
      if (content.table2 !== undefined) row.table2 = content.table2;
      if (content.table3 !== undefined) row.table3 = content.table3;
      if (content.table4 !== undefined) row.table4 = content.table4;
      if (content.legacyFigures !== undefined) row.legacyFigures = content.legacyFigures;
      await em.flush();
      return row;
    });
  }

  /**
   * Freezes a report after every check passed: a draft of the 2021 template stores Tables 3 and 4 as
   * computed now, so later changes to the records no longer move it. A failing check refuses with
   * BAD_USER_INPUT naming the first failing cell (all problems in `extensions.problems`); finalising
   * twice is a CONFLICT. Nothing is written in either case.
   */
  async finalise(ctx: RequestContext, id: string): Promise<AnnualReport> {
    const existing = await this.get(ctx, id, 'input.id');
    const { p } = await this.assertWriter(ctx, existing.agency.id, '定稿年度报告 (finaliseAnnualReport)');
    if (compareIsoDates(today(), `${existing.year}-12-31`) <= 0) {
      throw conflict(`${existing.year}年度尚未结束，年度报告不能定稿 (the year has not ended: its figures can still change)`, 'input.id');
    }
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(AnnualReport, existing.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (row.status === ReportStatus.FINAL) throw conflict('该年度报告已定稿 (the report is already final)', 'input.id');
      const tables =
        row.template === ReportTemplate.GOV_2021
          ? (await computeTables(em, { keys: [{ agencyId: row.agency.id, year: row.year }] })).get(keyOf(row.agency.id, row.year))!
          : { table3: storedTable(row.table3), table4: storedTable(row.table4) };
      const problems = this.problemsOf(row, tables);
      if (problems.length) {
        const first = problems[0]!;
        throw badInput(first.field, `${first.message}${problems.length > 1 ? `；另有${problems.length - 1}个问题 (and ${problems.length - 1} more)` : ''}`, { problems });
      }
      row.table3 = tables.table3;
      row.table4 = tables.table4;
      row.status = ReportStatus.FINAL;
      row.finalisedAt = new Date();
      row.finalisedBy = p.username;
      await em.flush();
      return row;
    });
  }

  /** Records where and when a final report was published (once); on time when by 31 January of the next year. */
  async publish(ctx: RequestContext, input: PublishAnnualReportInput): Promise<AnnualReport> {
    const existing = await this.get(ctx, input.id, 'input.id');
    await this.assertWriter(ctx, existing.agency.id, '发布年度报告 (publishAnnualReport)');
    if (compareIsoDates(input.publishedOn, `${existing.year}-12-31`) <= 0) {
      throw badInput('input.publishedOn', `${existing.year}年度报告应在年度结束后发布 (a report is published after its year ends)`);
    }
    if (compareIsoDates(input.publishedOn, today()) > 0) throw badInput('input.publishedOn', '发布日期不能晚于今天 (must not be in the future)');
    const url = checkEvidenceUrl(input.url, 'input.url');
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(AnnualReport, existing.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (row.status !== ReportStatus.FINAL) throw conflict('只有定稿的年度报告才能发布 (only a final report can be published)', 'input.id');
      if (row.publishedOn) throw conflict(`该年度报告已于${row.publishedOn}发布 (already published)`, 'input.id');
      row.publishedOn = input.publishedOn;
      row.publishedUrl = url;
      await em.flush();
      return row;
    });
  }

  /**
   * The consolidated report of a subtree for a year: for every member agency, its final report's frozen
   * tables, a hand-entered draft's tables, or else its tables computed from the records; each cell the
   * sum of the members' same cells (sumCountTables: unknown when a member does not state it). Three
   * statements whatever the size of the subtree: the members with their reports, and the Table 3 and
   * Table 4 aggregates grouped by agency.
   */
  private async consolidate(ctx: RequestContext, year: number, agencyId?: string | null) {
    const p = requirePrincipal(ctx);
    if (!Number.isInteger(year) || year < FIRST_YEAR || year > 2100) throw badInput('year', `年度应在${FIRST_YEAR}–2100之间 (year out of range)`);
    const root = await agencyService.get(ctx, agencyId ?? p.agencyId, agencyId ? 'agencyId' : 'id');
    const members = await this.members(ctx.em, root.path, year);
    // Evaluators read no request record (and only final reports): a member without one is unknown to them.
    const recordsVisible = !hasRole(p, Role.EVALUATOR);
    const computed = recordsVisible ? await computeTables(ctx.em, { rootPath: root.path, year }) : new Map<string, { table3: CountTable; table4: CountTable }>();
    const empty = { table3: buildTable3([]), table4: buildTable4([]) };
    const used = members.map((m) => {
      if (m.report && (m.report.status === ReportStatus.FINAL || isLegacy(m.report.template))) {
        const source = m.report.status === ReportStatus.FINAL ? ConsolidationSource.FINAL_REPORT : ConsolidationSource.ENTERED_DRAFT;
        return { ...m, final: m.report.status === ReportStatus.FINAL, source, table3: storedTable(m.report.table3), table4: storedTable(m.report.table4) };
      }
      if (!recordsVisible) return { ...m, final: false, source: ConsolidationSource.UNAVAILABLE, table3: {} as CountTable, table4: {} as CountTable };
      return { ...m, final: false, source: ConsolidationSource.RECORDS, ...(computed.get(keyOf(m.agency.id, year)) ?? empty) };
    });
    const table3 = sumCountTables(used.map((m) => m.table3), 'table3');
    const table4 = sumCountTables(used.map((m) => m.table4), 'table4');
    const table2 = sumTable2(used.map((m) => (m.report ? table2Of(m.report) : {})));
    return { root, members: used, table2, table3, table4, problems: [...checkTable3(table3), ...checkTable4(table4)] };
  }

  async consolidated(ctx: RequestContext, year: number, agencyId?: string | null): Promise<ConsolidatedReport> {
    const c = await this.consolidate(ctx, year, agencyId);
    return {
      year,
      agency: c.root,
      dueOn: reportDueOn(year),
      memberCount: c.members.length,
      finalCount: c.members.filter((m) => m.final).length,
      members: c.members.map((m) => ({ agency: m.agency, report: m.report, final: m.final, source: m.source })),
      table2: table2View(c.table2),
      table3: tableView('table3', c.table3),
      table4: tableView('table4', c.table4),
      checks: { ok: c.problems.length === 0, problems: c.problems, warnings: [] },
    };
  }

  /** The consolidated report of a subtree as a file, with the list of members and whether each is final. */
  async exportConsolidated(ctx: RequestContext, year: number, agencyId: string | null | undefined, format: AnnualReportExportFormat) {
    const c = await this.consolidate(ctx, year, agencyId);
    return this.file(
      {
        title: `${c.root.name}${year}年政府信息公开工作年度报告汇总`,
        agencyName: c.root.name,
        year,
        template: ReportTemplate.GOV_2021,
        final: c.members.every((m) => m.final),
        overview: '',
        problems: '',
        otherMatters: '',
        table2: c.table2,
        table3: c.table3,
        table4: c.table4,
        legacyFigures: [],
        checkProblems: c.problems,
        members: c.members.map((m) => ({ name: m.agency.name, final: m.final })),
      },
      format,
    );
  }

  /** Every agency of the subtree (by depth and code) with its report of the year, if any: one statement. */
  private async members(em: EntityManager, rootPath: string, year: number): Promise<Array<{ agency: Lean<Agency>; report: Lean<AnnualReport> | null }>> {
    const a = rowMapper(em, Agency);
    const r = rowMapper(em, AnnualReport);
    const rows = await sql<Record<string, unknown>>(
      em,
      `select ${a.columnsAs('a', 'a_')}, ${r.columnsAs('r', 'r_')}
         from agency a left join annual_report r on r.agency_id = a.id and r.year = ?
        where a.path <@ ?::ltree
        order by nlevel(a.path), a.code`,
      [year, rootPath],
    );
    return rows.map((row) => ({ agency: a.mapFrom(row, 'a_'), report: row.r_id == null ? null : r.mapFrom(row, 'r_') }));
  }

  /** What an export writes for one report. */
  async document(ctx: RequestContext, report: Lean<AnnualReport>): Promise<ReportDocument> {
    const [agency, tables, checks] = await Promise.all([agencyService.get(ctx, report.agency.id), this.tables(ctx, report), this.checks(ctx, report)]);
    return {
      title: report.title,
      agencyName: agency.name,
      year: report.year,
      template: report.template,
      final: report.status === ReportStatus.FINAL,
      overview: report.overview,
      problems: report.problems,
      otherMatters: report.otherMatters,
      table2: table2Of(report),
      table3: tables.table3,
      table4: tables.table4,
      legacyFigures: legacyOf(report),
      checkProblems: checks.problems,
    };
  }

  /** The report as a DOCX in the template's layout or as an XLSX of its tables (base64). */
  async export(ctx: RequestContext, id: string, format: AnnualReportExportFormat) {
    const report = await this.get(ctx, id);
    const doc = await this.document(ctx, report);
    return this.file(doc, format);
  }

  private async file(doc: ReportDocument, format: AnnualReportExportFormat) {
    const rows = 6 + TABLE3_ROWS.length + TABLE4_ROWS.length;
    if (format === AnnualReportExportFormat.DOCX) {
      const buffer = await withSheetSlot(() => buildAnnualReportDocx(doc));
      return { filename: `${doc.title}.docx`, contentType: DOCX_CONTENT_TYPE, base64: buffer.toString('base64'), itemCount: rows };
    }
    const buffer = await withSheetSlot(() => buildAnnualReportXlsx(doc));
    return { filename: `${doc.title}.xlsx`, contentType: SHEET_CONTENT_TYPES.XLSX, base64: buffer.toString('base64'), itemCount: rows };
  }

  templateName(template: ReportTemplate): string {
    return TEMPLATE_NAMES[template];
  }
}

export const annualReportService = new AnnualReportService();
