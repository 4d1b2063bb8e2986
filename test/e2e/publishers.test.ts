import { setFixedToday } from '../../src/modules/calendar/clock';
import { Publication, PublicationEvent } from '../../src/modules/publication/publication.entity';
import { PublisherDesignation } from '../../src/modules/publication/publisher.entity';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems, publicationApi, WD20 } from '../support/publication-fixtures';

const TODAY = '2026-11-20';
const COL_X = '区政府网站政务公开--执法公开--行政处罚';
const COL_Y = '区政府网站政务公开--政策文件--部门文件';

/**
 * Designated publishers (002 §21): the openness office publishes; a unit may be designated for given
 * website columns (as 法制大队 publishes its own); everyone else is refused, naming the field and
 * writing nothing.
 */
describe('publications: designated publishers', () => {
  let h: Harness;
  let api: ReturnType<typeof publicationApi>;
  const t: Record<string, string> = {};
  let items: Record<string, string>;
  let legalUnitId: string;
  let secUnitId: string;
  let cityUnitId: string;

  const PUBLISH = `mutation($i: PublishPublicationInput!) { publishPublication(input: $i) { publication { id status publishedOn } } }`;
  const DESIGNATE = `mutation($i: DesignatePublisherInput!) { designatePublisher(input: $i) {
    designation { id websiteColumns createdBy agency { code } unit { code name } } } }`;
  const REVOKE = `mutation($i: RevokePublisherDesignationInput!) { revokePublisherDesignation(input: $i) { revokedId } }`;
  const LIST = `query($a: ID!) { publisherDesignations(agencyId: $a) { id websiteColumns unit { code } } }`;

  /** Drafted by b1-sec, reviewed and signed: ready to publish. */
  const approved = async (item: string, title: string) =>
    api.walk(
      { drafter: t.b1Liaison!, reviewer: t.b1Head!, head: t.b1Head!, leader: t.b1Leader!, publisher: t.b1Admin! },
      { catalogueItemId: items[item], title, formedOn: '2026-11-02' },
    );

  /** The refusal names input.publicationId and nothing is written (status, events, publication count). */
  const expectRefused = async (publicationId: string, token: string) => {
    const em = h.em();
    const [count, events] = [await em.count(Publication, {}), await em.count(PublicationEvent, { publication: publicationId })];
    const res = await h.gql(PUBLISH, { i: { publicationId, publishedOn: TODAY } }, token);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.publicationId', reason: 'WRONG_ROLE' });
    const em2 = h.em();
    expect(await em2.count(Publication, {})).toBe(count);
    expect(await em2.count(PublicationEvent, { publication: publicationId })).toBe(events);
    expect(await em2.findOneOrFail(Publication, publicationId)).toMatchObject({ status: 'APPROVED', publishedOn: null });
    return res.errors![0]!;
  };

  const gqlError = async (query: string, variables: Record<string, unknown>, token: string) => {
    const before = await h.em().count(PublisherDesignation, {});
    const res = await h.gql(query, variables, token);
    expect(res.data).toBeNull();
    expect(await h.em().count(PublisherDesignation, {})).toBe(before);
    return res.errors![0]!.extensions as Record<string, unknown>;
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
      ['b1LegalLiaison', 'b1', [Role.UNIT_LIAISON], 'b1-legal'],
      ['b1LegalHead', 'b1', [Role.UNIT_HEAD], 'b1-legal'],
      ['b1Leader', 'b1', [Role.LEADER]],
      ['cityAdmin', 'city', [Role.AGENCY_ADMIN]],
      ['b2Admin', 'b2', [Role.AGENCY_ADMIN]],
      ['b2Liaison', 'b2', [Role.UNIT_LIAISON], 'b2-sec'],
    ];
    for (const [key, agency, roles, unit] of accounts) {
      t[key] = (await h.account({ agency, roles, unit, username: key.toLowerCase() })).token;
    }
    items = (
      await catalogueWithItems(h, 'b1', 2026, [
        { category: '执法公开', name: '行政处罚', rule: WD20, websiteColumn: COL_X },
        { category: '政策文件', name: '部门文件', rule: WD20, websiteColumn: COL_Y },
        { category: '公告公示', name: '公告公示', rule: WD20 },
      ])
    ).items;
    legalUnitId = (await h.unit('b1', 'b1-legal')).id;
    secUnitId = (await h.unit('b1', 'b1-sec')).id;
    cityUnitId = (await h.unit('city', 'city-office')).id;
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  it('without designations only the openness office (an administrator of the agency or above) publishes', async () => {
    const a = await approved('行政处罚', '行政处罚决定公示一');
    // the drafting unit's liaison and head, a leader, another agency's liaison: refused, nothing written
    const refusal = await expectRefused(a.id, t.b1Liaison!);
    expect(refusal.message).toContain('政务公开办');
    expect(refusal.extensions).toMatchObject({ designatedUnitIds: [] });
    await expectRefused(a.id, t.b1Head!);
    await expectRefused(a.id, t.b1Leader!);
    await expectRefused(a.id, t.b1LegalLiaison!);
    expect(await api.publish(t.b1Admin!, a.id, TODAY)).toMatchObject({ status: 'PUBLISHED', publishedOn: TODAY });

    const b = await approved('部门文件', '部门文件一');
    expect(await api.publish(t.cityAdmin!, b.id, TODAY)).toMatchObject({ status: 'PUBLISHED' });
  });

  it('a unit designated for column X publishes items of X but not of Y; revoking refuses it again', async () => {
    const d = (await api.ok(DESIGNATE, { i: { agencyId: await agencyId('b1'), unitId: legalUnitId, websiteColumns: [` ${COL_X} `, COL_X] } }, t.b1Admin!))
      .designatePublisher.designation;
    expect(d).toMatchObject({ websiteColumns: [COL_X], createdBy: 'b1admin', agency: { code: 'b1' }, unit: { code: 'b1-legal' } });

    const x1 = await approved('行政处罚', '行政处罚决定公示二');
    const x2 = await approved('行政处罚', '行政处罚决定公示三');
    const y = await approved('部门文件', '部门文件二');
    const none = await approved('公告公示', '公告一');

    // the designated unit's liaison and head publish column X …
    expect(await api.publish(t.b1LegalLiaison!, x1.id, TODAY)).toMatchObject({ status: 'PUBLISHED' });
    expect(await api.publish(t.b1LegalHead!, x2.id, TODAY)).toMatchObject({ status: 'PUBLISHED' });
    // … but not column Y, nor an item without a column
    await expectRefused(y.id, t.b1LegalLiaison!);
    await expectRefused(none.id, t.b1LegalHead!);
    // other units stay refused for X, and the message names who may publish
    const x3 = await approved('行政处罚', '行政处罚决定公示四');
    const refusal = await expectRefused(x3.id, t.b1Liaison!);
    expect(refusal.message).toContain('单位 b1-legal');
    expect(refusal.extensions).toMatchObject({ designatedUnitIds: [legalUnitId] });
    // a leader is no publisher either
    await expectRefused(x3.id, t.b1Leader!);

    // designating again replaces the columns: an empty list is every column
    const again = (await api.ok(DESIGNATE, { i: { agencyId: await agencyId('b1'), unitId: legalUnitId, websiteColumns: [] } }, t.b1Admin!))
      .designatePublisher.designation;
    expect(again).toMatchObject({ id: d.id, websiteColumns: [] });
    expect(await api.publish(t.b1LegalLiaison!, y.id, TODAY)).toMatchObject({ status: 'PUBLISHED' });

    // revoked: refused again
    expect((await api.ok(REVOKE, { i: { id: d.id } }, t.b1Admin!)).revokePublisherDesignation.revokedId).toBe(d.id);
    await expectRefused(x3.id, t.b1LegalLiaison!);
    await expectRefused(none.id, t.b1LegalLiaison!);
    expect(await api.publish(t.b1Admin!, x3.id, TODAY)).toMatchObject({ status: 'PUBLISHED' });
  });

  it('only an administrator of the agency or above designates and revokes; bad input names its field', async () => {
    const b1 = await agencyId('b1');
    // another agency's administrator does not see b1 at all
    expect(await gqlError(DESIGNATE, { i: { agencyId: b1, unitId: legalUnitId, websiteColumns: [COL_X] } }, t.b2Admin!)).toMatchObject({ code: 'NOT_FOUND' });
    // b1's own liaison is no administrator
    expect(await gqlError(DESIGNATE, { i: { agencyId: b1, unitId: legalUnitId, websiteColumns: [COL_X] } }, t.b1LegalLiaison!)).toMatchObject({ code: 'FORBIDDEN' });
    // a unit of another agency
    expect(await gqlError(DESIGNATE, { i: { agencyId: b1, unitId: cityUnitId, websiteColumns: [] } }, t.cityAdmin!)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.unitId',
    });
    expect(await gqlError(DESIGNATE, { i: { agencyId: b1, unitId: secUnitId, websiteColumns: ['  '] } }, t.b1Admin!)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.websiteColumns',
    });

    // the city's administrator (above b1) designates; b2's cannot revoke it, b1's liaison neither
    const d = (await api.ok(DESIGNATE, { i: { agencyId: b1, unitId: secUnitId, websiteColumns: [COL_Y] } }, t.cityAdmin!)).designatePublisher.designation;
    expect(await gqlError(REVOKE, { i: { id: d.id } }, t.b2Admin!)).toMatchObject({ code: 'NOT_FOUND', field: 'input.id' });
    expect(await gqlError(REVOKE, { i: { id: d.id } }, t.b1Liaison!)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await api.ok(REVOKE, { i: { id: d.id } }, t.b1Admin!)).revokePublisherDesignation.revokedId).toBe(d.id);
  });

  it('the list is confined to the caller’s subtree', async () => {
    const b1 = await agencyId('b1');
    const d = (await api.ok(DESIGNATE, { i: { agencyId: b1, unitId: legalUnitId, websiteColumns: [COL_X] } }, t.b1Admin!)).designatePublisher.designation;
    const expected = [{ id: d.id, websiteColumns: [COL_X], unit: { code: 'b1-legal' } }];
    expect((await api.ok(LIST, { a: b1 }, t.b1Admin!)).publisherDesignations).toEqual(expected);
    expect((await api.ok(LIST, { a: b1 }, t.b1Liaison!)).publisherDesignations).toEqual(expected);
    expect((await api.ok(LIST, { a: b1 }, t.cityAdmin!)).publisherDesignations).toEqual(expected);
    const res = await h.gql(LIST, { a: b1 }, t.b2Admin!);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.ok(LIST, { a: await agencyId('b2') }, t.b2Liaison!)).publisherDesignations).toEqual([]);
  });

  async function agencyId(code: string): Promise<string> {
    const rows = await h.em().getConnection().execute(`select id from agency where code = ?`, [code]);
    return rows[0]!.id as string;
  }
});
