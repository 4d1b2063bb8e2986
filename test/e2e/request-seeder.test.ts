import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { signAccessToken } from '../../src/auth/jwt';
import { compareFiguresWithReference } from '../../src/figures/figure-check';
import { Account } from '../../src/modules/account/account.entity';
import { seedAssessmentDemo } from '../../seeds/assessment-seeder';
import { seedCatalogueDemo } from '../../seeds/catalogue-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { seedPlanDemo } from '../../seeds/plan-seeder';
import { seedPublicationDemo } from '../../seeds/publication-seeder';
import { seedRequestDemo, YANZHOU_2024_REQUESTS } from '../../seeds/request-seeder';
import { startHarness, type Harness } from '../support/harness';

const REQUESTS = `query($f: InfoRequestFilter) { infoRequests(first: 50, filter: $f) { totalCount edges { node {
  number year topic receivedOn dueOn repliedOn outcome state extensionDays correctionNoticeOn correctedOn
  unit { name } consultations { kind party startedOn endedOn } appeals { kind result filedOn decidedOn } } } } }`;
const FIGURES = 'received answered answeredOnTime answeredLate open overdue clockStopped extended repliedInYear byOutcome { outcome count }';
const ROLLUP = `query($f: RequestRollupFilter!) { requestRollup(filter: $f) { rows { agency { code } own { ${FIGURES} } subtree { ${FIGURES} } } } }`;

describe('demo information requests (兖州分局 2024)', () => {
  let h: Harness;
  let numbers: string[];
  const token = async (username: string) => {
    const a = await h.em().findOneOrFail(Account, { username });
    return signAccessToken(h.tokens, { accountId: a.id, agencyId: a.agency.id }).token;
  };
  const ok = async (query: string, variables: Record<string, unknown>, username: string) => {
    const res = await h.gql(query, variables, await token(username));
    expect(res.errors).toBeUndefined();
    return res.data!;
  };

  beforeAll(async () => {
    h = await startHarness();
    const log = rootLogger.child({ test: 'request-seeder' });
    log.level = 'silent';
    // The demo seeders in the order start-up runs them; the requests come last.
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    await seedCatalogueDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log);
    await seedPlanDemo(h.orm, log);
    await seedAssessmentDemo(h.orm, log);
    numbers = (await seedRequestDemo(h.orm, log))!.numbers;
    expect(await seedRequestDemo(h.orm, log)).toBeNull(); // a second run changes nothing
  }, 240_000);
  afterAll(() => h.close());

  it('registers every request with its own number, numbered in order of receipt', () => {
    expect(numbers).toEqual(YANZHOU_2024_REQUESTS.map((_, i) => `YSQ-2024-${String(i + 1).padStart(4, '0')}`));
  });

  it('covers the outcomes, a correction, a consultation, an extension, an overdue request, a reconsideration and a reply in 2025', async () => {
    const data = await ok(REQUESTS, { f: { year: 2024 } }, 'yanzhou.admin');
    expect(data.infoRequests.totalCount).toBe(10);
    const byNumber = Object.fromEntries(data.infoRequests.edges.map((e: any) => [e.node.number, e.node]));
    const n = (i: number) => byNumber[numbers[i]!];

    expect(Object.values(byNumber).map((r: any) => r.outcome).sort()).toEqual(
      // 予以公开 four times (one of them answered in 2025), and every other kind of Table 3 once; one still open.
      ['DISCLOSED', 'DISCLOSED', 'DISCLOSED', 'DISCLOSED', 'PARTIALLY_DISCLOSED', 'WITHHELD_ENFORCEMENT_FILE', 'UNAVAILABLE_NEEDS_CREATION',
        'NOT_PROCESSED_PETITION', 'OTHER_NOT_CORRECTED', null].sort() as any,
    );
    // Everything answered was answered in time; one request is still open past its due date.
    const states = Object.values(byNumber).map((r: any) => r.state);
    expect(states.filter((s) => s === 'ANSWERED')).toHaveLength(9);
    expect(states.filter((s) => s === 'OVERDUE')).toHaveLength(1);
    for (const r of Object.values(byNumber) as any[]) if (r.repliedOn && r.dueOn) expect(r.repliedOn <= r.dueOn).toBe(true);

    // 不予公开 with its reason, then a reconsideration that upheld the reply.
    expect(n(2)).toMatchObject({ outcome: 'WITHHELD_ENFORCEMENT_FILE', receivedOn: '2024-04-10', unit: { name: '法制大队' } });
    expect(n(2).appeals).toEqual([{ kind: 'RECONSIDERATION', result: 'UPHELD', filedOn: '2024-05-20', decidedOn: '2024-07-15' }]);
    // A third party consulted: its time is not counted, the reply partly discloses.
    expect(n(3).consultations).toEqual([{ kind: 'THIRD_PARTY', party: '兖州某清障救援有限公司', startedOn: '2024-05-20', endedOn: '2024-06-04' }]);
    expect(n(3).outcome).toBe('PARTIALLY_DISCLOSED');
    // Corrected: the clock restarted from the corrected request.
    expect(n(4)).toMatchObject({ correctionNoticeOn: '2024-06-19', correctedOn: '2024-06-24', outcome: 'UNAVAILABLE_NEEDS_CREATION' });
    // Extended by 15 working days, answered within the extended period.
    expect(n(5)).toMatchObject({ extensionDays: 15, outcome: 'DISCLOSED', repliedOn: '2024-09-20' });
    expect(n(5).dueOn > '2024-09-20').toBe(true);
    // Never corrected: closed as 其他处理.
    expect(n(7)).toMatchObject({ correctionNoticeOn: '2024-10-16', correctedOn: null, outcome: 'OTHER_NOT_CORRECTED' });
    // Overdue: unanswered, due in December 2024.
    expect(n(8)).toMatchObject({ state: 'OVERDUE', repliedOn: null, outcome: null, unit: { name: '交警大队' } });
    expect(n(8).dueOn.startsWith('2024-12')).toBe(true);
    // Received in the last days of 2024, answered in January 2025.
    expect(n(9)).toMatchObject({ year: 2024, receivedOn: '2024-12-26', repliedOn: '2025-01-08', outcome: 'DISCLOSED' });
  });

  it('the maintained figures equal their recomputation, and the roll-up counts them (兖州 and 济宁’s subtree)', async () => {
    expect(await compareFiguresWithReference(h.em())).toEqual([]);
    const y2024 = await ok(ROLLUP, { f: { year: 2024 } }, 'jining.viewer');
    const rows = Object.fromEntries(y2024.requestRollup.rows.map((r: any) => [r.agency.code, r]));
    const yanzhou = {
      received: 10, answered: 9, answeredOnTime: 9, answeredLate: 0, open: 1, overdue: 1, clockStopped: 0, extended: 1, repliedInYear: 8,
      byOutcome: [
        { outcome: 'DISCLOSED', count: 3 },
        { outcome: 'PARTIALLY_DISCLOSED', count: 1 },
        { outcome: 'WITHHELD_ENFORCEMENT_FILE', count: 1 },
        { outcome: 'UNAVAILABLE_NEEDS_CREATION', count: 1 },
        { outcome: 'NOT_PROCESSED_PETITION', count: 1 },
        { outcome: 'OTHER_NOT_CORRECTED', count: 1 },
      ],
    };
    expect(rows['sd-jining-yanzhou'].own).toEqual(yanzhou);
    expect(rows['sd-jining'].subtree).toEqual(yanzhou);
    const y2025 = await ok(ROLLUP, { f: { year: 2025 } }, 'yanzhou.admin');
    expect(y2025.requestRollup.rows[0].own).toMatchObject({ received: 0, repliedInYear: 1, byOutcome: [{ outcome: 'DISCLOSED', count: 1 }] });
  });
});
