/**
 * The task side of the province data set: for every agency of the generated tree a work plan
 * (工作要点分工方案) for the bench year (the year of "today", the publication data's current year)
 * and one for the year before, each with headings (一、… / （一）…) and 60–200 numbered tasks (more
 * for bigger agencies), written in bulk from the superuser connection like the publications — in the
 * same session, so with triggers and foreign-key checks off when the publication load has them off;
 * `rebuildFigures` then fills figure_task* from their reference views (the tables are in FIGURE_TABLES).
 *
 * - Timing kinds as the agencies' plans word them: due dates spread over the year (mostly month
 *   ends: 6月底前, 年底前 …; a few the following January with a reason), counted tasks (每半年 /
 *   每季度 / 每年至少 1–2 次), 3 working days after an event (文件公布后3个工作日内), 5/24/48 hours
 *   after an event, no deadline (长期坚持) and a few whose wording could not be read.
 * - Lead units (1–2) and cooperating units (0–3) from the agency's units, with the wording.
 * - Progress: counted occurrences per period (periods met or missed by the agency's diligence),
 *   event occurrences with their deadline (working days by the real deadline engine with the stored
 *   calendar, memoised per event date; hours as the service computes them) done on time or late,
 *   and plain progress notes. Nothing is reported after today or after the task's acceptance.
 * - Acceptance by the openness office (accepted_on, a task_review row; a few returned first): dated
 *   tasks on time / late / never by diligence, last year's other tasks at the year-end review.
 * - A few tasks withdrawn; this year's plan carries some of last year's unfinished dated tasks on
 *   (回头看, carried_from_id).
 *
 * The generator is a pure function of the tree, the years, today and a seed (`buildPlanRows`), so
 * its sizes can be computed without a database.
 */
import type { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { calendarService } from '../src/modules/calendar/calendar.service';
import { addDays, chinaDateOfInstant, daysBetween, daysInMonth } from '../src/modules/calendar/date-utils';
import { computeDeadline } from '../src/modules/calendar/deadline-engine';
import type { WorkingCalendar } from '../src/modules/calendar/working-calendar';
import type { GenAgency, Profile } from './dataset';
import { insertColumns, PG_ARRAY, prng, unitAt } from './gen-util';

export interface PlanDatasetConfig {
  /** Tasks per plan for the smallest and the biggest agencies (0 as maximum: no plans at all). */
  tasksMin: number;
  tasksMax: number;
  seed: number;
}

export interface PlanDatasetSizes {
  years: number[];
  workPlans: number;
  headings: number;
  tasks: number;
  /** Live tasks (not withdrawn) per timing kind. */
  byTiming: Record<string, number>;
  withdrawn: number;
  carriedOn: number;
  accepted: number;
  /** Dated (DUE_DATE) live tasks as of today. */
  datedByOutcome: Record<string, number>;
  taskUnits: { lead: number; cooperating: number };
  progress: { total: number; counted: number; workingDayEvents: number; hourEvents: number; lateEvents: number; notes: number };
  /** Periods of counted tasks ended before today: met / missed. */
  periodsEnded: { met: number; missed: number };
  reviews: { accepted: number; returned: number };
}

export interface PlanRows {
  plans: unknown[][];
  headings: unknown[][];
  tasks: unknown[][];
  taskUnits: unknown[][];
  progress: unknown[][];
  reviews: unknown[][];
  sizes: PlanDatasetSizes;
}

/** Diligence of an agency towards its plan (the publication profiles' kinds, same agencies). */
const TASK_PROFILES: Record<Profile, {
  onTime: number; late: number; lateMeanDays: number; early: number; periodMet: number;
  eventOnTime: number; eventLateMeanDays: number; eventLateMeanHours: number; yearEndDone: number;
}> = {
  DILIGENT: { onTime: 0.88, late: 0.09, lateMeanDays: 8, early: 0.35, periodMet: 0.93, eventOnTime: 0.95, eventLateMeanDays: 2, eventLateMeanHours: 10, yearEndDone: 0.92 },
  AVERAGE: { onTime: 0.7, late: 0.18, lateMeanDays: 18, early: 0.22, periodMet: 0.8, eventOnTime: 0.85, eventLateMeanDays: 4, eventLateMeanHours: 20, yearEndDone: 0.75 },
  LAX: { onTime: 0.45, late: 0.27, lateMeanDays: 40, early: 0.1, periodMet: 0.55, eventOnTime: 0.65, eventLateMeanDays: 8, eventLateMeanHours: 40, yearEndDone: 0.5 },
};

type Kind = 'DUE_DATE' | 'RECURRING' | 'WORKING_DAYS_AFTER_EVENT' | 'HOURS_AFTER_EVENT' | 'NONE' | 'UNREADABLE';
const KIND_WEIGHTS: Array<[Kind, number]> = [
  ['DUE_DATE', 0.36], ['RECURRING', 0.2], ['WORKING_DAYS_AFTER_EVENT', 0.07], ['HOURS_AFTER_EVENT', 0.05], ['NONE', 0.3], ['UNREADABLE', 0.02],
];

const SECTIONS: Array<[string, string[]]> = [
  ['深化重点领域信息公开', ['推进行政执法信息公开', '推进财政资金信息公开', '推进公共安全信息公开']],
  ['加强政策解读和回应关切', ['做好政策解读', '加强政务舆情回应', '办好新闻发布会']],
  ['优化政务服务信息公开', ['公开办事服务信息', '推进“互联网+政务服务”', '公开便民利民措施']],
  ['加强公开平台建设', ['规范政府网站管理', '加强政务新媒体建设', '推进政务公开专区建设']],
  ['推进决策和管理公开', ['推进重大决策预公开', '公开建议提案办理结果', '规范依申请公开办理']],
  ['推进基层政务公开标准化规范化', ['完善基层公开目录', '推进公开事项标准化']],
  ['强化组织保障', ['加强组织领导', '加强教育培训', '强化监督考核']],
];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

const TITLES: Record<Kind, string[]> = {
  DUE_DATE: [
    '修订完善政府信息公开指南', '更新主动公开基本目录', '开展政务公开业务培训', '完成政府网站栏目优化调整', '梳理公开行政执法事项清单',
    '公开部门预算及“三公”经费', '公开部门决算', '清理规范性文件并公开结果', '建设政务公开专区', '开展政务新媒体检查整改',
    '完善依申请公开工作制度', '报送政务公开工作总结', '落实政务公开第三方评估整改', '公开年度行政执法统计数据',
  ],
  RECURRING: ['召开新闻发布会', '开展“警营开放日”活动', '开展政务公开工作检查', '开展政务舆情分析研判', '更新办事指南', '开展政策解读活动', '报送政务公开工作进展'],
  WORKING_DAYS_AFTER_EVENT: ['发布政策解读材料', '公开规范性文件', '公开行政许可结果', '公开重大决策结果'],
  HOURS_AFTER_EVENT: ['重大突发事件信息发布', '涉警舆情回应'],
  NONE: ['落实政务公开主体责任', '加强政务公开队伍建设', '持续推进“放管服”改革信息公开', '加强信息公开保密审查', '规范政务公开工作流程'],
  UNREADABLE: ['配合做好上级交办的公开事项', '做好专项工作信息公开'],
};
const EVENTS: Record<'WORKING_DAYS_AFTER_EVENT' | 'HOURS_AFTER_EVENT', string[]> = {
  WORKING_DAYS_AFTER_EVENT: ['文件公布', '政策出台', '规范性文件印发'],
  HOURS_AFTER_EVENT: ['重大突发事件发生', '涉警舆情发生'],
};
const HOURS = [5, 24, 48];
const HOUR_MS = 3_600_000;

/** The data set's column lists (shared by the insert and the estimate). */
const COLUMNS: Record<'plans' | 'headings' | 'tasks' | 'taskUnits' | 'progress' | 'reviews', Array<[string, string, string?]>> = {
  plans: [['id', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['agency_id', 'uuid'], ['year', 'int'], ['kind', 'plan_kind'], ['title', 'text'], ['status', 'plan_status']],
  headings: [['id', 'uuid'], ['plan_id', 'uuid'], ['agency_id', 'uuid'], ['parent_id', 'uuid'], ['level', 'smallint'], ['number', 'text'], ['title', 'text'], ['position', 'int']],
  tasks: [
    ['id', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['plan_id', 'uuid'], ['agency_id', 'uuid'], ['heading_id', 'uuid'],
    ['position', 'int'], ['number', 'text'], ['title', 'text'], ['requirement', 'text'], ['lead_units_text', 'text'], ['cooperating_units_text', 'text'],
    ['timing_kind', 'task_timing_kind'], ['timing_text', 'text'], ['due_on', 'date'], ['recurrence', 'task_recurrence'], ['minimum_count', 'int'],
    ['working_days', 'int'], ['hours', 'text', 'int[]'], ['timing_event', 'text'], ['due_reason', 'text'], ['withdrawn_at', 'timestamptz'],
    ['withdrawn_reason', 'text'], ['carried_from_id', 'uuid'], ['accepted_on', 'date'], ['accepted_by', 'text'],
  ],
  taskUnits: [['task_id', 'uuid'], ['unit_id', 'uuid'], ['agency_id', 'uuid'], ['role', 'task_unit_role'], ['position', 'int']],
  progress: [
    ['id', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['task_id', 'uuid'], ['agency_id', 'uuid'], ['unit_id', 'uuid'],
    ['happened_on', 'date'], ['counts', 'boolean'], ['event_on', 'date'], ['event_at', 'timestamptz'], ['done_at', 'timestamptz'], ['due_on', 'date'],
    ['due_at', 'timestamptz'], ['text', 'text'], ['evidence_urls', 'text', 'text[]'], ['reported_by', 'text'],
  ],
  reviews: [['id', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['task_id', 'uuid'], ['agency_id', 'uuid'], ['decision', 'task_decision'], ['reason', 'text'], ['decided_on', 'date'], ['decided_by', 'text']],
};

const PERIOD_MONTHS = { YEARLY: 12, HALF_YEARLY: 6, QUARTERLY: 3 } as const;
type Recurrence = keyof typeof PERIOD_MONTHS;

const monthEnd = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
const ymd = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const at = (date: string, hh = 9) => `${date}T${String(hh).padStart(2, '0')}:00:00+08:00`;
const minDate = (a: string, b: string) => (a < b ? a : b);
const maxDate = (a: string, b: string) => (a > b ? a : b);

/**
 * All rows of the task data set. `workingDue(eventOn, days)` is the due date of an occurrence (the
 * deadline engine with the stored calendar); `nowMs` caps hour-limited occurrences.
 */
export function buildPlanRows(
  agencies: GenAgency[],
  years: number[],
  today: string,
  nowMs: number,
  workingDue: (eventOn: string, days: number) => string,
  cfg: PlanDatasetConfig,
): PlanRows {
  const rnd = prng(cfg.seed ^ 0x7a5c);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const weighted = <T>(xs: ReadonlyArray<[T, number]>): T => {
    let r = rnd() * xs.reduce((a, [, w]) => a + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  };
  const expo = (mean: number) => -Math.log(1 - rnd()) * mean;
  /** A uniform date in [from, to] (inclusive); null when empty. */
  const between = (from: string, to: string): string | null => (to < from ? null : addDays(from, Math.floor(rnd() * (daysBetween(from, to) + 1))));
  /** `k` distinct indices below `n` (at most n), in random order. */
  const distinct = (n: number, k: number): number[] => {
    const out: number[] = [];
    while (out.length < Math.min(n, k)) {
      const x = Math.floor(rnd() * n);
      if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  const url = (d: string) => `http://gaj.example.gov.cn/art/${d.replace(/-/g, '/')}/${Math.floor(rnd() * 1e9).toString(36)}.html`;

  const rows: PlanRows = { plans: [], headings: [], tasks: [], taskUnits: [], progress: [], reviews: [], sizes: undefined as unknown as PlanDatasetSizes };
  const sz: PlanDatasetSizes = {
    years, workPlans: 0, headings: 0, tasks: 0, byTiming: {}, withdrawn: 0, carriedOn: 0, accepted: 0, datedByOutcome: {},
    taskUnits: { lead: 0, cooperating: 0 }, progress: { total: 0, counted: 0, workingDayEvents: 0, hourEvents: 0, lateEvents: 0, notes: 0 },
    periodsEnded: { met: 0, missed: 0 }, reviews: { accepted: 0, returned: 0 },
  };
  const bump = (rec: Record<string, number>, k: string) => (rec[k] = (rec[k] ?? 0) + 1);
  if (cfg.tasksMax <= 0) return { ...rows, sizes: sz };
  const currentYear = Number(today.slice(0, 4));

  for (const a of agencies) {
    const prof = TASK_PROFILES[a.profile];
    /** Last year's dated tasks left open: this year's plan carries some of them on. */
    let openLastYear: Array<{ id: string; title: string }> = [];
    for (const y of years) {
      if (`${y}-01-01` > today) continue;
      const yearEnd = `${y}-12-31`;
      const lastDay = minDate(yearEnd, today);
      const planStart = `${y}-02-01`;
      const planId = randomUUID();
      const created = at(addDays(`${y}-01-10`, Math.floor(rnd() * 30)));
      rows.plans.push([planId, created, created, a.id, y, 'DIVISION', `${a.name}${y}年政务公开工作要点分工方案`, y < currentYear ? 'ARCHIVED' : 'IN_FORCE']);
      sz.workPlans += 1;

      // Headings: 5–7 sections, each with 2–3 sub-headings; the tasks fill the sub-headings in order.
      const subs: string[] = [];
      let hpos = 0;
      const sections = SECTIONS.filter((_, i) => i === 0 || i === SECTIONS.length - 1 || rnd() < 0.75);
      sections.forEach(([title, children], i) => {
        const h1 = randomUUID();
        rows.headings.push([h1, planId, a.id, null, 1, NUMERALS[i] ?? String(i + 1), title, ++hpos]);
        children.slice(0, 2 + (rnd() < 0.5 ? 1 : 0)).forEach((child, j) => {
          const h2 = randomUUID();
          rows.headings.push([h2, planId, a.id, h1, 2, `（${NUMERALS[j] ?? j + 1}）`, child, ++hpos]);
          subs.push(h2);
        });
      });
      sz.headings += hpos;

      const size = Math.min(1, Math.max(0, ((a.activity - 0.5) / 1.1) * (0.8 + 0.4 * rnd())));
      const n = Math.round(cfg.tasksMin + (cfg.tasksMax - cfg.tasksMin) * size);
      const carried = y === currentYear ? openLastYear.filter(() => rnd() < 0.4).slice(0, Math.max(0, Math.min(8, n - 1))) : [];
      const openThisYear: Array<{ id: string; title: string }> = [];
      const yearFraction = (daysBetween(`${y}-01-01`, lastDay) + 1) / 365;

      for (let i = 0; i < n; i++) {
        const taskId = randomUUID();
        const carry = i < carried.length ? carried[i]! : null;
        const kind: Kind = carry ? 'DUE_DATE' : weighted(KIND_WEIGHTS);
        const title = carry ? `${carry.title.replace(/（回头看）$/, '')}（回头看）` : pick(TITLES[kind]);
        let timingText = '';
        let dueOn: string | null = null;
        let dueReason: string | null = null;
        let recurrence: Recurrence | null = null;
        let minimum: number | null = null;
        let workingDays: number | null = null;
        let hours: number[] = [];
        let event: string | null = null;
        switch (kind) {
          case 'DUE_DATE': {
            const r = rnd();
            if (carry) {
              const m = 3 + Math.floor(rnd() * 4);
              dueOn = monthEnd(y, m);
              timingText = `${y}年${m}月底前`;
            } else if (r < 0.03) {
              dueOn = ymd(y + 1, 1, 31);
              timingText = `${y + 1}年1月31日前`;
              dueReason = '年度工作总结按规定于次年1月31日前报送';
            } else {
              const m = weighted<number>([[3, 1], [4, 1], [5, 1.5], [6, 3], [7, 1], [8, 1.2], [9, 2.5], [10, 1.5], [11, 2], [12, 4]]);
              if (r < 0.18) {
                const d = 1 + Math.floor(rnd() * 28);
                dueOn = ymd(y, m, d);
                timingText = `${y}年${m}月${d}日前`;
              } else {
                dueOn = monthEnd(y, m);
                timingText = m === 12 && rnd() < 0.5 ? `${y}年底前` : `${y}年${m}月底前`;
              }
            }
            break;
          }
          case 'RECURRING': {
            recurrence = weighted<Recurrence>([['HALF_YEARLY', 0.4], ['QUARTERLY', 0.35], ['YEARLY', 0.25]]);
            minimum = rnd() < 0.7 ? 1 : 2;
            timingText = recurrence === 'HALF_YEARLY' ? `每半年至少开展${minimum}次` : recurrence === 'QUARTERLY' ? `每季度至少${minimum}次` : `每年至少${minimum}次`;
            break;
          }
          case 'WORKING_DAYS_AFTER_EVENT':
            workingDays = 3;
            event = pick(EVENTS.WORKING_DAYS_AFTER_EVENT);
            timingText = `${event}后3个工作日内`;
            break;
          case 'HOURS_AFTER_EVENT':
            hours = HOURS;
            event = pick(EVENTS.HOURS_AFTER_EVENT);
            timingText = '5小时内发布权威信息，24小时内发布调查进展，48小时内予以回应';
            break;
          case 'NONE':
            timingText = pick(['长期坚持', '持续推进', '常态化开展', '']);
            break;
          case 'UNREADABLE':
            timingText = pick(['根据上级部署适时开展', '按上级要求及时完成', '视情开展']);
            break;
        }

        // Units: 1–2 lead, 0–3 cooperating, distinct.
        const leadCount = rnd() < 0.75 ? 1 : 2;
        const order = distinct(a.units.length, leadCount + weighted<number>([[0, 0.4], [1, 0.3], [2, 0.2], [3, 0.1]]));
        const leads = order.slice(0, leadCount);
        const coops = order.slice(leads.length);
        let upos = 0;
        for (const k of leads) rows.taskUnits.push([taskId, a.units[k]!, a.id, 'LEAD', ++upos]);
        for (const k of coops) rows.taskUnits.push([taskId, a.units[k]!, a.id, 'COOPERATING', ++upos]);
        sz.taskUnits.lead += leads.length;
        sz.taskUnits.cooperating += coops.length;
        const leadUnit = a.units[leads[0]!]!;

        const withdrawn = !carry && rnd() < 0.015 ? between(planStart, lastDay) : null;
        const progress: Array<{ happenedOn: string; row: unknown[] }> = [];
        const report = (happenedOn: string, text: string, extra: { counts?: boolean; eventOn?: string; eventAt?: string; doneAt?: string; dueOn?: string; dueAt?: string } = {}) => {
          const byOffice = rnd() < 0.1;
          const stamp = extra.doneAt ?? at(happenedOn, 17);
          progress.push({
            happenedOn,
            row: [randomUUID(), stamp, stamp, taskId, a.id, byOffice ? null : leadUnit, happenedOn, extra.counts ?? false, extra.eventOn ?? null,
              extra.eventAt ?? null, extra.doneAt ?? null, extra.dueOn ?? null, extra.dueAt ?? null, text,
              PG_ARRAY(rnd() < 0.5 ? [url(happenedOn)] : []), byOffice ? 'bench.office' : 'bench.liaison'],
          });
        };
        let acceptedOn: string | null = null;

        if (!withdrawn) {
          if (kind === 'DUE_DATE') {
            const due = dueOn!;
            if (due <= today) {
              const r = rnd();
              if (r < prof.onTime) acceptedOn = addDays(due, -Math.floor(rnd() * Math.min(45, Math.max(0, daysBetween(planStart, due)))));
              else if (r < prof.onTime + prof.late) acceptedOn = addDays(due, 1 + Math.floor(expo(prof.lateMeanDays)));
              if (acceptedOn && acceptedOn > today) acceptedOn = null;
            } else if (rnd() < prof.early) {
              acceptedOn = between(planStart, today);
            }
            const notesUntil = minDate(acceptedOn ?? due, today);
            for (let k = Math.floor(rnd() * 3); k > 0; k--) {
              const d = between(planStart, notesUntil);
              if (d) report(d, `${title}：已完成阶段性工作，正在推进`);
            }
          } else if (kind === 'RECURRING') {
            const months = PERIOD_MONTHS[recurrence!];
            for (let k = 0; k < 12 / months; k++) {
              const pStart = ymd(y, 1 + k * months, 1);
              const pEnd = monthEnd(y, (k + 1) * months);
              if (pStart > today) break;
              const met = rnd() < prof.periodMet;
              const count = met ? minimum! + (rnd() < 0.25 ? 1 : 0) : Math.floor(rnd() * minimum!);
              if (pEnd < today) (met ? sz.periodsEnded.met++ : sz.periodsEnded.missed++);
              for (let c = 0; c < count; c++) {
                const d = between(pStart, pEnd)!;
                if (d <= today) report(d, `${title}（第${k + 1}期第${c + 1}次）`, { counts: true });
              }
            }
            if (rnd() < 0.3) {
              const d = between(planStart, lastDay);
              if (d) report(d, `${title}：工作安排已部署`);
            }
          } else if (kind === 'WORKING_DAYS_AFTER_EVENT') {
            const count = Math.round(6 * a.activity * yearFraction * (0.4 + 1.2 * rnd()));
            for (let c = 0; c < count; c++) {
              const eventOn = between(`${y}-01-01`, lastDay)!;
              const due = workingDue(eventOn, workingDays!);
              const onTime = rnd() < prof.eventOnTime;
              const happened = onTime ? addDays(eventOn, Math.floor(rnd() * (daysBetween(eventOn, due) + 1))) : addDays(due, 1 + Math.floor(expo(prof.eventLateMeanDays)));
              if (happened > today) continue;
              report(happened, `${event}后发布：${title}`, { eventOn, dueOn: due });
              sz.progress.workingDayEvents += 1;
              if (happened > due) sz.progress.lateEvents += 1;
            }
          } else if (kind === 'HOURS_AFTER_EVENT') {
            const count = Math.round(2.5 * a.activity * yearFraction * (0.4 + 1.2 * rnd()));
            const from = Date.parse(`${y}-01-01T00:00:00+08:00`);
            const to = Math.min(Date.parse(`${y}-12-31T23:59:59+08:00`), nowMs - 49 * HOUR_MS);
            for (let c = 0; c < count && to > from; c++) {
              const eventMs = from + Math.floor(rnd() * (to - from) / 60000) * 60000;
              const dueMs = eventMs + Math.max(...HOURS) * HOUR_MS;
              const onTime = rnd() < prof.eventOnTime;
              const doneMs = onTime ? eventMs + Math.round((0.5 + rnd() * 47.5) * 60) * 60000 : dueMs + Math.round(expo(prof.eventLateMeanHours) * 60 + 1) * 60000;
              if (doneMs > nowMs) continue;
              report(chinaDateOfInstant(doneMs), `${event}：已发布权威信息并回应`, {
                eventAt: new Date(eventMs).toISOString(), doneAt: new Date(doneMs).toISOString(), dueAt: new Date(dueMs).toISOString(),
              });
              sz.progress.hourEvents += 1;
              if (doneMs > dueMs) sz.progress.lateEvents += 1;
            }
          } else {
            for (let k = Math.floor(rnd() * 4); k > 0; k--) {
              const d = between(planStart, lastDay);
              if (d) report(d, `${title}：持续推进中`);
            }
          }

          // Undated tasks: last year's are accepted at the year-end review (after their last report);
          // this year's only now and then (a standing task declared done).
          if (kind !== 'DUE_DATE') {
            if (y < currentYear && rnd() < prof.yearEndDone) {
              const last = progress.reduce((m, p) => maxDate(m, p.happenedOn), `${y}-12-31`);
              const d = maxDate(addDays(`${y + 1}-01-05`, Math.floor(rnd() * 20)), last);
              acceptedOn = d <= today ? d : null;
            } else if (y === currentYear && (kind === 'NONE' || kind === 'UNREADABLE') && rnd() < 0.06) {
              const last = progress.reduce((m, p) => maxDate(m, p.happenedOn), planStart);
              acceptedOn = between(last, today);
            }
          }
        }

        if (kind === 'DUE_DATE' && !withdrawn && !acceptedOn) openThisYear.push({ id: taskId, title });
        const updated = at(maxDate(acceptedOn ?? created.slice(0, 10), withdrawn ?? created.slice(0, 10)), 18);
        const heading = subs[Math.floor((i * subs.length) / n)] ?? null;
        const requirement = `${title}。${timingText ? `${timingText}，` : ''}由牵头单位会同配合单位抓好落实，并及时报送工作进展和佐证材料。`;
        rows.tasks.push([
          taskId, created, updated, planId, a.id, heading, i + 1, String(i + 1), title, requirement,
          leads.map((k) => unitAt(k)[0]).join('、'), coops.map((k) => unitAt(k)[0]).join('、'),
          kind, timingText, dueOn, recurrence, minimum, workingDays, PG_ARRAY(hours), event, dueReason,
          withdrawn ? at(withdrawn, 10) : null, withdrawn ? '根据上级部署调整，本任务不再执行' : null, carry?.id ?? null,
          acceptedOn, acceptedOn ? 'bench.office' : null,
        ]);
        sz.tasks += 1;
        if (carry) sz.carriedOn += 1;
        if (withdrawn) {
          sz.withdrawn += 1;
        } else {
          bump(sz.byTiming, kind);
          if (kind === 'DUE_DATE') {
            bump(sz.datedByOutcome, acceptedOn ? (acceptedOn <= dueOn! ? 'done on time' : 'done late') : dueOn! < today ? 'overdue' : 'open, not yet due');
          }
        }
        for (const p of progress) {
          rows.progress.push(p.row);
          sz.progress.total += 1;
          if (p.row[7]) sz.progress.counted += 1;
          else if (p.row[8] == null && p.row[9] == null) sz.progress.notes += 1;
        }
        if (acceptedOn) {
          sz.accepted += 1;
          if (rnd() < 0.08) {
            const returnedOn = maxDate(addDays(acceptedOn, -7 - Math.floor(rnd() * 14)), planStart);
            rows.reviews.push([randomUUID(), at(returnedOn, 16), at(returnedOn, 16), taskId, a.id, 'RETURNED', '佐证材料不全，请补充后重新报送', returnedOn, 'bench.office']);
            sz.reviews.returned += 1;
          }
          rows.reviews.push([randomUUID(), at(acceptedOn, 16), at(acceptedOn, 16), taskId, a.id, 'ACCEPTED', '经核查，已按要求完成', acceptedOn, 'bench.office']);
          sz.reviews.accepted += 1;
        }
      }
      openLastYear = openThisYear;
    }
  }
  return { ...rows, sizes: sz };
}

/**
 * Generates and inserts the task data set (see the file comment). `client` is the data set's
 * superuser session (with `session_replication_role = replica` when the publication load has it).
 */
export async function generatePlans(
  client: Client,
  em: EntityManager,
  agencies: GenAgency[],
  today: string,
  cfg: PlanDatasetConfig,
  log: (msg: string) => void,
): Promise<{ sizes: PlanDatasetSizes; ms: number }> {
  const started = performance.now();
  const currentYear = Number(today.slice(0, 4));
  const years = [currentYear - 1, currentYear];
  const calendar: WorkingCalendar = await calendarService.load(em);
  const memo = new Map<string, string>();
  const workingDue = (eventOn: string, days: number) => {
    const key = `${days}:${eventOn}`;
    let due = memo.get(key);
    if (due === undefined) {
      due = computeDeadline({ rule: { kind: 'WORKING_DAYS', days }, start: eventOn }, calendar).due!;
      memo.set(key, due);
    }
    return due;
  };
  const rows = buildPlanRows(agencies, years, today, Date.now(), workingDue, cfg);
  await insertColumns(client, 'work_plan', COLUMNS.plans, rows.plans);
  await insertColumns(client, 'plan_heading', COLUMNS.headings, rows.headings);
  await insertColumns(client, 'plan_task', COLUMNS.tasks, rows.tasks, 2000);
  await insertColumns(client, 'plan_task_unit', COLUMNS.taskUnits, rows.taskUnits);
  await insertColumns(client, 'task_progress', COLUMNS.progress, rows.progress, 4000);
  await insertColumns(client, 'task_review', COLUMNS.reviews, rows.reviews);
  const ms = Math.round(performance.now() - started);
  const s = rows.sizes;
  log(
    `plans: ${s.workPlans} work plans (${years.join(', ')}), ${s.headings} headings, ${s.tasks} tasks ${JSON.stringify(s.byTiming)}, ` +
      `${s.withdrawn} withdrawn, ${s.carriedOn} carried on; ${s.taskUnits.lead + s.taskUnits.cooperating} unit assignments, ` +
      `${s.progress.total} progress reports, ${rows.reviews.length} decisions; ${memo.size} working-day deadlines through the engine (${ms} ms)`,
  );
  return { sizes: s, ms };
}
