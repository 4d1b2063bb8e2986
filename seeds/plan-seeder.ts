import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../src/logger';
import type { RequestContext } from '../src/graphql/context';
import { runAsAccount } from '../src/graphql/request-context';
import { Account } from '../src/modules/account/account.entity';
import { Agency } from '../src/modules/agency/agency.entity';
import { Unit } from '../src/modules/agency/unit.entity';
import { SheetFormatEnum } from '../src/modules/catalogue/catalogue.inputs';
import { matchUnits } from '../src/modules/catalogue/unit-matcher';
import { PlanKind, PlanStatus, WorkPlan } from '../src/modules/plan/plan.entity';
import { planService } from '../src/modules/plan/plan.service';
import { planSheetService } from '../src/modules/plan/plan-sheet.service';
import { taskCascadeService } from '../src/modules/plan/task-cascade';
import { taskProgressService } from '../src/modules/plan/task-progress';
import { findTaskTiming } from '../src/modules/plan/task-timing';

export const SHANWEI_PLAN_XLSX = path.join(__dirname, 'data', 'shanwei-2022-plan.xlsx');
const YANZHOU_PLAN = path.join(__dirname, 'data', 'yanzhou-2024-plan.json');

interface YanzhouPlan {
  title: string;
  year: number;
  headings: Array<{ number: string; title: string }>;
  items: Array<{ number: string | number; heading: string; title: string; requirement: string; leadUnitsText: string; cooperatingUnitsText: string }>;
}

/** Items 1–3 state principles and name no unit; 18–23 name none or only a collective (seeds/data/README.md §5). */
const SKIPPED = new Set(['1', '2', '3']);
const OFFICE_LED = new Set(['18', '19', '20', '21', '22', '23']);

type Demo = { id: string; agencyId: string };

async function demo(orm: MikroORM, username: string): Promise<Demo> {
  const a = await (orm.em.fork() as EntityManager).findOneOrFail(Account, { username });
  return { id: a.id, agencyId: a.agency.id };
}

/**
 * Demo plans through the services, as the demo accounts (so the tenancy gate and every rule apply):
 * - 汕尾市公安局: the committed 2022 division table (document 003) imported from the spreadsheet;
 * - 兖州分局: the 2024 implementation plan of document 002 with its 责任单位 / 配合单位, in force, with
 *   progress — item 8 (每年邀请…列席) met its yearly minimum, item 6 (文件公布后3个工作日内) answered
 *   late once across National Day, so it is overdue;
 * - 济宁市公安局 cascades one task to 兖州; the province cascades one through 济宁 to 兖州.
 * Skips when 兖州 already has a 2024 plan.
 */
export async function seedPlanDemo(orm: MikroORM, log: Logger): Promise<void> {
  const [province, jining, yanzhou, shanwei, liaison] = await Promise.all(
    ['province.admin', 'jining.admin', 'yanzhou.admin', 'shanwei.admin', 'yanzhou.liaison'].map((u) => demo(orm, u)),
  );
  const em = orm.em.fork() as EntityManager;
  if ((await em.count(WorkPlan, { agency: yanzhou.agencyId, year: 2024 })) > 0) return;
  const as = <T>(who: Demo, work: (ctx: RequestContext) => Promise<T>) => runAsAccount(orm, who, log, work);

  // 汕尾 2022, from the spreadsheet.
  const imported = await as(shanwei, (ctx) =>
    planSheetService.import(ctx, {
      agencyId: shanwei.agencyId,
      year: 2022,
      kind: PlanKind.DIVISION,
      format: SheetFormatEnum.XLSX,
      fileBase64: fs.readFileSync(SHANWEI_PLAN_XLSX).toString('base64'),
      createMissingUnits: false,
    }),
  );
  if (!imported.report.ok) throw new Error(`seedPlanDemo: 汕尾 import failed: ${JSON.stringify(imported.report.problems.slice(0, 3))}`);
  await as(shanwei, (ctx) => planService.update(ctx, { id: imported.plan!.id, status: PlanStatus.IN_FORCE }));

  // 兖州 2024, from document 002's numbered items.
  const data = JSON.parse(fs.readFileSync(YANZHOU_PLAN, 'utf8')) as YanzhouPlan;
  const units = await em.find(Unit, { agency: yanzhou.agencyId });
  const known = units.map((u) => ({ id: u.id, name: u.name, aliases: u.aliases }));
  const office = units.find((u) => u.name === '许可服务科');
  if (!office) throw new Error('seedPlanDemo: 兖州 has no 许可服务科');
  const plan = await as(yanzhou, (ctx) => planService.create(ctx, { agencyId: yanzhou.agencyId, year: data.year, kind: PlanKind.IMPLEMENTATION, title: data.title }));
  const headingIds = new Map<string, string>();
  for (const h of data.headings) {
    const { headingId } = await as(yanzhou, (ctx) => planService.addHeading(ctx, { planId: plan.id, number: h.number, title: h.title }));
    headingIds.set(h.number, headingId);
  }
  const taskByNumber = new Map<string, string>();
  for (const raw of data.items) {
    const item = { ...raw, number: String(raw.number), heading: String(raw.heading) };
    if (SKIPPED.has(item.number)) continue;
    const lead = OFFICE_LED.has(item.number) ? [office.id] : matchUnits(item.leadUnitsText, known).units.map((u) => u.id);
    const coop = matchUnits(item.cooperatingUnitsText, known).units.map((u) => u.id).filter((id) => !lead.includes(id));
    const timing = findTaskTiming(item.requirement, data.year);
    const task = await as(yanzhou, (ctx) =>
      planService.addTask(ctx, {
        planId: plan.id,
        headingId: headingIds.get(item.heading) ?? null,
        number: item.number,
        title: item.title.slice(0, 200),
        requirement: item.requirement,
        leadUnitIds: lead,
        cooperatingUnitIds: coop,
        leadUnitsText: item.leadUnitsText || (OFFICE_LED.has(item.number) ? office.name : ''),
        cooperatingUnitsText: item.cooperatingUnitsText,
        timingText: timing.text,
      }),
    );
    taskByNumber.set(item.number, task.id);
  }
  await as(yanzhou, (ctx) => planService.update(ctx, { id: plan.id, status: PlanStatus.IN_FORCE }));
  // Item 8: the yearly minimum met (指挥中心宣传科、秘书科 lead; the 秘书科 liaison reports).
  await as(liaison, (ctx) =>
    taskProgressService.report(ctx, { taskId: taskByNumber.get('8')!, happenedOn: '2024-09-12', text: '邀请人大代表、群众代表列席分局党委会', counts: true }),
  );
  // Item 6: one interpretation online 2 working days after the document, one 4 days after (late).
  await as(liaison, (ctx) =>
    taskProgressService.report(ctx, { taskId: taskByNumber.get('6')!, eventOn: '2024-06-27', happenedOn: '2024-07-01', text: '《实施方案》政策解读已发布', counts: false }),
  );
  await as(liaison, (ctx) =>
    taskProgressService.report(ctx, { taskId: taskByNumber.get('6')!, eventOn: '2024-09-30', happenedOn: '2024-10-14', text: '户籍业务调整通告解读，晚于时限', counts: false }),
  );
  // Item 10 accepted as done.
  await as(yanzhou, (ctx) => taskProgressService.accept(ctx, { taskId: taskByNumber.get('10')!, acceptedOn: '2024-08-30', note: '预决算已公开' }));

  // 济宁 → 兖州, and the province → 济宁 → 兖州.
  const jiningPlan = await as(jining, (ctx) => planService.create(ctx, { agencyId: jining.agencyId, year: 2024, kind: PlanKind.KEY_POINTS }));
  const jiningUnits = await em.find(Unit, { agency: jining.agencyId });
  const jiningTask = await as(jining, (ctx) =>
    planService.addTask(ctx, {
      planId: jiningPlan.id,
      requirement: '每半年开展一次政务公开察访核验，对照目录逐项检查各分局、县局公开情况。',
      leadUnitIds: jiningUnits.slice(0, 1).map((u) => u.id),
      leadUnitsText: jiningUnits[0]?.name ?? '市局政务公开办',
      timingText: '每半年开展一次',
    }),
  );
  const yanzhouAgency = await em.findOneOrFail(Agency, yanzhou.agencyId);
  await as(jining, (ctx) => taskCascadeService.cascade(ctx, { taskId: jiningTask.id, agencyIds: [yanzhouAgency.id] }));

  const provincePlan = await as(province, (ctx) => planService.create(ctx, { agencyId: province.agencyId, year: 2024, kind: PlanKind.KEY_POINTS }));
  const provinceTask = await as(province, (ctx) =>
    planService.addTask(ctx, {
      planId: provincePlan.id,
      requirement: '年内邀请相关人员列席党委或者工作会议不得少于 2 次。',
      leadUnitsText: '省厅政务公开办',
      timingText: '年内不得少于 2 次',
    }),
  );
  const toJining = await as(province, (ctx) => taskCascadeService.cascade(ctx, { taskId: provinceTask.id, agencyIds: [jining.agencyId] }));
  await as(jining, (ctx) => taskCascadeService.cascade(ctx, { taskId: toJining.copies[0]!.id, agencyIds: [yanzhouAgency.id] }));

  log.info({ plans: 5, yanzhouTasks: taskByNumber.size }, 'demo plans seeded');
}
