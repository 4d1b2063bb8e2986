import { setFixedToday } from '../../src/modules/calendar/clock';
import { runAsAccount } from '../../src/graphql/request-context';
import { MAINTAINED } from '../../src/modules/publication/compliance-figures';
import { complianceService } from '../../src/modules/publication/compliance.service';
import { quiet } from '../support/figures-world';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems, publicationApi, WD20 } from '../support/publication-fixtures';

const TODAY = '2026-11-20';
const FIGURES = 'itemCount dueInPeriod onTime late overdue pending onTimeRate publishedInPeriod staleItems emptyItems';
const COMPLIANCE = `query($f: ComplianceFilter!) { publicationCompliance(filter: $f) { from to asOf
  items { item { name } agency { code } dueInPeriod onTime late overdue pending onTimeRate publishedInPeriod lastPublishedOn stale empty }
  agencies { agency { code } figures { ${FIGURES} } } } }`;
const ROLLUP = `query($f: ComplianceFilter!) { complianceRollup(filter: $f) { asOf rows { agency { code } own { ${FIGURES} } subtree { ${FIGURES} } } } }`;
const YEAR_2026 = { from: '2026-01-01', to: '2026-12-31' };

const zero = { itemCount: 0, dueInPeriod: 0, onTime: 0, late: 0, overdue: 0, pending: 0, onTimeRate: null, publishedInPeriod: 0, staleItems: 0, emptyItems: 0 };

/**
 * Compliance figures of a small tree, checked by hand. Today is pinned to 2026-11-20.
 *
 * b1 (2026 catalogue):
 *   部门文件 (20 working days): A formed 03-02 (due 03-30) published 03-10 → on time;
 *     B formed 03-02 published 06-01 → late; C formed 06-01 (due 06-30: 端午 06-19 skipped) unpublished → overdue;
 *     D formed 11-19 (due 12-17) unpublished → pending; E formed 2025-12-01, published 2025-12-05,
 *     due 2025-12-29 → outside the period.
 *   政府信息公开指南 (keep current, max 90 days): F formed 08-01 published 08-03, due 10-30 → on time;
 *     12-31 − 08-03 = 150 days > 90 → stale.
 *   政府信息公开年报 (yearly, 31 Jan): nothing → stale and empty.
 *   部门动态 (keep current, no max age): G published 05-05, nothing due → neither stale nor empty.
 *   部门会议 (20 working days): nothing → empty.
 * b2: 部门文件 with H formed 09-01 (due 09-29) unpublished → overdue.
 * city: 主要职责 (keep current, max 30 days): nothing → stale and empty.
 */
describe('publication compliance computed in SQL', () => {
  let h: Harness;
  let api: ReturnType<typeof publicationApi>;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    setFixedToday(TODAY);
    h = await startHarness();
    api = publicationApi(h);
    await h.tree({ code: 'city', units: ['c-sec'], children: [{ code: 'b1', units: ['b1-sec'] }, { code: 'b2', units: ['b2-sec'] }] });
    for (const code of ['city', 'b1', 'b2']) {
      ids[code] = (await h.agency(code)).id;
      for (const [key, roles] of [
        ['Admin', [Role.AGENCY_ADMIN]],
        ['Liaison', [Role.UNIT_LIAISON]],
        ['Head', [Role.UNIT_HEAD]],
        ['Leader', [Role.LEADER]],
      ] as const) {
        const unit = roles[0] === Role.UNIT_LIAISON || roles[0] === Role.UNIT_HEAD ? `${code === 'city' ? 'c' : code}-sec` : undefined;
        t[`${code}${key}`] = (await h.account({ agency: code, roles: [...roles], unit })).token;
      }
    }
    t.viewer = (await h.account({ agency: 'city', roles: [Role.SUPERIOR_VIEWER] })).token;
    const b1 = (
      await catalogueWithItems(h, 'b1', 2026, [
        { name: '部门文件', rule: WD20 },
        { name: '政府信息公开指南', rule: { kind: 'KEEP_CURRENT', maxAgeDays: 90 } },
        { name: '政府信息公开年报', rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 } },
        { name: '部门动态', rule: { kind: 'KEEP_CURRENT', maxAgeDays: null } },
        { name: '部门会议', rule: WD20 },
      ])
    ).items;
    const b2 = (await catalogueWithItems(h, 'b2', 2026, [{ name: '部门文件', rule: WD20 }])).items;
    const city = (await catalogueWithItems(h, 'city', 2026, [{ name: '主要职责', rule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 } }])).items;

    const tokensOf = (code: string) => ({
      drafter: t[`${code}Liaison`]!,
      reviewer: t[`${code}Head`]!,
      head: t[`${code}Head`]!,
      leader: t[`${code}Leader`]!,
      publisher: t[`${code}Admin`]!,
    });
    const pub = (code: string, itemId: string, name: string, formedOn: string, publishedOn?: string) => {
      const title = `稿件${name}`;
      return (
      publishedOn
        ? api.walk(tokensOf(code), { catalogueItemId: itemId, title, formedOn }, publishedOn)
        : api.create(t[`${code}Liaison`]!, { catalogueItemId: itemId, title, formedOn }));
    };
    const made = [
      await pub('b1', b1['部门文件']!, 'A', '2026-03-02', '2026-03-10'),
      await pub('b1', b1['部门文件']!, 'B', '2026-03-02', '2026-06-01'),
      await pub('b1', b1['部门文件']!, 'C', '2026-06-01'),
      await pub('b1', b1['部门文件']!, 'D', '2026-11-19'),
      await pub('b1', b1['部门文件']!, 'E', '2025-12-01', '2025-12-05'),
      await pub('b1', b1['政府信息公开指南']!, 'F', '2026-08-01', '2026-08-03'),
      await pub('b1', b1['部门动态']!, 'G', '2026-05-05', '2026-05-05'),
      await pub('b2', b2['部门文件']!, 'H', '2026-09-01'),
    ];
    // the dates the figures below are built on
    expect(made.map((p) => [p.title.slice(2), p.deadline.due, p.timeliness])).toEqual([
      ['A', '2026-03-30', 'ON_TIME'],
      ['B', '2026-03-30', 'LATE'],
      ['C', '2026-06-30', 'OVERDUE'],
      ['D', '2026-12-17', 'PENDING'],
      ['E', '2025-12-29', 'ON_TIME'],
      ['F', '2026-10-30', 'ON_TIME'],
      ['G', null, 'ON_TIME'],
      ['H', '2026-09-29', 'OVERDUE'],
    ]);
    void city;
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  it('per item and per agency', async () => {
    const res = await api.ok(COMPLIANCE, { f: { ...YEAR_2026, agencyId: ids.b1 } }, t.cityAdmin!);
    const c = res.publicationCompliance;
    expect(c).toMatchObject({ from: '2026-01-01', to: '2026-12-31', asOf: TODAY });
    const byName = Object.fromEntries(c.items.map((i: any) => [i.item.name, i]));
    expect(c.items.map((i: any) => i.item.name)).toEqual(['部门文件', '政府信息公开指南', '政府信息公开年报', '部门动态', '部门会议']);
    expect(byName['部门文件']).toEqual({
      item: { name: '部门文件' },
      agency: { code: 'b1' },
      dueInPeriod: 4,
      onTime: 1,
      late: 1,
      overdue: 1,
      pending: 1,
      onTimeRate: 1 / 3,
      publishedInPeriod: 2,
      lastPublishedOn: '2026-06-01',
      stale: false,
      empty: false,
    });
    expect(byName['政府信息公开指南']).toMatchObject({ dueInPeriod: 1, onTime: 1, onTimeRate: 1, lastPublishedOn: '2026-08-03', stale: true, empty: false });
    expect(byName['政府信息公开年报']).toMatchObject({ dueInPeriod: 0, onTimeRate: null, lastPublishedOn: null, stale: true, empty: true });
    expect(byName['部门动态']).toMatchObject({ dueInPeriod: 0, publishedInPeriod: 1, stale: false, empty: false });
    expect(byName['部门会议']).toMatchObject({ dueInPeriod: 0, stale: false, empty: true });
    expect(c.agencies).toEqual([
      {
        agency: { code: 'b1' },
        figures: { itemCount: 5, dueInPeriod: 5, onTime: 2, late: 1, overdue: 1, pending: 1, onTimeRate: 0.5, publishedInPeriod: 4, staleItems: 2, emptyItems: 2 },
      },
    ]);

    // the keep-current item is fresh within its 90 days at the end of September
    const sept = await api.ok(COMPLIANCE, { f: { from: '2026-07-01', to: '2026-09-30', agencyId: ids.b1 } }, t.b1Admin!);
    const guide = sept.publicationCompliance.items.find((i: any) => i.item.name === '政府信息公开指南');
    expect(guide).toMatchObject({ stale: false, dueInPeriod: 0 });

    // 2025: only the item with a publication due then; E was on time
    const y2025 = await api.ok(COMPLIANCE, { f: { from: '2025-01-01', to: '2025-12-31' } }, t.b1Admin!);
    expect(y2025.publicationCompliance.items).toEqual([
      expect.objectContaining({ item: { name: '部门文件' }, dueInPeriod: 1, onTime: 1, onTimeRate: 1, lastPublishedOn: '2025-12-05', empty: false }),
    ]);
  });

  it('rolls up every agency of the subtree: its own items and the subtree total', async () => {
    const res = await api.ok(ROLLUP, { f: YEAR_2026 }, t.viewer!);
    const rows = Object.fromEntries(res.complianceRollup.rows.map((r: any) => [r.agency.code, r]));
    expect(res.complianceRollup.rows.map((r: any) => r.agency.code)).toEqual(['city', 'b1', 'b2']);
    const b1 = { itemCount: 5, dueInPeriod: 5, onTime: 2, late: 1, overdue: 1, pending: 1, onTimeRate: 0.5, publishedInPeriod: 4, staleItems: 2, emptyItems: 2 };
    const b2 = { ...zero, itemCount: 1, dueInPeriod: 1, overdue: 1, onTimeRate: 0, emptyItems: 1 };
    const city = { ...zero, itemCount: 1, staleItems: 1, emptyItems: 1 };
    expect(rows.b1).toEqual({ agency: { code: 'b1' }, own: b1, subtree: b1 });
    expect(rows.b2).toEqual({ agency: { code: 'b2' }, own: b2, subtree: b2 });
    expect(rows.city.own).toEqual(city);
    // 2 on time of 2 + 1 late + 2 overdue = 0.4, from summed counts (not the mean of the agencies' rates)
    expect(rows.city.subtree).toEqual({
      itemCount: 7,
      dueInPeriod: 6,
      onTime: 2,
      late: 1,
      overdue: 2,
      pending: 1,
      onTimeRate: 0.4,
      publishedInPeriod: 4,
      staleItems: 3,
      emptyItems: 4,
    });

    // a branch sees its own subtree only; another branch's is not there to ask for
    const mine = await api.ok(ROLLUP, { f: YEAR_2026 }, t.b2Admin!);
    expect(mine.complianceRollup.rows.map((r: any) => r.agency.code)).toEqual(['b2']);
    // …with exactly its own figures: nothing of b1's items or publications leaks into them
    expect(mine.complianceRollup.rows[0]).toEqual({ agency: { code: 'b2' }, own: b2, subtree: b2 });
    const mineItems = await api.ok(COMPLIANCE, { f: YEAR_2026 }, t.b2Admin!);
    expect(mineItems.publicationCompliance.items.map((i: any) => i.agency.code)).toEqual(['b2']);
    for (const query of [ROLLUP, COMPLIANCE]) {
      const res2 = await h.gql(query, { f: { ...YEAR_2026, agencyId: ids.b1 } }, t.b2Admin!);
      expect(res2.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.agencyId' });
    }
    const below = await api.ok(ROLLUP, { f: { ...YEAR_2026, agencyId: ids.b1 } }, t.cityAdmin!);
    expect(below.complianceRollup.rows.map((r: any) => r.agency.code)).toEqual(['b1']);
  });

  it('answers item { … } with only the columns the selection reads, and whole items whatever is selected', async () => {
    // Every kind of CatalogueItem field: plain columns, a mapped enum and array, a reference stub, and
    // each field resolver (reading other properties, the id, or a loader) — under aliases and fragments.
    const ITEM = `id name position category channels disclosureType timeLimitText deadlineEvent
      deadlineRule { kind maxAgeDays } deadlineRuleText standardItem { id }
      catalogue { id year } responsibleUnits { code } publications(first: 5) { edges { node { title } } }`;
    const Q = 'query Q($f: ComplianceFilter!) { publicationCompliance(filter: $f) {';
    const queries = [
      `${Q} items { item { ${ITEM} } } } }`,
      `${Q} ...P } } fragment P on PublicationCompliance { items { ... on ItemCompliance { item { ...F } } } } fragment F on CatalogueItem { ${ITEM} }`,
      `${Q} items { a: item { id name } b: item { deadlineRuleText catalogue { id year } } item { ${ITEM} } } } }`,
    ];
    const direct = async (id: string) =>
      (await api.ok(`query($id: ID!) { catalogueItem(id: $id) { ${ITEM} } }`, { id }, t.b1Admin!)).catalogueItem;
    for (const query of queries) {
      const res = await h.gql(query, { f: { ...YEAR_2026, agencyId: ids.b1 } }, t.b1Admin!);
      expect(res.errors).toBeUndefined();
      const items = (res.data as any).publicationCompliance.items;
      expect(items).toHaveLength(5);
      for (const row of items) {
        expect(row.item).toEqual(await direct(row.item.id));
        if (row.a) expect(row.a).toEqual({ id: row.item.id, name: row.item.name });
        if (row.b) expect(row.b).toEqual({ deadlineRuleText: row.item.deadlineRuleText, catalogue: row.item.catalogue });
      }
    }
    // Not selecting the item at all is answered too.
    const bare = await api.ok(`query($f: ComplianceFilter!) { publicationCompliance(filter: $f) { items { onTime } } }`, { f: { ...YEAR_2026, agencyId: ids.b1 } }, t.b1Admin!);
    expect(bare.publicationCompliance.items).toHaveLength(5);
  });

  it('sends the last-publication and historical columns only when a selected field reads them, and answers every field the same either way', async () => {
    const ALL = `${FIGURES} coveredItems historicalOnTime historicalLate historicalPublished`;
    const Q = 'query Q($f: ComplianceFilter!) { publicationCompliance(filter: $f) {';
    const f = { f: { ...YEAR_2026, agencyId: ids.b1 } };
    const full = (await api.ok(`${Q} items { item { name } dueInPeriod onTime late overdue pending onTimeRate publishedInPeriod lastPublishedOn stale empty }
      agencies { agency { code } figures { ${ALL} } } } }`, f, t.b1Admin!)).publicationCompliance;
    const b1 = full.agencies[0].figures;
    // The small tree has what each column carries: last publications, and an item covered in 2026.
    expect(b1).toMatchObject({ coveredItems: 3, historicalOnTime: 0 });
    expect(full.items.filter((i: any) => i.lastPublishedOn).length).toBe(3);

    const pick = (o: any, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
    // Neither column: the fields that do not read them are unchanged.
    const lean = (await api.ok(`${Q} items { item { name } onTime overdue stale empty } agencies { figures { itemCount onTime staleItems emptyItems pending } } } }`, f, t.b1Admin!))
      .publicationCompliance;
    expect(lean.items).toEqual(full.items.map((i: any) => pick(i, ['item', 'onTime', 'overdue', 'stale', 'empty'])));
    expect(lean.agencies[0].figures).toEqual(pick(b1, ['itemCount', 'onTime', 'staleItems', 'emptyItems', 'pending']));
    // Each field that reads a column gets it, however it is asked for (alias, fragment, item level).
    const covered = (await api.ok(`${Q} agencies { ... on AgencyCompliance { g: figures { ...G } } } } } fragment G on ComplianceFigures { coveredItems }`, f, t.b1Admin!))
      .publicationCompliance;
    expect(covered.agencies[0].g).toEqual({ coveredItems: 3 });
    const last = (await api.ok(`${Q} items { item { name } when: lastPublishedOn } } }`, f, t.b1Admin!)).publicationCompliance;
    expect(last.items).toEqual(full.items.map((i: any) => ({ item: i.item, when: i.lastPublishedOn })));
    const hist = (await api.ok(`${Q} agencies { figures { historicalPublished } } } }`, f, t.b1Admin!)).publicationCompliance;
    expect(hist.agencies[0].figures).toEqual({ historicalPublished: b1.historicalPublished });

    // Left out, the columns are not read at all: the same rows, with no last publication.
    const { account } = await h.account({ agency: 'b1', roles: [Role.AGENCY_ADMIN] });
    const without = await runAsAccount(h.orm, { id: account.id, agencyId: ids.b1! }, quiet, (ctx) =>
      complianceService.compliance(ctx, YEAR_2026, MAINTAINED, undefined, { lastPublished: false, historical: false }),
    );
    expect(without.items.map((i) => i.item.name)).toEqual(full.items.map((i: any) => i.item.name));
    expect(without.items.every((i) => i.lastPublishedOn === null)).toBe(true);
    expect(without.agencies[0]!.figures).toMatchObject({ ...pick(b1, ['itemCount', 'onTime', 'staleItems', 'emptyItems']), coveredItems: 0 });
  });

  it('checks the period', async () => {
    const reversed = await h.gql(COMPLIANCE, { f: { from: '2026-12-31', to: '2026-01-01' } }, t.cityAdmin!);
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    const huge = await h.gql(ROLLUP, { f: { from: '2000-01-01', to: '2026-01-01' } }, t.cityAdmin!);
    expect(huge.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
  });
});
