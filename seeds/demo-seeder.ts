import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { hashPassword } from '../src/auth/password';
import type { Logger } from '../src/logger';
import { Agency, AgencyKind, pathLabel } from '../src/modules/agency/agency.entity';
import { Unit, UnitKind } from '../src/modules/agency/unit.entity';
import { Account, Role } from '../src/modules/account/account.entity';
import { seedCatalogueDemo } from './catalogue-seeder';
import { seedPlanDemo } from './plan-seeder';
import { seedAssessmentDemo } from './assessment-seeder';
import { seedRequestDemo } from './request-seeder';
import { seedAnnualReportDemo, seedYanzhouReportDemo } from './annual-report-seeder';
import { seedPublicationDemo } from './publication-seeder';
import { grantCalendarOperator } from '../src/modules/calendar/calendar-operator';

/** Shape of seeds/data/agencies.json: real agencies and units named in the source documents. */
export interface AgencySeed {
  code: string;
  name: string;
  kind: AgencyKind;
  source?: string;
  units?: Array<{ code: string; name: string; kind: UnitKind; aliases?: string[] }>;
  children?: AgencySeed[];
}

export const DEMO_PASSWORD = 'demo-password-1';

/** One demo login per role; the README lists them. */
export const DEMO_ACCOUNTS: Array<{
  username: string;
  displayName: string;
  agency: string;
  unitName?: string;
  roles: Role[];
  evaluatorDays?: number;
  /** Granted the deployment's calendar operator capability (npm run calendar:operator) by the seeder. */
  calendarOperator?: boolean;
}> = [
  // The demo deployment's calendar operator as well (a grant of the deployment, not of the role).
  { username: 'province.admin', displayName: '省厅政务公开办', agency: 'sd', roles: [Role.AGENCY_ADMIN], calendarOperator: true },
  { username: 'jining.admin', displayName: '济宁市局政务公开办', agency: 'sd-jining', roles: [Role.AGENCY_ADMIN] },
  { username: 'jining.viewer', displayName: '济宁市局（上级查看）', agency: 'sd-jining', roles: [Role.SUPERIOR_VIEWER] },
  { username: 'yanzhou.admin', displayName: '兖州分局许可服务科', agency: 'sd-jining-yanzhou', unitName: '许可服务科', roles: [Role.AGENCY_ADMIN] },
  { username: 'yanzhou.liaison', displayName: '指挥中心秘书科联络员', agency: 'sd-jining-yanzhou', unitName: '指挥中心秘书科', roles: [Role.UNIT_LIAISON] },
  { username: 'yanzhou.head', displayName: '指挥中心秘书科负责人', agency: 'sd-jining-yanzhou', unitName: '指挥中心秘书科', roles: [Role.UNIT_HEAD] },
  { username: 'yanzhou.leader', displayName: '兖州分局分管领导', agency: 'sd-jining-yanzhou', roles: [Role.LEADER] },
  { username: 'weihai.admin', displayName: '威海市局政务公开办', agency: 'sd-weihai', roles: [Role.AGENCY_ADMIN] },
  { username: 'shanwei.admin', displayName: '汕尾市局政务公开办', agency: 'gd-shanwei', roles: [Role.AGENCY_ADMIN] },
  { username: 'changshu.admin', displayName: '常熟市局政务公开办', agency: 'js-changshu', roles: [Role.AGENCY_ADMIN] },
  { username: 'eval.2026', displayName: '第三方评估公司（2026年度）', agency: 'sd-jining', roles: [Role.EVALUATOR], evaluatorDays: 180 },
];

export function loadAgencySeeds(file = path.join(__dirname, 'data', 'agencies.json')): AgencySeed[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const roots = (Array.isArray(parsed) ? parsed : [parsed]) as AgencySeed[];
  // seeds/data/unit-aliases.json: per agency code, the names documents use → unit code.
  const aliases = JSON.parse(fs.readFileSync(path.join(path.dirname(file), 'unit-aliases.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const attach = (seed: AgencySeed) => {
    const map = aliases[seed.code] ?? {};
    for (const unit of seed.units ?? []) {
      unit.aliases = Object.entries(map)
        .filter(([alias, code]) => code === unit.code && alias !== unit.name)
        .map(([alias]) => alias);
    }
    seed.children?.forEach(attach);
  };
  roots.forEach(attach);
  return roots;
}

/** Creates missing agencies and units (matched by code), never changing existing ones. */
export async function upsertAgencyTree(em: EntityManager, seeds: AgencySeed[]): Promise<Map<string, Agency>> {
  const byCode = new Map<string, Agency>();
  const visit = async (seed: AgencySeed, parent: Agency | null) => {
    let agency = await em.findOne(Agency, { code: seed.code });
    if (!agency) {
      agency = em.create(Agency, { code: seed.code, name: seed.name, kind: seed.kind, parent: parent?.id ?? null, path: '' });
      agency.path = parent ? `${parent.path}.${pathLabel(agency.id)}` : pathLabel(agency.id);
    }
    byCode.set(seed.code, agency);
    for (const u of seed.units ?? []) {
      const existing = await em.findOne(Unit, { agency: agency.id, code: u.code });
      if (!existing) em.create(Unit, { agency: agency.id, code: u.code, name: u.name, kind: u.kind, aliases: u.aliases ?? [] });
    }
    await em.flush();
    for (const child of seed.children ?? []) await visit(child, agency);
  };
  for (const root of seeds) await visit(root, null);
  return byCode;
}

export async function seedDemo(em: EntityManager, log: Logger): Promise<void> {
  const agencies = await upsertAgencyTree(em, loadAgencySeeds());
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const a of DEMO_ACCOUNTS) {
    if (await em.findOne(Account, { username: a.username })) continue;
    const agency = agencies.get(a.agency);
    if (!agency) throw new Error(`demo account ${a.username}: agency ${a.agency} is not in agencies.json`);
    const unit = a.unitName ? await em.findOne(Unit, { agency: agency.id, name: a.unitName }) : null;
    if (a.unitName && !unit) throw new Error(`demo account ${a.username}: unit ${a.unitName} not found`);
    em.create(Account, {
      username: a.username,
      displayName: a.displayName,
      passwordHash,
      agency: agency.id,
      unit: unit?.id ?? null,
      roles: a.roles,
      accessFrom: a.evaluatorDays ? new Date() : null,
      accessUntil: a.evaluatorDays ? new Date(Date.now() + a.evaluatorDays * 86400_000) : null,
    });
  }
  await em.flush();
  for (const a of DEMO_ACCOUNTS) if (a.calendarOperator) await grantCalendarOperator(em, a.username, 'demo-seeder');
  log.info({ agencies: agencies.size, accounts: DEMO_ACCOUNTS.length }, 'demo data seeded');
}

/** What seeding produced that can be shown only once: the demo evaluator token (stored as a hash). */
export interface DemoSeed {
  evaluatorToken: string | null;
}

/** Seeds only an empty database, so a restart never touches data that users have changed; null when it did not seed. */
export async function seedDemoIfEmpty(orm: MikroORM, log: Logger): Promise<DemoSeed | null> {
  const em = orm.em.fork() as EntityManager;
  if ((await em.count(Agency, {})) > 0) return null;
  await em.transactional((tx) => seedDemo(tx as EntityManager, log));
  await seedCatalogueDemo(orm, log);
  await seedPublicationDemo(orm, log);
  await seedPlanDemo(orm, log);
  const assessment = await seedAssessmentDemo(orm, log);
  await seedRequestDemo(orm, log);
  await seedYanzhouReportDemo(orm, log);
  await seedAnnualReportDemo(orm, log);
  return { evaluatorToken: assessment?.evaluatorToken ?? null };
}
