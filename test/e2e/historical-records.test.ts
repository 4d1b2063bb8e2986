import { setFixedToday, withToday } from '../../src/modules/calendar/clock';
import { todayInChina } from '../../src/modules/calendar/deadline-engine';
import { addDays } from '../../src/modules/calendar/date-utils';
import { compareFiguresWithReference } from '../../src/figures/figure-check';
import { Publication, PublicationEvent } from '../../src/modules/publication/publication.entity';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems, publicationApi, WD20 } from '../support/publication-fixtures';

/**
 * Dates that cannot lie (issue 12 part 1): no publication date before the final sign-off, review and
 * sign-offs in order in time, and publications made before the agency used the system entered as
 * historical records (补录) — shown apart in the compliance figures, never counted as reviewed.
 */
describe('honest publication dates and historical records', () => {
  let h: Harness;
  let api: ReturnType<typeof publicationApi>;
  const t: Record<string, string> = {};
  let items: Record<string, string>;
  let secUnit: string;
  let otherItem: string;

  const HISTORICAL = `mutation($i: RecordHistoricalPublicationInput!) { recordHistoricalPublication(input: $i) {
    publication { id status historical publishedOn formedOn timeliness deadline { due } review { id } signOffs { level }
      history { action actor reason } approvalForm { confidentialityReview { conclusion } leaderOpinion { date } } } } }`;
  const PUBLISH = `mutation($i: PublishPublicationInput!) { publishPublication(input: $i) { publication { id status } } }`;
  const SIGN = `mutation($i: SignOffPublicationInput!) { signOffPublication(input: $i) { publication { id status } } }`;
  const REVIEW = `mutation($i: RecordConfidentialityReviewInput!) { recordConfidentialityReview(input: $i) { publication { id } } }`;
  const SUBMIT = `mutation($i: SubmitPublicationInput!) { submitPublication(input: $i) { publication { id } } }`;
  const FIGURES = `query($f: ComplianceFilter!) {
    publicationCompliance(filter: $f) { agencies { agency { code } figures { dueInPeriod onTime late publishedInPeriod
      historicalOnTime historicalLate historicalPublished emptyItems } } }
    complianceRollup(filter: $f) { rows { agency { code } own { onTime historicalOnTime historicalLate historicalPublished }
      subtree { onTime late historicalOnTime historicalLate historicalPublished } } } }`;

  const history = (over: Record<string, unknown> = {}) => ({
    catalogueItemId: items['部门文件'],
    title: '关于调整户籍业务办理时间的公告',
    formedOn: '2024-03-01',
    publishedOn: '2024-03-15',
    url: 'http://www.example.gov.cn/art/2024/3/15/1.html',
    draftingUnitId: secUnit,
    source: '网站栏目存档',
    ...over,
  });

  /** Asserts an error with `expected` extensions and that no publication or history row was written. */
  const refused = async (query: string, variables: Record<string, unknown>, token: string, expected: Record<string, unknown>) => {
    const before = [await h.em().count(Publication, {}), await h.em().count(PublicationEvent, {})];
    const res = await h.gql(query, variables, token);
    expect(res.errors?.[0]?.extensions).toMatchObject(expected);
    expect(res.data).toBeNull();
    expect([await h.em().count(Publication, {}), await h.em().count(PublicationEvent, {})]).toEqual(before);
    return res.errors![0]!;
  };

  beforeAll(async () => {
    h = await startHarness();
    api = publicationApi(h);
    await h.tree({ code: 'city', units: ['city-office'], children: [{ code: 'b1', units: ['b1-sec', 'b1-legal'] }, { code: 'b2', units: ['b2-sec'] }] });
    const accounts: Array<[string, string, Role[], string?]> = [
      ['admin', 'b1', [Role.AGENCY_ADMIN]],
      ['liaison', 'b1', [Role.UNIT_LIAISON], 'b1-sec'],
      ['head', 'b1', [Role.UNIT_HEAD], 'b1-sec'],
      ['leader', 'b1', [Role.LEADER]],
      ['cityViewer', 'city', [Role.SUPERIOR_VIEWER]],
      ['b2Admin', 'b2', [Role.AGENCY_ADMIN]],
    ];
    for (const [key, agency, roles, unit] of accounts) t[key] = (await h.account({ agency, roles, unit })).token;
    items = (
      await catalogueWithItems(h, 'b1', 2024, [
        { category: '政策文件', name: '部门文件', rule: WD20 },
        { category: '公告公示', name: '公告公示', rule: WD20 },
        { category: '会议公开', name: '部门会议', rule: WD20 },
      ])
    ).items;
    await catalogueWithItems(h, 'b1', 2026, [{ category: '公告公示', name: '公告公示', rule: WD20 }]).then((c) => {
      items['公告公示2026'] = c.items['公告公示']!;
    });
    otherItem = (await catalogueWithItems(h, 'b2', 2024, [{ name: '部门文件', rule: WD20 }])).items['部门文件']!;
    secUnit = (await h.unit('b1', 'b1-sec')).id;
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  describe('publications through the system', () => {
    const tokens = () => ({ drafter: t.liaison!, reviewer: t.head!, head: t.head!, leader: t.leader!, publisher: t.admin! });
    const draftFor = (formedOn: string) => ({ catalogueItemId: items['公告公示2026'], title: '关于春节期间窗口服务安排的公告', formedOn });

    it('are never dated before the final sign-off, nor in the future', async () => {
      // Reviewed on 3 March, both sign-offs on 10 March.
      const p = await withToday('2026-03-03', async () => {
        const created = await api.create(t.liaison!, draftFor('2026-03-02'));
        await api.submit(t.liaison!, created.id);
        await api.review(t.head!, created.id);
        return created;
      });
      await withToday('2026-03-10', async () => {
        await api.signOff(t.head!, p.id, 'UNIT_HEAD');
        await api.signOff(t.leader!, p.id, 'LEADER');
      });
      await withToday('2026-03-20', async () => {
        // Formed and reviewed before 9 March, yet signed off on the 10th: 先审查后公开.
        const err = await refused(PUBLISH, { i: { publicationId: p.id, publishedOn: '2026-03-09' } }, t.admin!, {
          code: 'BAD_USER_INPUT',
          field: 'input.publishedOn',
        });
        expect(err.message).toContain('2026-03-10');
        await refused(PUBLISH, { i: { publicationId: p.id, publishedOn: '2026-03-21' } }, t.admin!, { code: 'BAD_USER_INPUT', field: 'input.publishedOn' });
        const published = await api.publish(t.admin!, p.id, '2026-03-10');
        expect(published).toMatchObject({ status: 'PUBLISHED', publishedOn: '2026-03-10', timeliness: 'ON_TIME' });
      });
      const form = await api.ok(
        `query($id: ID!) { publication(id: $id) { historical review { reviewedOn } signOffs { level signedOn }
           approvalForm { unitHeadOpinion { date } leaderOpinion { date } confidentialityReview { date } } } }`,
        { id: p.id },
        t.admin!,
      );
      expect(form.publication).toEqual({
        historical: false,
        review: { reviewedOn: '2026-03-03' },
        signOffs: [
          { level: 'UNIT_HEAD', signedOn: '2026-03-10' },
          { level: 'LEADER', signedOn: '2026-03-10' },
        ],
        approvalForm: { unitHeadOpinion: { date: '2026-03-10' }, leaderOpinion: { date: '2026-03-10' }, confidentialityReview: { date: '2026-03-03' } },
      });
    });

    it('are reviewed and signed in order in time: a sign-off dated before the step it follows is refused', async () => {
      const p = await withToday('2026-04-08', async () => {
        const created = await api.create(t.liaison!, draftFor('2026-04-01'));
        await api.submit(t.liaison!, created.id);
        await api.review(t.head!, created.id);
        return created;
      });
      // A clock that went back (a wrong server date, a re-run import of old work): refused, nothing written.
      await withToday('2026-04-07', async () => {
        await refused(SIGN, { i: { publicationId: p.id, level: 'UNIT_HEAD', approve: true } }, t.head!, { code: 'CONFLICT', reason: 'OUT_OF_ORDER' });
      });
      await withToday('2026-04-09', () => api.signOff(t.head!, p.id, 'UNIT_HEAD'));
      await withToday('2026-04-08', async () => {
        await refused(SIGN, { i: { publicationId: p.id, level: 'LEADER', approve: true } }, t.leader!, { code: 'CONFLICT', reason: 'OUT_OF_ORDER' });
      });
      expect(await withToday('2026-04-09', () => api.signOff(t.leader!, p.id, 'LEADER'))).toMatchObject({ status: 'APPROVED' });
    });
  });

  describe('historical records (补录)', () => {
    let recorded: any;

    it('are entered by the openness office with their original dates, published, with no review', async () => {
      const res = await h.gql(HISTORICAL, { i: history() }, t.admin!);
      expect(res.errors).toBeUndefined();
      recorded = res.data!.recordHistoricalPublication.publication;
      expect(recorded).toMatchObject({
        status: 'PUBLISHED',
        historical: true,
        formedOn: '2024-03-01',
        publishedOn: '2024-03-15',
        timeliness: 'ON_TIME',
        review: null,
        signOffs: [],
        approvalForm: { confidentialityReview: null, leaderOpinion: null },
      });
      expect(recorded.history).toEqual([{ action: 'HISTORICAL_RECORDED', actor: expect.any(String), reason: '补录依据：网站栏目存档' }]);
      // A late one, for the figures below.
      const late = await h.gql(HISTORICAL, { i: history({ catalogueItemId: items['公告公示'], formedOn: '2024-05-06', publishedOn: '2024-07-01' }) }, t.admin!);
      expect(late.data!.recordHistoricalPublication.publication).toMatchObject({ timeliness: 'LATE', deadline: { due: '2024-05-31' } });
    });

    it('never count as reviewed: no review, sign-off or approval form can be added afterwards', async () => {
      await refused(SUBMIT, { i: { publicationId: recorded.id } }, t.liaison!, { code: 'CONFLICT' });
      await refused(REVIEW, { i: { publicationId: recorded.id, conclusion: 'PASSED' } }, t.head!, { code: 'CONFLICT' });
      await refused(SIGN, { i: { publicationId: recorded.id, level: 'LEADER', approve: true } }, t.leader!, { code: 'CONFLICT' });
      await refused(PUBLISH, { i: { publicationId: recorded.id, publishedOn: '2024-03-16' } }, t.admin!, { code: 'CONFLICT', reason: 'ALREADY_PUBLISHED' });
      const form = await h.gql(`query($id: ID!) { exportApprovalForm(publicationId: $id) { filename } }`, { id: recorded.id }, t.admin!);
      expect(form.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'HISTORICAL_RECORD', field: 'publicationId' });
      // The database holds the same line: a historical record has no review round.
      await expect(
        h.em().getConnection().execute(`update publication set round = 1 where id = ?`, [recorded.id]),
      ).rejects.toThrow(/publication_historical_unreviewed/);
    });

    it('are refused with a clear error naming the field, writing nothing', async () => {
      const realToday = todayInChina();
      // Only for what happened before the agency used the system (its record was created today).
      const since = await refused(HISTORICAL, { i: history({ formedOn: realToday, publishedOn: realToday }) }, t.admin!, {
        code: 'BAD_USER_INPUT',
        field: 'input.publishedOn',
        systemSince: realToday,
      });
      expect(since.message).toContain('补录只适用于');
      await refused(HISTORICAL, { i: history({ publishedOn: addDays(realToday, 3) }) }, t.admin!, { code: 'BAD_USER_INPUT', field: 'input.publishedOn' });
      await refused(HISTORICAL, { i: history({ publishedOn: '2024-02-28' }) }, t.admin!, { code: 'BAD_USER_INPUT', field: 'input.publishedOn' });
      await refused(HISTORICAL, { i: history({ source: ' ' }) }, t.admin!, { code: 'BAD_USER_INPUT', field: 'input.source' });
      // Only those who may publish the item: not the liaison, not the leader who signs.
      await refused(HISTORICAL, { i: history() }, t.liaison!, { code: 'FORBIDDEN', field: 'input.catalogueItemId' });
      await refused(HISTORICAL, { i: history() }, t.leader!, { code: 'FORBIDDEN', field: 'input.catalogueItemId' });
      // Another tenant's item or unit is not there at all.
      await refused(HISTORICAL, { i: history({ catalogueItemId: otherItem }) }, t.admin!, { code: 'NOT_FOUND', field: 'input.catalogueItemId' });
      await refused(HISTORICAL, { i: history() }, t.b2Admin!, { code: 'NOT_FOUND', field: 'input.catalogueItemId' });
      // A record that claims a review is not expressible: the input has no such field.
      const claim = await h.gql(HISTORICAL, { i: { ...history(), reviewPassed: true } }, t.admin!);
      expect(claim.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('are shown apart in the compliance figures, which equal their recomputation', async () => {
      // One publication of 2024 through the system (signed off and published on 2024-06-20, late).
      await withToday('2024-06-20', () =>
        api.walk(
          { drafter: t.liaison!, reviewer: t.head!, head: t.head!, leader: t.leader!, publisher: t.admin! },
          { catalogueItemId: items['部门会议'], title: '分局党委会议纪要', formedOn: '2024-05-20' },
          '2024-06-20',
        ),
      );
      const f = { from: '2024-01-01', to: '2024-12-31' };
      const res = await api.ok(FIGURES, { f }, t.cityViewer!);
      const b1 = res.publicationCompliance.agencies.find((a: any) => a.agency.code === 'b1').figures;
      expect(b1).toEqual({
        dueInPeriod: 3,
        onTime: 1,
        late: 2,
        publishedInPeriod: 3,
        historicalOnTime: 1,
        historicalLate: 1,
        historicalPublished: 2,
        emptyItems: 0,
      });
      const city = res.complianceRollup.rows.find((r: any) => r.agency.code === 'city');
      expect(city.subtree).toEqual({ onTime: 1, late: 2, historicalOnTime: 1, historicalLate: 1, historicalPublished: 2 });
      expect(city.own).toEqual({ onTime: 0, historicalOnTime: 0, historicalLate: 0, historicalPublished: 0 });
      expect(await compareFiguresWithReference(h.em())).toEqual([]);
    });
  });
});
