import { ReferenceKind, type EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { ENTITIES } from '../../src/db/entities';
import { rowMapper, selectLean } from '../../src/db/row-mapper';
import { CATALOGUE_ITEM_FIELD_READS } from '../../src/modules/catalogue/catalogue.loaders';
import { Agency } from '../../src/modules/agency/agency.entity';
import { Account } from '../../src/modules/account/account.entity';
import { CalendarChange, CalendarChangeAction, CalendarChangeEffect, CalendarDayKind, CalendarEntry, CalendarYear } from '../../src/modules/calendar/calendar.entity';
import { Catalogue, CatalogueKind } from '../../src/modules/catalogue/catalogue.entity';
import { CatalogueItem, CatalogueOmission } from '../../src/modules/catalogue/catalogue-item.entity';
import { NegativeListEntry } from '../../src/modules/publication/publication.entity';
import { signAccessToken } from '../../src/auth/jwt';
import { seedCatalogueDemo } from '../../seeds/catalogue-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { seedPlanDemo } from '../../seeds/plan-seeder';
import { seedAssessmentDemo } from '../../seeds/assessment-seeder';
import { seedRequestDemo } from '../../seeds/request-seeder';
import { seedAnnualReportDemo, seedYanzhouReportDemo } from '../../seeds/annual-report-seeder';
import { AssessmentScheme, AssessmentSchemeAgency } from '../../src/modules/assessment/scheme.entity';
import { EvaluatorAccess, EvaluatorToken } from '../../src/modules/evaluator/evaluator-token.entity';
import { seedPublicationDemo } from '../../seeds/publication-seeder';
import { PublisherDesignation } from '../../src/modules/publication/publisher.entity';
import { Publication } from '../../src/modules/publication/publication.entity';
import { TaskProgress, TaskProgressEvidence } from '../../src/modules/plan/task.entity';
import { startHarness, type Harness } from '../support/harness';

/**
 * Read paths hand out lean rows (src/db/row-mapper.ts) instead of managed entities. They must carry
 * exactly what the entity would: the same properties with the same value types, and many-to-one
 * references as `{ id }`. Compared here against MikroORM's own hydration of the same rows, for every
 * entity, over the demo data (which covers enum arrays, json, text[] and int[] columns, dates and
 * timestamps, nullable references).
 */
describe('lean read path', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const log = rootLogger.child({ test: 'lean-read-path' });
    log.level = 'silent';
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    await seedCatalogueDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log);
    await seedPlanDemo(h.orm, log);
    await seedAssessmentDemo(h.orm, log);
    await seedRequestDemo(h.orm, log);
    await seedYanzhouReportDemo(h.orm, log);
    await seedAnnualReportDemo(h.orm, log);
    // What the demo does not create: calendar rows, an omission, a negative-list entry, progress evidence.
    const em = h.em();
    const progress = await em.findOneOrFail(TaskProgress, { eventOn: { $ne: null } });
    const publication = await em.findOneOrFail(Publication, { agency: progress.agency.id });
    em.create(TaskProgressEvidence, { progress: progress.id, publication: publication.id, agency: progress.agency.id });
    const item = await em.findOneOrFail(CatalogueItem, { standardItem: { $ne: null } });
    const agency = await em.findOneOrFail(Agency, item.agency.id);
    em.create(CalendarEntry, { date: '2027-02-10', year: 2027, kind: CalendarDayKind.HOLIDAY, name: '春节', createdBy: 'test' });
    em.create(CalendarYear, { year: 2027, confirmed: true, note: '已确认', updatedBy: 'test' });
    const change = em.create(CalendarChange, {
      actor: 'test',
      action: CalendarChangeAction.SET_ENTRIES,
      year: 2027,
      summary: '2027年放假安排',
      details: { added: [{ date: '2027-02-10' }], note: null },
      affectedYears: [2026, 2027],
      recomputedAt: new Date(),
    });
    em.create(CalendarChangeEffect, { change: change.id, agency: agency.id, recomputed: 2, changed: 1 });
    em.create(CatalogueOmission, { catalogue: item.catalogue.id, agency: agency.id, standardItem: item.standardItem!.id, reason: '不适用', recordedBy: 'test' });
    em.create(NegativeListEntry, { agency: agency.id, matter: '内部事项', legalReason: '依法不予公开', catalogueItem: item.id, category: item.category, itemName: item.name, createdBy: 'test' });
    em.create(PublisherDesignation, { agency: publication.agency.id, unit: publication.draftingUnit.id, websiteColumns: ['执法公开'], createdBy: 'test' });
    // A scheme for chosen agencies, and an access-log row of the demo evaluator token.
    const scheme = await em.findOneOrFail(AssessmentScheme, { year: 2024 });
    em.create(AssessmentSchemeAgency, { scheme: scheme.id, assessed: progress.agency.id, agency: scheme.agency.id });
    const token = await em.findOneOrFail(EvaluatorToken, { label: { $ne: null } });
    em.create(EvaluatorAccess, { token: token.id, agency: token.agency.id, at: new Date(), operationName: 'Demo', operationType: 'query', fields: ['evaluationRounds'], agencyIds: [token.agency.id], outcome: 'OK' });
    await em.flush();
  });
  afterAll(() => h.close());

  function comparable(meta: EntityMetadata) {
    return meta.props.filter(
      (p) => p.persist !== false && !p.lazy && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE),
    );
  }

  it.each(ENTITIES.map((e) => [e.name, e] as const))('%s: the same fields and value types as the hydrated entity', async (_name, entity) => {
    const em = h.em();
    const meta = em.getMetadata().get(entity.name) as EntityMetadata;
    const pkColumns = meta.primaryKeys.map((pk) => meta.properties[pk as never]!.fieldNames[0]);
    const managed = (await em.find(entity as never, {}, { orderBy: Object.fromEntries(meta.primaryKeys.map((pk) => [pk, 'asc'])) as never })) as Record<string, any>[];
    const lean = (await selectLean(em, entity as never, `order by ${pkColumns.map((c) => `t."${c}"`).join(', ')}`)) as Record<string, any>[];
    expect(managed.length).toBeGreaterThan(0);
    expect(lean).toHaveLength(managed.length);
    const props = comparable(meta);
    expect(Object.keys(lean[0]!).sort()).toEqual(props.map((p) => p.name).sort());
    lean.forEach((row, i) => {
      const ent = managed[i]!;
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      for (const p of props) {
        const a = ent[p.name];
        const b = row[p.name];
        const where = `${meta.className}.${p.name} of row ${i}`;
        if (p.kind === ReferenceKind.MANY_TO_ONE) {
          expect([where, b === null ? null : b.id]).toEqual([where, a == null ? null : a.id]);
          if (b) expect(Object.keys(b)).toEqual(['id']);
        } else if (a instanceof Date) {
          expect(b).toBeInstanceOf(Date);
          expect([where, b.getTime()]).toEqual([where, a.getTime()]);
        } else {
          expect([where, typeof b, Array.isArray(b)]).toEqual([where, typeof a, Array.isArray(a)]);
          expect([where, b]).toEqual([where, a ?? null]);
        }
      }
    });
  });

  it('knows what every field resolver of CatalogueItem reads (per-item compliance loads only those columns)', () => {
    // type-graphql keeps its metadata on this global; its package exports no accessor for it.
    const storage = (globalThis as { TypeGraphQLMetadataStorage?: { fieldResolvers: Array<{ getObjectType?: () => unknown; schemaName: string }> } })
      .TypeGraphQLMetadataStorage!;
    const names = storage.fieldResolvers.filter((r) => r.getObjectType?.() === CatalogueItem).map((r) => r.schemaName);
    expect(names).toEqual(expect.arrayContaining(['catalogue', 'deadlineRuleText', 'publications']));
    expect(names.filter((n) => !(n in CATALOGUE_ITEM_FIELD_READS))).toEqual([]);
    // Every declared read is a column the mapper knows (it throws otherwise); an unknown field means whole rows.
    const mapper = rowMapper(h.em(), CatalogueItem);
    expect(mapper.forSelection(new Set(Object.keys(CATALOGUE_ITEM_FIELD_READS)), CATALOGUE_ITEM_FIELD_READS)).not.toBeNull();
    expect(mapper.forSelection(new Set(['name', 'somethingNew']), CATALOGUE_ITEM_FIELD_READS)).toBeNull();
    expect(mapper.forSelection(new Set(['name']), CATALOGUE_ITEM_FIELD_READS)!.columns('ci')).toBe('ci."id", ci."name"');
  });

  it('never selects the password hash', async () => {
    const rows = await selectLean(h.em(), Account, 'order by t.username');
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) expect('passwordHash' in r).toBe(false);
    // enum arrays come from the driver as '{A,B}' text; the lean row has them as an array
    expect(rows.every((r) => Array.isArray(r.roles) && r.roles.length > 0)).toBe(true);
  });

  it('a mutation payload never shows a row as it was before the write (loaders are cleared)', async () => {
    const admin = await h.em().findOneOrFail(Account, { username: 'jining.admin' });
    const { token } = signAccessToken(h.tokens, { accountId: admin.id, agencyId: admin.agency.id });
    const jining = await h.agency('sd-jining');
    // `updateAgency` reads the agency through the by-id loader first; its children's `parent`
    // resolves through the same loader after the write.
    const res = await h.gql(
      `mutation($i: UpdateAgencyInput!) { updateAgency(input: $i) { agency { name children(first: 3) { edges { node { parent { name } } } } } } }`,
      { i: { id: jining.id, name: '济宁市公安局（改名测试）' } },
      token,
    );
    expect(res.errors).toBeUndefined();
    const agency = res.data!.updateAgency.agency;
    expect(agency.name).toBe('济宁市公安局（改名测试）');
    expect(agency.children.edges.length).toBeGreaterThan(0);
    for (const e of agency.children.edges) expect(e.node.parent.name).toBe('济宁市公安局（改名测试）');
  });

  it('lists, nested connections and field loaders answer as before', async () => {
    const admin = await h.em().findOneOrFail(Account, { username: 'yanzhou.admin' });
    const { token } = signAccessToken(h.tokens, { accountId: admin.id, agencyId: admin.agency.id });
    const catalogue = await h.em().findOneOrFail(Catalogue, { agency: admin.agency.id, year: 2024, kind: CatalogueKind.AGENCY });
    const res = await h.gql(
      `query($id: ID!) {
        me { username roles accessFrom createdAt agency { name depth parent { name } } unit { name aliases } }
        accounts(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { username roles active } } }
        catalogue(id: $id) { year kind status revision adoptedStandard { kind revision } agency { code }
          items(first: 3) { edges { node { position name disclosureType channels deadlineRule { kind days month day maxAgeDays } deadlineEvent
            timeLimitWarning websiteColumn responsibleUnits { name } standardItem { name } publications(first: 2) { totalCount edges { node {
              title formedOn publishedOn status deadline { due yearsConsulted reasons } deidentificationConfirmed } } } } } } }
      }`,
      { id: catalogue.id },
      token,
    );
    expect(res.errors).toBeUndefined();
    const d = res.data!;
    expect(d.me.username).toBe('yanzhou.admin');
    expect(d.me.roles).toEqual(['AGENCY_ADMIN']);
    expect(d.me.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(d.me.agency.parent).toBeNull(); // the parent lies outside the caller's subtree
    expect(d.me.agency.depth).toBe(3);
    expect(Array.isArray(d.me.unit.aliases)).toBe(true);
    // cursors are encoded when asked for, and page on as before
    const next = await h.gql(`query($after: String) { accounts(first: 2, after: $after) { edges { node { username } } } }`, { after: d.accounts.pageInfo.endCursor }, token);
    expect(d.accounts.edges[1].cursor).toBe(d.accounts.pageInfo.endCursor);
    expect(next.data!.accounts.edges[0].node.username > d.accounts.edges[1].node.username).toBe(true);
    const items = d.catalogue.items.edges.map((e: any) => e.node);
    expect(items.map((i: any) => i.position)).toEqual([1, 2, 3]);
    expect(items.every((i: any) => Array.isArray(i.channels))).toBe(true);
    const withPubs = items.flatMap((i: any) => i.publications.edges.map((e: any) => e.node));
    for (const p of withPubs) {
      expect(p.formedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.deadline.yearsConsulted.every((y: unknown) => typeof y === 'number')).toBe(true);
    }
  });
});
