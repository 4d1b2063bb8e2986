import { setFixedToday } from '../../src/modules/calendar/clock';
import { todayInChina } from '../../src/modules/calendar/deadline-engine';
import { CatalogueKind } from '../../src/modules/catalogue/catalogue.entity';
import { Publication } from '../../src/modules/publication/publication.entity';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems, publicationApi, WD20 } from '../support/publication-fixtures';

const TODAY = '2026-11-20';

/**
 * The publication workflow of 002 §21 / Attachment 2 through the API: every step, every refusal,
 * and tenancy. A city bureau with two branches; branch b1 drafts, branch b2 is a sibling tenant.
 */
describe('publications: review workflow', () => {
  let h: Harness;
  let api: ReturnType<typeof publicationApi>;
  const t: Record<string, string> = {};
  const users: Record<string, string> = {};
  let items: Record<string, string>;
  let b2Items: Record<string, string>;
  let standardItems: Record<string, string>;
  let tokens: { drafter: string; reviewer: string; head: string; leader: string; publisher: string };

  const expectError = async (
    query: string,
    variables: Record<string, unknown>,
    token: string,
    expected: { code: string; field?: string; reason?: string },
  ) => {
    const before = await h.em().count(Publication, {});
    const res = await h.gql(query, variables, token);
    expect(res.errors?.[0]?.extensions).toMatchObject(expected);
    expect(res.data).toBeNull();
    expect(await h.em().count(Publication, {})).toBe(before);
    return res.errors![0]!;
  };

  beforeAll(async () => {
    setFixedToday(TODAY);
    h = await startHarness();
    api = publicationApi(h);
    await h.tree({
      code: 'city',
      units: ['city-office'],
      children: [
        { code: 'b1', units: ['b1-sec', 'b1-legal'] },
        { code: 'b2', units: ['b2-sec'] },
      ],
    });
    const accounts: Array<[string, string, Role[], string?]> = [
      ['b1Admin', 'b1', [Role.AGENCY_ADMIN]],
      ['b1Liaison', 'b1', [Role.UNIT_LIAISON], 'b1-sec'],
      ['b1Head', 'b1', [Role.UNIT_HEAD], 'b1-sec'],
      ['b1LegalHead', 'b1', [Role.UNIT_HEAD], 'b1-legal'],
      ['b1Leader', 'b1', [Role.LEADER]],
      ['cityLeader', 'city', [Role.LEADER]],
      ['cityAdmin', 'city', [Role.AGENCY_ADMIN]],
      ['cityViewer', 'city', [Role.SUPERIOR_VIEWER]],
      ['b2Admin', 'b2', [Role.AGENCY_ADMIN]],
      ['b2Leader', 'b2', [Role.LEADER]],
      ['b2Liaison', 'b2', [Role.UNIT_LIAISON], 'b2-sec'],
    ];
    for (const [key, agency, roles, unit] of accounts) {
      const a = await h.account({ agency, roles, unit, username: key.toLowerCase() });
      t[key] = a.token;
      users[key] = a.account.username;
    }
    items = (
      await catalogueWithItems(h, 'b1', 2026, [
        { category: '政策文件', name: '部门文件', rule: WD20, websiteColumn: '区政府网站政务公开--政策文件--部门文件' },
        { category: '公告公示', name: '公告公示', rule: WD20 },
        { category: '会议公开', name: '部门会议', rule: WD20 },
        { category: '财政预算决算', name: '部门财政预决算', rule: WD20 },
      ])
    ).items;
    // Next year's copy of the catalogue: same category and name, another item.
    await catalogueWithItems(h, 'b1', 2027, [{ category: '公告公示', name: '公告公示', rule: WD20 }]).then((c) => {
      items['公告公示2027'] = c.items['公告公示']!;
    });
    b2Items = (await catalogueWithItems(h, 'b2', 2026, [{ name: '部门文件', rule: WD20 }])).items;
    standardItems = (await catalogueWithItems(h, 'city', 2026, [{ name: '标准事项', rule: WD20 }], CatalogueKind.STANDARD)).items;
    tokens = { drafter: t.b1Liaison!, reviewer: t.b1Head!, head: t.b1Head!, leader: t.b1Leader!, publisher: t.b1Admin! };
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  const base = () => ({ catalogueItemId: items['部门文件'], title: '关于调整户籍业务办理时间的通知', formedOn: '2026-11-02' });
  const PUBLISH = api_mutation('publishPublication', 'PublishPublicationInput');
  const REVIEW = api_mutation('recordConfidentialityReview', 'RecordConfidentialityReviewInput');
  const SIGN = api_mutation('signOffPublication', 'SignOffPublicationInput');
  const CREATE = api_mutation('createPublication', 'CreatePublicationInput');
  function api_mutation(name: string, type: string) {
    return `mutation($i: ${type}!) { ${name}(input: $i) { publication { id status } } }`;
  }

  it('walks a publication through every step, refusing each step out of turn', async () => {
    const draft = await api.create(t.b1Liaison!, base());
    expect(draft).toMatchObject({
      status: 'DRAFT',
      round: 0,
      formedOn: '2026-11-02',
      publishedOn: null,
      drafter: { username: users.b1Liaison },
      draftingUnit: { code: 'b1-sec' },
      timeliness: 'PENDING',
      deadline: { due: '2026-11-30', provisional: false, reasons: [], yearsConsulted: [2026] },
    });
    expect(draft.deadline.explanation.summary).toContain('20个工作日');
    expect(draft.deadline.explanation.steps.filter((s: any) => s.kind === 'COUNTED')).toHaveLength(20);
    const id = draft.id;

    const edited = await api.ok(
      `mutation($i: UpdatePublicationInput!) { updatePublication(input: $i) { publication { title status } } }`,
      { i: { id, title: '关于调整户籍业务办理时间的公告' } },
      t.b1Liaison!,
    );
    expect(edited.updatePublication.publication).toEqual({ title: '关于调整户籍业务办理时间的公告', status: 'DRAFT' });

    // nothing but the review may follow a submission
    expect(await api.submit(t.b1Liaison!, id)).toMatchObject({ status: 'PENDING_CONFIDENTIALITY_REVIEW', round: 1 });
    await expectError(
      `mutation($i: UpdatePublicationInput!) { updatePublication(input: $i) { publication { id } } }`,
      { i: { id, title: '送审后再改' } },
      t.b1Liaison!,
      { code: 'CONFLICT', reason: 'NOT_DRAFT' },
    );
    await expectError(PUBLISH, { i: { publicationId: id, publishedOn: TODAY } }, t.b1Admin!, {
      code: 'CONFLICT',
      field: 'input.publicationId',
      reason: 'REVIEW_MISSING',
    });
    await expectError(SIGN, { i: { publicationId: id, level: 'UNIT_HEAD', approve: true } }, t.b1Head!, { code: 'CONFLICT', reason: 'WRONG_STATE' });
    // wrong role: a liaison cannot review; the head of another unit cannot either
    await expectError(REVIEW, { i: { publicationId: id, conclusion: 'PASSED' } }, t.b1Liaison!, { code: 'FORBIDDEN', reason: 'WRONG_ROLE' });
    await expectError(REVIEW, { i: { publicationId: id, conclusion: 'PASSED' } }, t.b1LegalHead!, { code: 'FORBIDDEN', reason: 'WRONG_ROLE' });

    const reviewed = await api.ok(
      `mutation($i: RecordConfidentialityReviewInput!) { recordConfidentialityReview(input: $i) {
         publication { status review { conclusion notes reviewerUsername reviewerName round } } } }`,
      { i: { publicationId: id, conclusion: 'PASSED', notes: '未发现涉密内容' } },
      t.b1Head!,
    );
    expect(reviewed.recordConfidentialityReview.publication).toMatchObject({
      status: 'PENDING_UNIT_HEAD',
      review: { conclusion: 'PASSED', notes: '未发现涉密内容', reviewerUsername: users.b1Head, round: 1 },
    });
    // 一事一审: one review per submission, not two
    await expectError(REVIEW, { i: { publicationId: id, conclusion: 'PASSED' } }, t.b1Leader!, { code: 'CONFLICT', reason: 'WRONG_STATE' });
    await expectError(PUBLISH, { i: { publicationId: id, publishedOn: TODAY } }, t.b1Admin!, { code: 'CONFLICT', reason: 'UNIT_HEAD_SIGN_OFF_MISSING' });
    await expectError(SIGN, { i: { publicationId: id, level: 'LEADER', approve: true } }, t.b1Leader!, { code: 'CONFLICT', reason: 'WRONG_STATE' });
    await expectError(SIGN, { i: { publicationId: id, level: 'UNIT_HEAD', approve: true } }, t.b1LegalHead!, { code: 'FORBIDDEN', reason: 'WRONG_ROLE' });
    await expectError(SIGN, { i: { publicationId: id, level: 'UNIT_HEAD', approve: true } }, t.b1Leader!, { code: 'FORBIDDEN', reason: 'WRONG_ROLE' });

    expect(await api.signOff(t.b1Head!, id, 'UNIT_HEAD', true, '同意')).toMatchObject({ status: 'PENDING_LEADER' });
    await expectError(PUBLISH, { i: { publicationId: id, publishedOn: TODAY } }, t.b1Admin!, { code: 'CONFLICT', reason: 'LEADER_SIGN_OFF_MISSING' });
    // outside scope: the sibling branch's leader does not even see it
    await expectError(SIGN, { i: { publicationId: id, level: 'LEADER', approve: true } }, t.b2Leader!, { code: 'NOT_FOUND', field: 'input.publicationId' });
    // a leader above the agency may sign
    expect(await api.signOff(t.cityLeader!, id, 'LEADER')).toMatchObject({ status: 'APPROVED' });

    // publishing: right role, sensible date, once
    await expectError(PUBLISH, { i: { publicationId: id, publishedOn: TODAY } }, t.b1Head!, { code: 'FORBIDDEN', reason: 'WRONG_ROLE' });
    await expectError(PUBLISH, { i: { publicationId: id, publishedOn: '2026-10-30' } }, t.b1Admin!, { code: 'BAD_USER_INPUT', field: 'input.publishedOn' });
    await expectError(PUBLISH, { i: { publicationId: id, publishedOn: '2026-11-21' } }, t.b1Admin!, { code: 'BAD_USER_INPUT', field: 'input.publishedOn' });
    const published = await api.publish(t.b1Admin!, id, TODAY, 'http://www.yanzhou.gov.cn/art/2026/11/20/1.html');
    expect(published).toMatchObject({
      status: 'PUBLISHED',
      publishedOn: TODAY,
      url: 'http://www.yanzhou.gov.cn/art/2026/11/20/1.html',
      timeliness: 'ON_TIME',
      deadline: { due: '2026-11-30' },
    });
    await expectError(PUBLISH, { i: { publicationId: id, publishedOn: TODAY } }, t.b1Admin!, {
      code: 'CONFLICT',
      field: 'input.publicationId',
      reason: 'ALREADY_PUBLISHED',
    });

    const full = await api.ok(
      `query($id: ID!) { publication(id: $id) {
         history { fromStatus toStatus action actor reason }
         signOffs { level approve reason signerUsername }
         approvalForm { date title targetColumn draftingUnit drafter
           unitHeadOpinion { approved opinion name date } leaderOpinion { approved opinion name date }
           confidentialityReview { conclusion reviewer date notes } } } }`,
      { id },
      t.b1Admin!,
    );
    expect(full.publication.history.map((e: any) => [e.fromStatus, e.toStatus, e.action, e.actor])).toEqual([
      [null, 'DRAFT', 'CREATE', users.b1Liaison],
      ['DRAFT', 'DRAFT', 'UPDATE', users.b1Liaison],
      ['DRAFT', 'PENDING_CONFIDENTIALITY_REVIEW', 'SUBMIT', users.b1Liaison],
      ['PENDING_CONFIDENTIALITY_REVIEW', 'PENDING_UNIT_HEAD', 'REVIEW_PASSED', users.b1Head],
      ['PENDING_UNIT_HEAD', 'PENDING_LEADER', 'UNIT_HEAD_APPROVED', users.b1Head],
      ['PENDING_LEADER', 'APPROVED', 'LEADER_APPROVED', users.cityLeader],
      ['APPROVED', 'PUBLISHED', 'PUBLISH', users.b1Admin],
    ]);
    // The submission date is when the step was recorded (the real clock); the review and the
    // sign-offs carry the business date they were made on (the pinned "today"), which is what the
    // publication date is checked against.
    const recorded = todayInChina();
    expect(full.publication.approvalForm).toEqual({
      date: recorded,
      title: '关于调整户籍业务办理时间的公告',
      targetColumn: '区政府网站政务公开--政策文件--部门文件',
      draftingUnit: '单位 b1-sec',
      drafter: expect.stringMatching(/^测试账号/),
      unitHeadOpinion: { approved: true, opinion: '同意', name: expect.any(String), date: TODAY },
      leaderOpinion: { approved: true, opinion: '同意上网发布', name: expect.any(String), date: TODAY },
      confidentialityReview: { conclusion: 'PASSED', reviewer: expect.any(String), date: TODAY, notes: '未发现涉密内容' },
    });
  });

  it('a failed review or a rejection returns it to the drafter with the reason; each resubmission is reviewed again', async () => {
    const { id } = await api.create(t.b1Liaison!, { ...base(), catalogueItemId: items['部门会议'], title: '分局党委会议纪要' });
    await api.submit(t.b1Liaison!, id);
    await expectError(REVIEW, { i: { publicationId: id, conclusion: 'FAILED' } }, t.b1Head!, { code: 'BAD_USER_INPUT', field: 'input.notes' });
    expect(await api.review(t.b1Head!, id, 'FAILED', '含内部工作部署，须删除第三段')).toMatchObject({ status: 'DRAFT', round: 1 });

    const resubmitted = await api.submit(t.b1Liaison!, id);
    expect(resubmitted).toMatchObject({ status: 'PENDING_CONFIDENTIALITY_REVIEW', round: 2 });
    const noReviewYet = await api.ok(`query($id: ID!) { publication(id: $id) { review { conclusion } } }`, { id }, t.b1Liaison!);
    expect(noReviewYet.publication.review).toBeNull();
    await api.review(t.b1Head!, id);
    await expectError(SIGN, { i: { publicationId: id, level: 'UNIT_HEAD', approve: false } }, t.b1Head!, { code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect(await api.signOff(t.b1Head!, id, 'UNIT_HEAD', false, '标题不规范')).toMatchObject({ status: 'DRAFT' });

    await api.submit(t.b1Liaison!, id);
    await api.review(t.b1Head!, id);
    await api.signOff(t.b1Head!, id, 'UNIT_HEAD');
    expect(await api.signOff(t.b1Leader!, id, 'LEADER', false, '暂缓发布')).toMatchObject({ status: 'DRAFT', round: 3 });

    const h1 = await api.ok(`query($id: ID!) { publication(id: $id) { history { action reason } signOffs { level } } }`, { id }, t.b1Admin!);
    const returned = h1.publication.history.filter((e: any) => /FAILED|REJECTED/.test(e.action));
    expect(returned).toEqual([
      { action: 'REVIEW_FAILED', reason: '含内部工作部署，须删除第三段' },
      { action: 'UNIT_HEAD_REJECTED', reason: '标题不规范' },
      { action: 'LEADER_REJECTED', reason: '暂缓发布' },
    ]);
    expect(h1.publication.signOffs.map((s: any) => s.level)).toEqual(['UNIT_HEAD', 'LEADER']);
  });

  it('the drafter can neither review nor sign off their own publication', async () => {
    const { id } = await api.create(t.b1Head!, { ...base(), title: '负责人自己起草的稿件' });
    await api.submit(t.b1Head!, id);
    const err = await expectError(REVIEW, { i: { publicationId: id, conclusion: 'PASSED' } }, t.b1Head!, {
      code: 'FORBIDDEN',
      field: 'input.publicationId',
      reason: 'REVIEWER_IS_DRAFTER',
    });
    expect(err.message).toContain('撰稿人不能审查');
    await api.review(t.b1Leader!, id);
    await expectError(SIGN, { i: { publicationId: id, level: 'UNIT_HEAD', approve: true } }, t.b1Head!, { code: 'FORBIDDEN', reason: 'SIGNER_IS_DRAFTER' });
  });

  it('NOT_DISCLOSED needs a legal reason, has no due date, and can never be published', async () => {
    await expectError(CREATE, { i: { ...base(), disclosureAttribute: 'NOT_DISCLOSED' } }, t.b1Liaison!, {
      code: 'BAD_USER_INPUT',
      field: 'input.nonDisclosureReason',
    });
    const p = await api.walk(tokens, { ...base(), disclosureAttribute: 'NOT_DISCLOSED', nonDisclosureReason: '《政府信息公开条例》第十四条：危及国家安全' });
    expect(p).toMatchObject({ status: 'APPROVED', disclosureAttribute: 'NOT_DISCLOSED', deadline: { due: null } });
    await expectError(PUBLISH, { i: { publicationId: p.id, publishedOn: TODAY } }, t.b1Admin!, { code: 'CONFLICT', reason: 'NOT_DISCLOSED' });
  });

  it('personal information blocks publishing until the drafter confirms de-identification', async () => {
    const p = await api.walk(tokens, { ...base(), title: '违法人员惩戒公示', containsPersonalInfo: true });
    expect(p).toMatchObject({ status: 'APPROVED', containsPersonalInfo: true, deidentificationConfirmed: false });
    await expectError(PUBLISH, { i: { publicationId: p.id, publishedOn: TODAY } }, t.b1Admin!, { code: 'CONFLICT', reason: 'DEIDENTIFICATION_UNCONFIRMED' });
    const CONFIRM = `mutation($i: ConfirmDeidentificationInput!) { confirmDeidentification(input: $i) { publication { deidentificationConfirmed deidentifiedBy } } }`;
    await expectError(CONFIRM, { i: { publicationId: p.id } }, t.b1Admin!, { code: 'FORBIDDEN', reason: 'NOT_DRAFTER' });
    const confirmed = await api.ok(CONFIRM, { i: { publicationId: p.id, note: '姓名、身份证号已隐去' } }, t.b1Liaison!);
    expect(confirmed.confirmDeidentification.publication).toEqual({ deidentificationConfirmed: true, deidentifiedBy: users.b1Liaison });
    expect(await api.publish(t.b1Admin!, p.id, TODAY)).toMatchObject({ status: 'PUBLISHED' });
  });

  it('the negative list refuses an item at creation, submission and publication', async () => {
    const ADD = `mutation($i: AddNegativeListEntryInput!) { addNegativeListEntry(input: $i) { entry { id matter legalReason category itemName catalogueItem { id } } } }`;
    const b1 = (await h.agency('b1')).id;
    const entryInput = { agencyId: b1, matter: '涉及侦查工作的公告', legalReason: '《政府信息公开条例》第十四条', catalogueItemId: items['公告公示'] };
    await expectError(ADD, { i: entryInput }, t.b1Liaison!, { code: 'FORBIDDEN' });
    await expectError(ADD, { i: entryInput }, t.b2Admin!, { code: 'NOT_FOUND' });
    const added = await api.ok(ADD, { i: entryInput }, t.b1Admin!);
    expect(added.addNegativeListEntry.entry).toMatchObject({ category: '公告公示', itemName: '公告公示', catalogueItem: { id: items['公告公示'] } });

    for (const itemId of [items['公告公示'], items['公告公示2027']]) {
      const err = await expectError(CREATE, { i: { ...base(), catalogueItemId: itemId, disclosureAttribute: 'PROACTIVE' } }, t.b1Liaison!, {
        code: 'BAD_USER_INPUT',
        field: 'input.catalogueItemId',
        reason: 'NEGATIVE_LIST',
      });
      expect(err.message).toContain('负面清单');
    }

    // listed after drafting: submission and publication are refused
    const draft = await api.create(t.b1Liaison!, { ...base(), catalogueItemId: items['部门财政预决算'], title: '2026年部门预算' });
    const ready = await api.walk(tokens, { ...base(), catalogueItemId: items['部门财政预决算'], title: '2026年部门决算' });
    const listed = await api.ok(ADD, { i: { agencyId: b1, matter: '预决算中的涉密经费', legalReason: '保密法', catalogueItemId: items['部门财政预决算'] } }, t.b1Admin!);
    await expectError(api.mutation('submitPublication', 'SubmitPublicationInput', 'id'), { i: { publicationId: draft.id } }, t.b1Liaison!, {
      code: 'CONFLICT',
      reason: 'NEGATIVE_LIST',
    });
    await expectError(PUBLISH, { i: { publicationId: ready.id, publishedOn: TODAY } }, t.b1Admin!, { code: 'CONFLICT', reason: 'NEGATIVE_LIST' });

    const list = await api.ok(`query($a: ID!) { negativeListEntries(agencyId: $a, first: 10) { totalCount edges { node { matter } } } }`, { a: b1 }, t.b1Liaison!);
    expect(list.negativeListEntries.totalCount).toBe(2);
    await api.ok(
      `mutation($i: RemoveNegativeListEntryInput!) { removeNegativeListEntry(input: $i) { removedId } }`,
      { i: { id: listed.addNegativeListEntry.entry.id } },
      t.b1Admin!,
    );
    expect(await api.publish(t.b1Admin!, ready.id, TODAY)).toMatchObject({ status: 'PUBLISHED' });
  });

  it('refuses bad input with the field named and nothing written', async () => {
    const cases: Array<[Record<string, unknown>, string, { code: string; field: string }]> = [
      [{ ...base(), formedOn: '2026-11-21' }, t.b1Liaison!, { code: 'BAD_USER_INPUT', field: 'input.formedOn' }],
      [{ ...base(), catalogueItemId: '00000000-0000-4000-8000-000000000000' }, t.b1Liaison!, { code: 'NOT_FOUND', field: 'input.catalogueItemId' }],
      [{ ...base(), catalogueItemId: 'not-an-id' }, t.b1Liaison!, { code: 'BAD_USER_INPUT', field: 'input.catalogueItemId' }],
      [{ ...base(), catalogueItemId: b2Items['部门文件'] }, t.b1Liaison!, { code: 'NOT_FOUND', field: 'input.catalogueItemId' }],
      [{ ...base(), catalogueItemId: standardItems['标准事项'] }, t.cityAdmin!, { code: 'BAD_USER_INPUT', field: 'input.catalogueItemId' }],
      [{ ...base(), draftingUnitId: (await h.unit('city', 'city-office')).id }, t.cityAdmin!, { code: 'BAD_USER_INPUT', field: 'input.draftingUnitId' }],
      [{ ...base(), draftingUnitId: (await h.unit('b2', 'b2-sec')).id }, t.b1Admin!, { code: 'NOT_FOUND', field: 'input.draftingUnitId' }],
      [{ ...base() }, t.b1Admin!, { code: 'BAD_USER_INPUT', field: 'input.draftingUnitId' }],
      [{ ...base(), title: ' ' }, t.b1Liaison!, { code: 'BAD_USER_INPUT', field: 'input.title' }],
    ];
    for (const [input, token, expected] of cases) {
      await expectError(CREATE, { i: { disclosureAttribute: 'PROACTIVE', ...input } }, token, expected);
    }
    // a drafting unit other than one's own
    await expectError(CREATE, { i: { ...base(), disclosureAttribute: 'PROACTIVE', draftingUnitId: (await h.unit('b1', 'b1-legal')).id } }, t.b1Liaison!, {
      code: 'FORBIDDEN',
    });
    // the openness office drafts for any unit of its agency, a superior's office for the branch
    const byAdmin = await api.create(t.cityAdmin!, { ...base(), draftingUnitId: (await h.unit('b1', 'b1-legal')).id });
    expect(byAdmin.draftingUnit.code).toBe('b1-legal');
  });

  it('editing a draft recomputes its due date from the (new) item and formation date', async () => {
    const p = await api.create(t.b1Liaison!, { ...base(), title: '改期的稿件' });
    expect(p.deadline.due).toBe('2026-11-30');
    const UPDATE = `mutation($i: UpdatePublicationInput!) { updatePublication(input: $i) { publication {
      formedOn item { name } draftingUnit { code } deadline { due } history { action reason } } } }`;
    const moved = await api.ok(UPDATE, { i: { id: p.id, formedOn: '2026-11-09', catalogueItemId: items['部门会议'] } }, t.b1Liaison!);
    expect(moved.updatePublication.publication).toMatchObject({ formedOn: '2026-11-09', item: { name: '部门会议' }, deadline: { due: '2026-12-07' } });
    expect(moved.updatePublication.publication.history.at(-1)).toEqual({ action: 'UPDATE', reason: '修改：item、formedOn' });
    await expectError(UPDATE, { i: { id: p.id, formedOn: '2026-12-01' } }, t.b1Liaison!, { code: 'BAD_USER_INPUT', field: 'input.formedOn' });
    await expectError(UPDATE, { i: { id: p.id, catalogueItemId: b2Items['部门文件'] } }, t.b1Liaison!, { code: 'NOT_FOUND', field: 'input.catalogueItemId' });
    await expectError(UPDATE, { i: { id: p.id, disclosureAttribute: 'NOT_DISCLOSED' } }, t.b1Liaison!, { code: 'BAD_USER_INPUT', field: 'input.nonDisclosureReason' });
    await expectError(UPDATE, { i: { id: p.id, title: '他人修改' } }, t.b1LegalHead!, { code: 'FORBIDDEN' });
    const byAdmin = await api.ok(UPDATE, { i: { id: p.id, draftingUnitId: (await h.unit('b1', 'b1-legal')).id } }, t.b1Admin!);
    expect(byAdmin.updatePublication.publication.draftingUnit.code).toBe('b1-legal');
  });

  it('lists with filters, oldest formation first', async () => {
    const LIST = `query($f: PublicationFilter) { publications(first: 100, filter: $f) { totalCount edges { node { status publishedOn formedOn deadline { due } title } } } }`;
    const all = (await api.ok(LIST, {}, t.b1Admin!)).publications;
    expect(all.totalCount).toBeGreaterThan(5);
    const formed = all.edges.map((e: any) => e.node.formedOn);
    expect([...formed].sort()).toEqual(formed);
    const published = (await api.ok(LIST, { f: { status: 'PUBLISHED' } }, t.b1Admin!)).publications;
    expect(published.totalCount).toBeGreaterThan(0);
    expect(published.edges.every((e: any) => e.node.status === 'PUBLISHED' && e.node.publishedOn)).toBe(true);
    const overdue = (await api.ok(LIST, { f: { overdueOnly: true } }, t.b1Admin!)).publications;
    expect(overdue.edges.every((e: any) => !e.node.publishedOn && e.node.deadline.due < TODAY)).toBe(true);
    const text = (await api.ok(LIST, { f: { text: '惩戒' } }, t.b1Admin!)).publications;
    expect(text.edges.map((e: any) => e.node.title)).toEqual(['违法人员惩戒公示']);
    const page = (await api.ok(`{ publications(first: 2) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`, {}, t.b1Admin!)).publications;
    const next = (await api.ok(`query($a: String) { publications(first: 100, after: $a) { edges { node { id } } } }`, { a: page.pageInfo.endCursor }, t.b1Admin!))
      .publications;
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(next.edges).toHaveLength(all.totalCount - 2);
  });

  it('tenancy: a sibling agency cannot read or act on a publication; a superior viewer reads but cannot write', async () => {
    const p = await api.walk(tokens, { ...base(), title: '兄弟分局看不到的稿件' });
    const mutations: Array<[string, Record<string, unknown>]> = [
      [REVIEW, { i: { publicationId: p.id, conclusion: 'PASSED' } }],
      [SIGN, { i: { publicationId: p.id, level: 'LEADER', approve: true } }],
      [PUBLISH, { i: { publicationId: p.id, publishedOn: TODAY } }],
      [api.mutation('submitPublication', 'SubmitPublicationInput', 'id'), { i: { publicationId: p.id } }],
      [api.mutation('confirmDeidentification', 'ConfirmDeidentificationInput', 'id'), { i: { publicationId: p.id } }],
      [`mutation($i: UpdatePublicationInput!) { updatePublication(input: $i) { publication { id } } }`, { i: { id: p.id, title: '篡改' } }],
    ];
    for (const token of [t.b2Admin!, t.b2Leader!, t.b2Liaison!]) {
      await expectError(`query($id: ID!) { publication(id: $id) { title } }`, { id: p.id }, token, { code: 'NOT_FOUND' });
      const list = await api.ok(`{ publications(first: 100) { totalCount edges { node { id } } } }`, {}, token);
      expect(list.publications.totalCount).toBe(0);
      await expectError(`query($id: ID!) { catalogueItem(id: $id) { publications(first: 10) { totalCount } } }`, { id: items['部门文件'] }, token, {
        code: 'NOT_FOUND',
      });
      await expectError(`query($f: PublicationFilter) { publications(first: 5, filter: $f) { totalCount } }`, { f: { agencyId: (await h.agency('b1')).id } }, token, {
        code: 'NOT_FOUND',
      });
      for (const [query, vars] of mutations) {
        const res = await h.gql(query, vars, token);
        expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
    }
    // through its own item the sibling sees only its own (none)
    const own = await api.ok(`query($id: ID!) { catalogueItem(id: $id) { publications(first: 10) { totalCount } } }`, { id: b2Items['部门文件'] }, t.b2Admin!);
    expect(own.catalogueItem.publications.totalCount).toBe(0);

    // the superior reads everything below it, nested too, but a viewer cannot act
    const seen = await api.ok(
      `query($id: ID!) { catalogueItem(id: $id) { publications(first: 50) { totalCount edges { node { id agency { code } } } } } }`,
      { id: items['部门文件'] },
      t.cityViewer!,
    );
    expect(seen.catalogueItem.publications.edges.map((e: any) => e.node.id)).toContain(p.id);
    const viewer = await h.gql(PUBLISH, { i: { publicationId: p.id, publishedOn: TODAY } }, t.cityViewer!);
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const statusNow = await api.ok(`query($id: ID!) { publication(id: $id) { status } }`, { id: p.id }, t.b1Admin!);
    expect(statusNow.publication.status).toBe('APPROVED');
  });
});
