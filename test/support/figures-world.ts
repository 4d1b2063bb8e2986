import type { Logger } from '../../src/logger';
import { rootLogger } from '../../src/logger';
import { runAsAccount } from '../../src/graphql/request-context';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { addDays, daysBetween } from '../../src/modules/calendar/date-utils';
import type { DeadlineRule } from '../../src/modules/calendar/deadline-rule';
import { complianceService } from '../../src/modules/publication/compliance.service';
import { MAINTAINED, REFERENCE } from '../../src/modules/publication/compliance-figures';
import { FIGURE_TABLES } from '../../src/figures/figure-tables';
import { Role, type Harness } from './harness';
import { catalogueWithItems, WD20, type ItemSpec } from './publication-fixtures';

/**
 * A small world for the maintained-figure tests (test/e2e/figures-invariant.test.ts): a province
 * with two cities of two branches each, and a second province with one agency (what a viewer must
 * not see); the accounts the publication workflow needs in every city and branch; 2025 and 2026
 * catalogues whose items cover every kind of time limit.
 */

export const TODAY = '2026-11-20';

/** mulberry32: small, fast and the same on every machine, so a seed replays a run exactly. */
export class Rng {
  private a: number;
  constructor(readonly seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[Math.floor(this.next() * list.length)]!;
  }
  /** One of `list`, each as likely as its weight. */
  pickWeighted<T>(list: readonly T[], weight: (item: T) => number): T {
    const total = list.reduce((sum, item) => sum + weight(item), 0);
    let x = this.next() * total;
    for (const item of list) {
      x -= weight(item);
      if (x < 0) return item;
    }
    return this.pick(list);
  }
  /** A date in [from, to] (ISO dates). */
  date(from: string, to: string): string {
    return addDays(from, this.int(0, Math.max(0, daysBetween(from, to))));
  }
  /** One of `choices` by weight. */
  weighted<T extends string>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [c, w] of choices) {
      x -= w;
      if (x < 0) return c;
    }
    return choices[choices.length - 1]![0];
  }
}

export const CITIES = ['c1', 'c2'] as const;
export const BRANCHES = ['b11', 'b12', 'b21', 'b22'] as const;
/** The agency of the second province. */
export const OTHER = ['x1'] as const;
/** Agencies of the first province with their own catalogues and workflow accounts. */
export const IN_PROVINCE = [...CITIES, ...BRANCHES] as const;
/** Agencies with their own catalogues and workflow accounts. */
export const WORKING = [...IN_PROVINCE, ...OTHER] as const;
export type WorkingCode = (typeof WORKING)[number];
export const YEARS = [2025, 2026] as const;
/** Agencies that keep work plans: the province itself too (it cascades tasks to its cities). */
export const PLAN_AGENCIES = ['prov', ...WORKING] as const;
export type PlanCode = (typeof PLAN_AGENCIES)[number];

export const WD7: DeadlineRule = { kind: 'WORKING_DAYS', days: 7 };
/** Every kind of time limit the figures treat differently (due or not, stale by age or by period). */
export const ITEM_SPECS: ItemSpec[] = [
  { name: '部门文件', rule: WD20 },
  { name: '执法信息', rule: WD7 },
  { name: '政府信息公开指南', rule: { kind: 'KEEP_CURRENT', maxAgeDays: 90 } },
  { name: '部门动态', rule: { kind: 'KEEP_CURRENT', maxAgeDays: null } },
  { name: '政府信息公开年报', rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 } },
  { name: '其他信息', rule: null },
  { name: '临时事项甲', rule: WD20 },
  { name: '临时事项乙', rule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 } },
];

export interface ItemModel {
  id: string;
  name: string;
  agency: WorkingCode;
  year: number;
  catalogueId: string;
}

export interface PubModel {
  id: string;
  agency: WorkingCode;
  itemId: string;
  status: string;
  formedOn: string;
  publishedOn: string | null;
  attribute: 'PROACTIVE' | 'ON_APPLICATION' | 'NOT_DISCLOSED';
  due: string | null;
}

export interface AgencyTokens {
  admin: string;
  liaison: string;
  head: string;
  leader: string;
}

export interface Viewer {
  id: string;
  agencyId: string;
}

export interface World {
  h: Harness;
  ids: Record<string, string>;
  tok: Record<WorkingCode, AgencyTokens>;
  /** Each working agency's `-sec` unit, by id (historical records name their drafting unit). */
  secUnit: Record<WorkingCode, string>;
  provAdmin: string;
  /** The province's superior viewer: the whole tree's figures, read outside HTTP through the tenancy gate. */
  viewer: Viewer;
  /** Superior viewers of a city and of the second province: their whole scope is what the gate lets through. */
  viewers: { c1: Viewer; prov2: Viewer };
  catalogues: Array<{ id: string; agency: WorkingCode; year: number }>;
  /** In creation (then table) order, so picks replay identically for a seed. */
  items: ItemModel[];
  pubs: PubModel[];
  parent: Record<string, string>;
  /** Work plans: each plan agency's administrator and the liaison of its `-sec` unit. */
  planTok: Record<PlanCode, { admin: string; liaison: string }>;
  /** Each plan agency's two units (`<code>-sec`, `<code>-law`), by id. */
  unitIds: Record<PlanCode, { sec: string; law: string }>;
  /** Tokens that read the completion roll-up of the first province and of the second. */
  rollupTok: { prov: string; prov2: string };
}

export async function buildWorld(h: Harness): Promise<World> {
  await h.tree([
    {
      code: 'prov',
      units: ['prov-sec', 'prov-law'],
      children: [
        { code: 'c1', units: ['c1-sec', 'c1-law'], children: [{ code: 'b11', units: ['b11-sec', 'b11-law'] }, { code: 'b12', units: ['b12-sec', 'b12-law'] }] },
        { code: 'c2', units: ['c2-sec', 'c2-law'], children: [{ code: 'b21', units: ['b21-sec', 'b21-law'] }, { code: 'b22', units: ['b22-sec', 'b22-law'] }] },
      ],
    },
    { code: 'prov2', units: ['prov2-sec'], children: [{ code: 'x1', units: ['x1-sec', 'x1-law'] }] },
  ]);
  const ids: Record<string, string> = {};
  for (const code of ['prov', 'prov2', ...WORKING]) ids[code] = (await h.agency(code)).id;
  const tok = {} as Record<WorkingCode, AgencyTokens>;
  const secUnit = {} as Record<WorkingCode, string>;
  for (const code of WORKING) {
    const unit = `${code}-sec`;
    secUnit[code] = (await h.unit(code, unit)).id;
    tok[code] = {
      admin: (await h.account({ agency: code, roles: [Role.AGENCY_ADMIN] })).token,
      liaison: (await h.account({ agency: code, roles: [Role.UNIT_LIAISON], unit })).token,
      head: (await h.account({ agency: code, roles: [Role.UNIT_HEAD], unit })).token,
      leader: (await h.account({ agency: code, roles: [Role.LEADER] })).token,
    };
  }
  // Also the deployment's calendar operator: the invariant run corrects the calendar with it.
  const provAdmin = (await h.account({ agency: 'prov', roles: [Role.AGENCY_ADMIN], calendarOperator: true })).token;
  const viewer = async (agency: string): Promise<Viewer> => ({
    id: (await h.account({ agency, roles: [Role.SUPERIOR_VIEWER] })).account.id,
    agencyId: ids[agency]!,
  });
  const catalogues: World['catalogues'] = [];
  const items: ItemModel[] = [];
  for (const code of WORKING) {
    for (const year of YEARS) {
      const made = await catalogueWithItems(h, code, year, ITEM_SPECS);
      catalogues.push({ id: made.catalogueId, agency: code, year });
      for (const spec of ITEM_SPECS) items.push({ id: made.items[spec.name]!, name: spec.name, agency: code, year, catalogueId: made.catalogueId });
    }
  }
  const parent: Record<string, string> = { b11: 'c1', b12: 'c1', b21: 'c2', b22: 'c2' };
  const planTok = {} as World['planTok'];
  const unitIds = {} as World['unitIds'];
  for (const code of PLAN_AGENCIES) {
    unitIds[code] = { sec: (await h.unit(code, `${code}-sec`)).id, law: (await h.unit(code, `${code}-law`)).id };
    planTok[code] =
      code === 'prov'
        ? { admin: provAdmin, liaison: (await h.account({ agency: code, roles: [Role.UNIT_LIAISON], unit: 'prov-sec' })).token }
        : { admin: tok[code].admin, liaison: tok[code].liaison };
  }
  const rollupTok = {
    prov: (await h.account({ agency: 'prov', roles: [Role.SUPERIOR_VIEWER] })).token,
    prov2: (await h.account({ agency: 'prov2', roles: [Role.SUPERIOR_VIEWER] })).token,
  };
  return {
    h,
    ids,
    tok,
    secUnit,
    provAdmin,
    viewer: await viewer('prov'),
    viewers: { c1: await viewer('c1'), prov2: await viewer('prov2') },
    catalogues,
    items,
    pubs: [],
    parent,
    planTok,
    unitIds,
    rollupTok,
  };
}

// ---- GraphQL -------------------------------------------------------------------------------------

export const PUB = 'id status formedOn publishedOn disclosureAttribute deadline { due } item { id }';
const mutation = (name: string, input: string) => `mutation($i: ${input}!) { ${name}(input: $i) { publication { ${PUB} } } }`;
export const Q = {
  create: mutation('createPublication', 'CreatePublicationInput'),
  update: mutation('updatePublication', 'UpdatePublicationInput'),
  submit: mutation('submitPublication', 'SubmitPublicationInput'),
  review: mutation('recordConfidentialityReview', 'RecordConfidentialityReviewInput'),
  signOff: mutation('signOffPublication', 'SignOffPublicationInput'),
  publish: mutation('publishPublication', 'PublishPublicationInput'),
  historical: mutation('recordHistoricalPublication', 'RecordHistoricalPublicationInput'),
  publication: `query($id: ID!) { publication(id: $id) { ${PUB} } }`,
  removeItem: `mutation($i: RemoveCatalogueItemInput!) { removeCatalogueItem(input: $i) { removedItemId } }`,
  export: `query($id: ID!) { exportCatalogue(id: $id, format: CSV) { base64 itemCount } }`,
  import: `mutation($i: ImportCatalogueInput!) { importCatalogue(input: $i) {
    report { ok itemsCreated itemsUpdated itemsRemoved problems { severity code message } } } }`,
  items: `query($id: ID!) { catalogue(id: $id) { items(first: 100) { edges { node { id name } } } } }`,
  move: `mutation($i: MoveAgencyInput!) { moveAgency(input: $i) { agency { code parent { code } } } }`,
  calendar: `mutation($i: SetCalendarEntriesInput!) { setCalendarEntries(input: $i) { change { recomputed changed } } }`,
  rollup: `query($f: ComplianceFilter!) { complianceRollup(filter: $f) { asOf rows { agency { code } subtree { dueInPeriod onTime } } } }`,
};

/** Applies a mutation's answer to the model. */
export function remember(w: World, agency: WorkingCode, p: any): PubModel {
  const known = w.pubs.find((x) => x.id === p.id);
  const next: PubModel = {
    id: p.id,
    agency,
    itemId: p.item.id,
    status: p.status,
    formedOn: p.formedOn,
    publishedOn: p.publishedOn,
    attribute: p.disclosureAttribute,
    due: p.deadline.due,
  };
  if (known) Object.assign(known, next);
  else w.pubs.push(next);
  return known ?? next;
}

// ---- figures -------------------------------------------------------------------------------------

/** Every row of every maintained table, in key order (what a failed write must leave untouched). */
export async function figureSnapshot(h: Harness): Promise<Record<string, unknown[]>> {
  const conn = h.em().getConnection();
  const out: Record<string, unknown[]> = {};
  for (const t of FIGURE_TABLES) {
    out[t.table] = await conn.execute(`select * from "${t.table}" order by ${t.key.map((_, i) => i + 1).join(', ')}`);
  }
  return out;
}

/** For work done outside HTTP (runAsAccount): the tests read answers, not logs. */
export const quiet: Logger = (() => {
  const log = rootLogger.child({ test: 'figures' });
  log.level = 'silent';
  return log;
})();

export interface Period {
  from: string;
  to: string;
}

/**
 * The roll-up and per-item compliance from the maintained figures and recomputed from the raw rows,
 * for each period and scope (null: the viewer's whole subtree), as of each date in `asOfs` (today is
 * pinned to each in turn, then put back to TODAY). Returns the first difference, or null when every
 * answer is the same.
 */
export async function serviceDifference(
  w: World,
  periods: Period[],
  agencyIds: Array<string | null>,
  asOfs: string[],
  viewer: Viewer = w.viewer,
): Promise<{ what: string; maintained: unknown; reference: unknown } | null> {
  try {
    for (const asOf of asOfs) {
      setFixedToday(asOf);
      const diff = await runAsAccount(w.h.orm, viewer, quiet, async (ctx) => {
        for (const period of periods) {
          for (const agencyId of agencyIds) {
            const filter = { ...period, ...(agencyId ? { agencyId } : {}) };
            const what = (kind: string) =>
              `${kind} ${period.from}…${period.to} as of ${asOf}, agency ${agencyId ?? '(whole scope)'}, viewer at ${viewer.agencyId}`;
            const rm = await complianceService.rollup(ctx, filter, MAINTAINED);
            const rr = await complianceService.rollup(ctx, filter, REFERENCE);
            if (JSON.stringify(rm) !== JSON.stringify(rr)) return { what: what('complianceRollup'), maintained: rm, reference: rr };
            const cm = await complianceService.compliance(ctx, filter, MAINTAINED);
            const cr = await complianceService.compliance(ctx, filter, REFERENCE);
            if (JSON.stringify(cm) !== JSON.stringify(cr)) return { what: what('publicationCompliance'), maintained: cm, reference: cr };
          }
        }
        return null;
      });
      if (diff) return diff;
    }
    return null;
  } finally {
    setFixedToday(TODAY);
  }
}
