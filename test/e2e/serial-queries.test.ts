import { Client } from 'pg';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { Agency } from '../../src/modules/agency/agency.entity';
import { Unit } from '../../src/modules/agency/unit.entity';
import { CatalogueKind } from '../../src/modules/catalogue/catalogue.entity';
import { CatalogueItemUnit } from '../../src/modules/catalogue/catalogue-item.entity';
import {
  ConfidentialityReview,
  DisclosureAttribute,
  Publication,
  PublicationAction,
  PublicationEvent,
  PublicationSignOff,
  PublicationStatus,
  ReviewConclusion,
  SignOffLevel,
} from '../../src/modules/publication/publication.entity';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems, WD20 } from '../support/publication-fixtures';

/** pg's client internals: the statement on the wire and the ones pg queued behind it. */
interface ClientState {
  _activeQuery?: unknown;
  _queryQueue?: unknown[];
}

/**
 * Every statement of a request runs on the request transaction's one connection, and DataLoaders
 * dispatch in the same tick. pg 8 queues a statement sent while another runs (and warns that pg 9
 * will refuse it). This test wraps `pg.Client.prototype.query` and records every statement handed
 * to a client that still had one running or queued; src/db/serial-queries.ts must keep that list
 * empty for nested reads and for mutations that load several things at once.
 */
describe('one statement at a time per connection', () => {
  let h: Harness;
  const original = Client.prototype.query;
  const overlapping: string[] = [];
  let started = 0;

  beforeAll(async () => {
    Client.prototype.query = function (this: Client & ClientState, config: unknown, ...rest: unknown[]) {
      started += 1;
      if (this._activeQuery || (this._queryQueue?.length ?? 0) > 0) {
        const text = typeof config === 'string' ? config : ((config as { text?: string })?.text ?? String(config));
        overlapping.push(text.replace(/\s+/g, ' ').slice(0, 160));
      }
      return (original as (...args: unknown[]) => unknown).call(this, config, ...rest);
    } as typeof original;

    setFixedToday('2026-11-20');
    h = await startHarness();
    await h.tree({
      code: 'sq-city',
      units: ['sq-city-u1', 'sq-city-u2'],
      children: Array.from({ length: 4 }, (_, b) => ({ code: `sq-b${b}`, units: [`sq-b${b}-u1`, `sq-b${b}-u2`, `sq-b${b}-u3`] })),
    });
    await catalogueWithItems(h, 'sq-city', 2026, [{ name: '机构职能', rule: WD20 }, { name: '政策文件', rule: WD20 }], CatalogueKind.STANDARD);
    const { account: drafter } = await h.account({ agency: 'sq-city', roles: [Role.AGENCY_ADMIN] });
    for (const code of ['sq-city', 'sq-b0', 'sq-b1', 'sq-b2', 'sq-b3']) {
      const { items } = await catalogueWithItems(h, code, 2024, [
        { name: '部门文件', rule: WD20 },
        { name: '政府信息公开指南', rule: { kind: 'KEEP_CURRENT', maxAgeDays: 90 } },
        { name: '政府信息公开年报', rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 } },
      ]);
      const em = h.em();
      const agency = await em.findOneOrFail(Agency, { code });
      const units = await em.find(Unit, { agency: agency.id }, { orderBy: { code: 'asc' } });
      Object.values(items).forEach((itemId, i) => {
        em.create(CatalogueItemUnit, { item: itemId, unit: units[i % units.length]!.id, agency: agency.id });
        const pub = em.create(Publication, {
          agency: agency.id,
          item: itemId,
          title: `${code} 稿件 ${i}`,
          formedOn: '2024-03-02',
          publishedOn: '2024-03-20',
          status: PublicationStatus.PUBLISHED,
          round: 1,
          draftingUnit: units[0]!.id,
          drafter: drafter.id,
          drafterName: '撰稿人',
          disclosureAttribute: DisclosureAttribute.PROACTIVE,
          dueOn: '2024-04-01',
          dueYears: [2024],
          dueExplanation: { rule: WD20, start: '2024-03-02', steps: [], summary: '20个工作日' },
        });
        em.create(ConfidentialityReview, { agency: agency.id, publication: pub.id, round: 1, conclusion: ReviewConclusion.PASSED, reviewerUsername: 'r', reviewerName: '审查人', reviewedOn: '2024-03-20' });
        em.create(PublicationSignOff, { agency: agency.id, publication: pub.id, round: 1, level: SignOffLevel.UNIT_HEAD, approve: true, signerUsername: 'h', signerName: '负责人', signedOn: '2024-03-21' });
        for (const action of [PublicationAction.CREATE, PublicationAction.SUBMIT, PublicationAction.PUBLISH]) {
          em.create(PublicationEvent, { agency: agency.id, publication: pub.id, toStatus: PublicationStatus.PUBLISHED, action, actor: 'x' });
        }
      });
      await em.flush();
    }
  });

  afterAll(async () => {
    Client.prototype.query = original;
    setFixedToday(null);
    await h.close();
  });

  beforeEach(() => {
    overlapping.length = 0;
    started = 0;
  });

  it('the probe itself notices a statement sent while another is running', async () => {
    const client = new Client({ connectionString: h.dbUrl });
    await client.connect();
    try {
      await Promise.all([client.query('select pg_sleep(0.05)'), client.query('select 1')]);
    } finally {
      await client.end();
    }
    expect(overlapping).toEqual(['select 1']);
  });

  async function run(query: string, token: string, variables: Record<string, unknown> = {}) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    const statements = Number(res.headers.get('x-sql-statements'));
    return { data: res.data!, statements };
  }

  it('agencies → units and catalogue → items', async () => {
    const { token } = await h.account({ agency: 'sq-city', roles: [Role.SUPERIOR_VIEWER] });
    const { data, statements } = await run(
      `{ agencies(first: 100) { edges { node { code units(first: 20) { totalCount edges { node { code name } } }
          catalogue(year: 2024) { title items(first: 10) { totalCount edges { node { name responsibleUnits { code } } } } } } } } }`,
      token,
    );
    expect(data.agencies.edges).toHaveLength(5);
    expect(data.agencies.edges.every((e: any) => e.node.units.totalCount >= 2 && e.node.catalogue.items.totalCount === 3)).toBe(true);
    expect(started).toBeGreaterThanOrEqual(statements);
    expect(overlapping).toEqual([]);
  });

  it('publications with every nested field, catalogues with counts, and standard drift', async () => {
    const { token } = await h.account({ agency: 'sq-city', roles: [Role.SUPERIOR_VIEWER] });
    const pubs = await run(
      `{ publications(first: 100) { totalCount edges { node { title timeliness deadline { due } agency { code }
          item { name catalogue { year } publications(first: 5) { totalCount } } draftingUnit { name } drafter { username }
          review { conclusion } signOffs { level } history { action }
          approvalForm { title targetColumn confidentialityReview { reviewer } } } } } }`,
      token,
    );
    expect(pubs.data.publications.totalCount).toBe(15);
    const catalogues = await run(
      `{ catalogues(first: 100) { edges { node { title agency { code } countsByType { count } countsByUnit { unit { code } count } omissions { reason }
          items(first: 100) { totalCount edges { node { name responsibleUnits { code } standardItem { name } catalogue { year } } } } } } } }`,
      token,
    );
    expect(catalogues.data.catalogues.edges.length).toBeGreaterThanOrEqual(6);
    const standard = catalogues.data.catalogues.edges.find((e: any) => e.node.title.includes('标准目录'));
    expect(standard).toBeDefined();
    expect(overlapping).toEqual([]);
    expect(started).toBeGreaterThanOrEqual(pubs.statements + catalogues.statements);
  });

  it('a mutation that loads several things at once (adopting a standard)', async () => {
    const { token } = await h.account({ agency: 'sq-city', roles: [Role.AGENCY_ADMIN] });
    const list = await run(`{ catalogues(first: 100, filter: { kind: STANDARD }) { edges { node { id } } } }`, token);
    const standardId = list.data.catalogues.edges[0].node.id as string;
    const b0 = await h.agency('sq-b0');
    const adopted = await run(
      `mutation($i: AdoptStandardCatalogueInput!) { adoptStandardCatalogue(input: $i) { catalogue { title items(first: 10) { totalCount } } } }`,
      token,
      { i: { standardCatalogueId: standardId, agencyId: b0.id } },
    );
    expect(adopted.data.adoptStandardCatalogue.catalogue.items.totalCount).toBeGreaterThanOrEqual(2);
    const drift = await run(
      `query($s: ID!) { standardCatalogueDrift(standardCatalogueId: $s) { agency { code } adoptionStatus missing { name } } }`,
      token,
      { s: standardId },
    );
    expect(drift.data.standardCatalogueDrift.find((d: any) => d.agency.code === 'sq-b0').adoptionStatus).toBe('CURRENT');
    expect(overlapping).toEqual([]);
  });
});
