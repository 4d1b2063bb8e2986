import { setFixedToday } from '../../src/modules/calendar/clock';
import { Agency } from '../../src/modules/agency/agency.entity';
import { Unit } from '../../src/modules/agency/unit.entity';
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
import { startHarness, Role, type Harness, type TreeSpec } from '../support/harness';
import { catalogueWithItems, WD20 } from '../support/publication-fixtures';

const FIGURES = 'itemCount dueInPeriod onTime late overdue pending onTimeRate publishedInPeriod staleItems emptyItems';
const ROLLUP = `{ complianceRollup(filter: { from: "2026-01-01", to: "2026-12-31" }) {
  rows { agency { code name depth } own { ${FIGURES} } subtree { ${FIGURES} } } } }`;
const COMPLIANCE = `{ publicationCompliance(filter: { from: "2026-01-01", to: "2026-12-31" }) {
  items { item { name } agency { code } onTime stale empty } agencies { agency { code } figures { ${FIGURES} } } } }`;
const NESTED = `{ publications(first: 100) { totalCount edges { node {
  title status timeliness deadline { due provisional explanation { summary } }
  agency { code } item { name publications(first: 5) { totalCount } } draftingUnit { name } drafter { username }
  review { conclusion reviewerName } signOffs { level signerName } history { action actor }
  approvalForm { title targetColumn draftingUnit unitHeadOpinion { name date } leaderOpinion { name } confidentialityReview { reviewer } }
} } } }`;

function tree(prefix: string, branches: number): TreeSpec {
  return {
    code: `${prefix}-root`,
    units: [`${prefix}-root-u`],
    children: Array.from({ length: branches }, (_, b) => ({ code: `${prefix}-b${b}`, units: [`${prefix}-b${b}-u`] })),
  };
}

/** Statement counts of compliance and nested publication queries depend on their shape, never on rows. */
describe('statement count of publication queries', () => {
  let h: Harness;
  const tokens: Record<string, string> = {};

  async function fill(prefix: string, codes: string[]) {
    const { account } = await h.account({ agency: `${prefix}-root`, roles: [Role.AGENCY_ADMIN] });
    for (const code of codes) {
      const { items } = await catalogueWithItems(h, code, 2026, [
        { name: '部门文件', rule: WD20 },
        { name: '政府信息公开指南', rule: { kind: 'KEEP_CURRENT', maxAgeDays: 90 } },
        { name: '政府信息公开年报', rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 } },
      ]);
      const em = h.em();
      const agency = await em.findOneOrFail(Agency, { code });
      const unit = await em.findOneOrFail(Unit, { agency: agency.id });
      Object.values(items).forEach((itemId, i) => {
        for (let k = 0; k <= i + 1; k += 1) {
          const published = k % 2 === 0;
          const pub = em.create(Publication, {
            agency: agency.id,
            item: itemId,
            title: `${code} 稿件 ${i}-${k}`,
            formedOn: `2026-0${3 + k}-02`,
            publishedOn: published ? `2026-0${3 + k}-20` : null,
            status: published ? PublicationStatus.PUBLISHED : PublicationStatus.PENDING_LEADER,
            round: 1,
            draftingUnit: unit.id,
            drafter: account.id,
            drafterName: '撰稿人',
            disclosureAttribute: DisclosureAttribute.PROACTIVE,
            dueOn: `2026-0${4 + k}-01`,
            dueYears: [2026],
            dueExplanation: { rule: WD20, start: `2026-0${3 + k}-02`, steps: [], summary: '20个工作日' },
          });
          em.create(ConfidentialityReview, { agency: agency.id, publication: pub.id, round: 1, conclusion: ReviewConclusion.PASSED, reviewerUsername: 'r', reviewerName: '审查人', reviewedOn: '2024-03-20' });
          em.create(PublicationSignOff, { agency: agency.id, publication: pub.id, round: 1, level: SignOffLevel.UNIT_HEAD, approve: true, signerUsername: 'h', signerName: '负责人', signedOn: '2024-03-21' });
          for (const action of [PublicationAction.CREATE, PublicationAction.SUBMIT]) {
            em.create(PublicationEvent, { agency: agency.id, publication: pub.id, toStatus: PublicationStatus.DRAFT, action, actor: 'x' });
          }
        }
      });
      await em.flush();
    }
    tokens[prefix] = (await h.account({ agency: `${prefix}-root`, roles: [Role.SUPERIOR_VIEWER] })).token;
  }

  beforeAll(async () => {
    setFixedToday('2026-11-20');
    h = await startHarness();
    await h.tree([tree('small', 1), tree('large', 9)]);
    await fill('small', ['small-root', 'small-b0']);
    await fill('large', ['large-root', ...Array.from({ length: 9 }, (_, b) => `large-b${b}`)]);
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  const statements = (query: string, prefix: string) => h.counted(query, {}, tokens[prefix]);

  it('complianceRollup: 2 agencies and 10 agencies take the same statements', async () => {
    const small = await statements(ROLLUP, 'small');
    const large = await statements(ROLLUP, 'large');
    expect(small.data.complianceRollup.rows).toHaveLength(2);
    expect(large.data.complianceRollup.rows).toHaveLength(10);
    expect(large.data.complianceRollup.rows[0].subtree.itemCount).toBe(30);
    expect(large.data.complianceRollup.rows[0].subtree.dueInPeriod).toBe(90);
    expect(large.sql).toBe(small.sql);
    // principal + scope, one roll-up statement, one batched agency load
    expect(large.sql).toBeLessThanOrEqual(4);
  });

  it('publicationCompliance over a subtree takes the same statements', async () => {
    const small = await statements(COMPLIANCE, 'small');
    const large = await statements(COMPLIANCE, 'large');
    expect(large.data.publicationCompliance.items).toHaveLength(30);
    expect(large.sql).toBe(small.sql);
    expect(large.sql).toBeLessThanOrEqual(5);
  });

  it('a page of publications with every nested field takes the same statements', async () => {
    const small = await statements(NESTED, 'small');
    const large = await statements(NESTED, 'large');
    expect(small.data.publications.totalCount).toBe(18);
    expect(large.data.publications.edges.length).toBe(90);
    expect(large.sql).toBe(small.sql);
    expect(large.sql).toBeLessThanOrEqual(16);
  });
});
