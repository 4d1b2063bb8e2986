import { nextStatus, publishBlockers, TRANSITIONS, type PublishState } from '../../../src/modules/publication/publication-workflow';
import { onTimeRate } from '../../../src/modules/publication/compliance.service';

const ready: PublishState = {
  status: 'APPROVED',
  disclosureAttribute: 'PROACTIVE',
  containsPersonalInfo: false,
  deidentified: false,
  reviewPassed: true,
  unitHeadApproved: true,
  leaderApproved: true,
  negativeListMatter: null,
};

describe('publication workflow', () => {
  it('follows 起草 → 保密审查 → 单位负责人 → 局领导 → 发布, and returns failures to the draft', () => {
    let s = nextStatus('DRAFT', 'SUBMIT');
    expect(s).toBe('PENDING_CONFIDENTIALITY_REVIEW');
    s = nextStatus(s!, 'REVIEW_PASSED');
    expect(s).toBe('PENDING_UNIT_HEAD');
    s = nextStatus(s!, 'UNIT_HEAD_APPROVED');
    expect(s).toBe('PENDING_LEADER');
    s = nextStatus(s!, 'LEADER_APPROVED');
    expect(s).toBe('APPROVED');
    expect(nextStatus(s!, 'PUBLISH')).toBe('PUBLISHED');
    for (const a of ['REVIEW_FAILED', 'UNIT_HEAD_REJECTED', 'LEADER_REJECTED'] as const) expect(TRANSITIONS[a].to).toBe('DRAFT');
  });

  it('refuses steps out of order', () => {
    expect(nextStatus('DRAFT', 'PUBLISH')).toBeNull();
    expect(nextStatus('PENDING_UNIT_HEAD', 'LEADER_APPROVED')).toBeNull();
    expect(nextStatus('PENDING_CONFIDENTIALITY_REVIEW', 'UNIT_HEAD_APPROVED')).toBeNull();
    expect(nextStatus('PUBLISHED', 'PUBLISH')).toBeNull();
    expect(nextStatus('APPROVED', 'SUBMIT')).toBeNull();
  });

  it('lists what blocks publishing, most fundamental first', () => {
    expect(publishBlockers(ready)).toEqual([]);
    expect(publishBlockers({ ...ready, status: 'PUBLISHED' }).map((b) => b.reason)).toEqual(['ALREADY_PUBLISHED']);
    expect(
      publishBlockers({ ...ready, status: 'PENDING_CONFIDENTIALITY_REVIEW', reviewPassed: false, unitHeadApproved: false, leaderApproved: false }).map(
        (b) => b.reason,
      ),
    ).toEqual(['REVIEW_MISSING', 'UNIT_HEAD_SIGN_OFF_MISSING', 'LEADER_SIGN_OFF_MISSING']);
    expect(publishBlockers({ ...ready, disclosureAttribute: 'NOT_DISCLOSED' })[0]!.reason).toBe('NOT_DISCLOSED');
    expect(publishBlockers({ ...ready, negativeListMatter: '涉密事项' })[0]!.message).toContain('涉密事项');
    expect(publishBlockers({ ...ready, containsPersonalInfo: true }).map((b) => b.reason)).toEqual(['DEIDENTIFICATION_UNCONFIRMED']);
    expect(publishBlockers({ ...ready, containsPersonalInfo: true, deidentified: true })).toEqual([]);
  });

  it('on-time rate comes from summed counts and is null when nothing was judged', () => {
    expect(onTimeRate(0, 0, 0)).toBeNull();
    expect(onTimeRate(2, 1, 1)).toBe(0.5);
    // Two items at 1/1 and 0/3 give 1/4 overall, not the mean of 100 % and 0 %.
    expect(onTimeRate(1 + 0, 0 + 2, 0 + 1)).toBe(0.25);
  });
});
