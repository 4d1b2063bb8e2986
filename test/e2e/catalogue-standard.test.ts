import { startHarness, Role, type Harness } from '../support/harness';

const DRIFT = `query($id: ID!) { standardCatalogueDrift(standardCatalogueId: $id) {
  agency { code } adoptionStatus catalogue { id adoptedRevision }
  missing { name } changed { standardItem { name } item { name } fields } extra { name } omitted { reason standardItem { name } } } }`;

describe('standard catalogues pushed down the tree, drift, and tenancy', () => {
  let h: Harness;
  let cityAdmin: string;
  let b1Admin: string;
  let b2Admin: string;
  let otherAdmin: string;
  let standardId: string;
  const ids: Record<string, string> = {};

  const gqlOk = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const addItem = (token: string, catalogueId: string, name: string, extra: Record<string, unknown> = {}) =>
    gqlOk(
      `mutation($i: AddCatalogueItemInput!) { addCatalogueItem(input: $i) { item { id name } } }`,
      { i: { catalogueId, category: '基本信息', name, content: `${name}的内容`, disclosureType: 'MANAGEMENT', timeLimitText: '相关信息形成或变更之日起20个工作日内', channels: ['政府网站'], ...extra } },
      token,
    );
  const drift = async (token = cityAdmin) => {
    const data = await gqlOk(DRIFT, { id: standardId }, token);
    return Object.fromEntries(data.standardCatalogueDrift.map((d: any) => [d.agency.code, d]));
  };
  const adopt = (token: string, agency: string) =>
    gqlOk(
      `mutation($i: AdoptStandardCatalogueInput!) { adoptStandardCatalogue(input: $i) { catalogue { id adoptedRevision items(first: 50) { edges { node { id name standardItem { id } } } } } } }`,
      { i: { standardCatalogueId: standardId, agencyId: ids[agency] } },
      token,
    );

  beforeAll(async () => {
    h = await startHarness();
    await h.tree([
      { code: 'city', units: ['city-office'], children: [{ code: 'b1', units: ['b1-sec'] }, { code: 'b2', units: ['b2-sec'] }] },
      { code: 'other' },
    ]);
    for (const code of ['city', 'b1', 'b2', 'other']) ids[code] = (await h.agency(code)).id;
    cityAdmin = (await h.account({ agency: 'city', roles: [Role.AGENCY_ADMIN] })).token;
    b1Admin = (await h.account({ agency: 'b1', roles: [Role.AGENCY_ADMIN] })).token;
    b2Admin = (await h.account({ agency: 'b2', roles: [Role.AGENCY_ADMIN] })).token;
    otherAdmin = (await h.account({ agency: 'other', roles: [Role.AGENCY_ADMIN] })).token;
    const created = await gqlOk(
      `mutation($i: CreateCatalogueInput!) { createCatalogue(input: $i) { catalogue { id title } } }`,
      { i: { agencyId: ids.city, year: 2026, kind: 'STANDARD' } },
      cityAdmin,
    );
    standardId = created.createCatalogue.catalogue.id;
    for (const name of ['机构职能', '部门领导', '部门文件']) await addItem(cityAdmin, standardId, name);
  });
  afterAll(() => h.close());

  it('keeps a standard in draft private to its publisher, and shows it below once in force', async () => {
    const hidden = await h.gql(`query($id: ID!) { catalogue(id: $id) { title } }`, { id: standardId }, b1Admin);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await gqlOk(`mutation($i: UpdateCatalogueInput!) { updateCatalogue(input: $i) { catalogue { status } } }`, { i: { id: standardId, status: 'IN_FORCE' } }, cityAdmin);
    const seen = await gqlOk(`query($id: ID!) { catalogue(id: $id) { title kind agency { code } items(first: 10) { totalCount } } }`, { id: standardId }, b1Admin);
    expect(seen.catalogue).toMatchObject({ kind: 'STANDARD', agency: null, items: { totalCount: 3 } });
    const listed = await gqlOk(`{ catalogues(first: 10, filter: { kind: STANDARD }) { totalCount } }`, {}, b1Admin);
    expect(listed.catalogues.totalCount).toBe(1);
    const stranger = await h.gql(`query($id: ID!) { catalogue(id: $id) { title } }`, { id: standardId }, otherAdmin);
    expect(stranger.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('a subordinate cannot edit its superior’s standard', async () => {
    const res = await h.gql(
      `mutation($i: AddCatalogueItemInput!) { addCatalogueItem(input: $i) { item { id } } }`,
      { i: { catalogueId: standardId, category: '基本信息', name: '偷偷加的' } },
      b1Admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('tells the superior who has not adopted, then reports no drift after adoption', async () => {
    const before = await drift();
    expect(before.b1.adoptionStatus).toBe('NOT_ADOPTED');
    expect(before.b1.missing.map((m: any) => m.name)).toEqual(['机构职能', '部门领导', '部门文件']);
    const a1 = await adopt(b1Admin, 'b1');
    expect(a1.adoptStandardCatalogue.catalogue.items.edges.every((e: any) => e.node.standardItem)).toBe(true);
    await adopt(b2Admin, 'b2');
    const after = await drift();
    for (const code of ['b1', 'b2']) {
      expect(after[code]).toMatchObject({ adoptionStatus: 'CURRENT', missing: [], changed: [], extra: [], omitted: [] });
    }
  });

  it('reports missing, changed and extra items after one subordinate edits and drops items', async () => {
    const catalogueId = (await drift()).b1.catalogue.id;
    const items = await gqlOk(`query($id: ID!) { catalogue(id: $id) { items(first: 10) { edges { node { id name } } } } }`, { id: catalogueId }, b1Admin);
    const idOf = (name: string) => items.catalogue.items.edges.find((e: any) => e.node.name === name).node.id;

    await gqlOk(`mutation($i: UpdateCatalogueItemInput!) { updateCatalogueItem(input: $i) { item { content } } }`, { i: { id: idOf('部门领导'), content: '只公开姓名', channels: ['政务微信'] } }, b1Admin);
    const noReason = await h.gql(`mutation($i: RemoveCatalogueItemInput!) { removeCatalogueItem(input: $i) { removedItemId } }`, { i: { id: idOf('部门文件') } }, b1Admin);
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    await gqlOk(`mutation($i: RemoveCatalogueItemInput!) { removeCatalogueItem(input: $i) { omission { reason } } }`, { i: { id: idOf('部门文件'), reason: '本分局不单独发文' } }, b1Admin);
    await gqlOk(`mutation($i: RemoveCatalogueItemInput!) { removeCatalogueItem(input: $i) { removedItemId } }`, { i: { id: idOf('机构职能'), reason: '暂缓' } }, b1Admin);
    await addItem(b1Admin, catalogueId, '本地特色栏目');
    // the standard grows by one item: revision 2
    await addItem(cityAdmin, standardId, '新增标准事项');

    const d = await drift();
    expect(d.b1.adoptionStatus).toBe('OUTDATED');
    expect(d.b1.changed).toEqual([{ standardItem: { name: '部门领导' }, item: { name: '部门领导' }, fields: ['content'] }]);
    expect(d.b1.omitted.map((o: any) => [o.standardItem.name, o.reason]).sort()).toEqual([['机构职能', '暂缓'], ['部门文件', '本分局不单独发文']]);
    expect(d.b1.missing.map((m: any) => m.name)).toEqual(['新增标准事项']);
    expect(d.b1.extra.map((m: any) => m.name)).toEqual(['本地特色栏目']);
    expect(d.b2).toMatchObject({ adoptionStatus: 'OUTDATED', changed: [], extra: [], omitted: [] });
    expect(d.b2.missing.map((m: any) => m.name)).toEqual(['新增标准事项']);

    // re-adoption brings b2 current; b1's reasoned omissions stay omitted
    await adopt(b2Admin, 'b2');
    await adopt(b1Admin, 'b1');
    const again = await drift();
    expect(again.b2).toMatchObject({ adoptionStatus: 'CURRENT', missing: [] });
    expect(again.b1).toMatchObject({ adoptionStatus: 'CURRENT', missing: [], changed: [] });
    expect(again.b1.omitted).toHaveLength(2);
  });

  it('another agency can neither read a private draft nor edit a catalogue — by id, list or nested field', async () => {
    const b1Catalogue = (await drift()).b1.catalogue.id;
    const item = (await gqlOk(`query($id: ID!) { catalogue(id: $id) { items(first: 1) { edges { node { id } } } } }`, { id: b1Catalogue }, b1Admin)).catalogue.items.edges[0].node.id;
    for (const token of [b2Admin, otherAdmin]) {
      for (const [query, vars] of [
        [`query($id: ID!) { catalogue(id: $id) { title } }`, { id: b1Catalogue }],
        [`query($id: ID!) { catalogueItem(id: $id) { name } }`, { id: item }],
        [`query($id: ID!) { catalogueItems(catalogueId: $id, first: 5) { totalCount } }`, { id: b1Catalogue }],
        [`query($id: ID!) { exportCatalogue(id: $id, format: CSV) { itemCount } }`, { id: b1Catalogue }],
      ] as const) {
        const res = await h.gql(query, vars, token);
        expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
      const list = await gqlOk(`{ catalogues(first: 50, filter: { kind: AGENCY }) { edges { node { id } } } }`, {}, token);
      expect(list.catalogues.edges.map((e: any) => e.node.id)).not.toContain(b1Catalogue);
      for (const [query, vars] of [
        [`mutation($i: UpdateCatalogueInput!) { updateCatalogue(input: $i) { catalogue { id } } }`, { i: { id: b1Catalogue, title: '被篡改' } }],
        [`mutation($i: UpdateCatalogueItemInput!) { updateCatalogueItem(input: $i) { item { id } } }`, { i: { id: item, content: '被篡改' } }],
        [`mutation($i: RemoveCatalogueItemInput!) { removeCatalogueItem(input: $i) { removedItemId } }`, { i: { id: item, reason: '被删除了' } }],
        [`mutation($i: AddCatalogueItemInput!) { addCatalogueItem(input: $i) { item { id } } }`, { i: { catalogueId: b1Catalogue, category: 'x', name: 'y' } }],
        [`mutation($i: ImportCatalogueInput!) { importCatalogue(input: $i) { report { ok } } }`, { i: { catalogueId: b1Catalogue, format: 'CSV', fileBase64: Buffer.from('a,b').toString('base64') } }],
      ] as const) {
        const res = await h.gql(query, vars, token);
        expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
    }
    // nested: the city sees b1's catalogue through the agency field; b2 cannot reach b1 at all
    const nested = await gqlOk(`query($id: ID!) { agency(id: $id) { catalogue(year: 2026) { id } } }`, { id: ids.b1 }, cityAdmin);
    expect(nested.agency.catalogue.id).toBe(b1Catalogue);
    const fromB2 = await gqlOk(`{ agencies(first: 10) { edges { node { code catalogue(year: 2026) { id } } } } }`, {}, b2Admin);
    expect(fromB2.agencies.edges.map((e: any) => e.node.catalogue?.id)).not.toContain(b1Catalogue);
    const title = await gqlOk(`query($id: ID!) { catalogue(id: $id) { title } }`, { id: b1Catalogue }, b1Admin);
    expect(title.catalogue.title).not.toBe('被篡改');
  });

  it('read-only principals (evaluators, superior viewers) read but never write', async () => {
    const evaluator = (await h.account({ agency: 'city', roles: [Role.EVALUATOR], accessUntil: new Date(Date.now() + 3600_000) })).token;
    const viewer = (await h.account({ agency: 'city', roles: [Role.SUPERIOR_VIEWER] })).token;
    const b1Catalogue = (await drift(viewer)).b1.catalogue.id;
    const update = (token: string) =>
      h.gql(`mutation($i: UpdateCatalogueInput!) { updateCatalogue(input: $i) { catalogue { id } } }`, { i: { id: b1Catalogue, title: '只读改的' } }, token);
    expect((await update(viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // b1's catalogue is a draft: an evaluator does not even see it (test/security/evaluator-view.test.ts).
    expect((await drift(evaluator)).b1.catalogue).toBeNull();
    expect((await update(evaluator)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
