/**
 * The publication workflow of 002 §21 and Attachment 2 (pure: no I/O). A draft is submitted, gets its
 * own confidentiality review (先审查后公开, 一事一审), then the unit head's and the bureau leader's
 * sign-offs (三级审核), and only then goes online. A failed review or a rejection returns it to the
 * drafter; the next submission starts a new round that needs a new review and new sign-offs.
 */
export type WorkflowStatus =
  | 'DRAFT'
  | 'PENDING_CONFIDENTIALITY_REVIEW'
  | 'PENDING_UNIT_HEAD'
  | 'PENDING_LEADER'
  | 'APPROVED'
  | 'PUBLISHED';

export type WorkflowAction =
  | 'SUBMIT'
  | 'REVIEW_PASSED'
  | 'REVIEW_FAILED'
  | 'UNIT_HEAD_APPROVED'
  | 'UNIT_HEAD_REJECTED'
  | 'LEADER_APPROVED'
  | 'LEADER_REJECTED'
  | 'PUBLISH';

export const TRANSITIONS: Readonly<Record<WorkflowAction, { from: WorkflowStatus; to: WorkflowStatus }>> = {
  SUBMIT: { from: 'DRAFT', to: 'PENDING_CONFIDENTIALITY_REVIEW' },
  REVIEW_PASSED: { from: 'PENDING_CONFIDENTIALITY_REVIEW', to: 'PENDING_UNIT_HEAD' },
  REVIEW_FAILED: { from: 'PENDING_CONFIDENTIALITY_REVIEW', to: 'DRAFT' },
  UNIT_HEAD_APPROVED: { from: 'PENDING_UNIT_HEAD', to: 'PENDING_LEADER' },
  UNIT_HEAD_REJECTED: { from: 'PENDING_UNIT_HEAD', to: 'DRAFT' },
  LEADER_APPROVED: { from: 'PENDING_LEADER', to: 'APPROVED' },
  LEADER_REJECTED: { from: 'PENDING_LEADER', to: 'DRAFT' },
  PUBLISH: { from: 'APPROVED', to: 'PUBLISHED' },
};

export const STATUS_LABEL: Readonly<Record<WorkflowStatus, string>> & Readonly<Record<string, string>> = {
  DRAFT: '起草中',
  PENDING_CONFIDENTIALITY_REVIEW: '待保密审查',
  PENDING_UNIT_HEAD: '待单位负责人审核',
  PENDING_LEADER: '待局领导审核',
  APPROVED: '已审批待发布',
  PUBLISHED: '已发布',
};

/** The state after `action`, or null when the action is not possible in `status`. */
export function nextStatus(status: WorkflowStatus, action: WorkflowAction): WorkflowStatus | null {
  const t = TRANSITIONS[action];
  return t.from === status ? t.to : null;
}

export type PublishBlockerReason =
  | 'ALREADY_PUBLISHED'
  | 'NOT_DISCLOSED'
  | 'NEGATIVE_LIST'
  | 'REVIEW_MISSING'
  | 'UNIT_HEAD_SIGN_OFF_MISSING'
  | 'LEADER_SIGN_OFF_MISSING'
  | 'DEIDENTIFICATION_UNCONFIRMED';

export interface PublishState {
  status: WorkflowStatus;
  disclosureAttribute: 'PROACTIVE' | 'ON_APPLICATION' | 'NOT_DISCLOSED';
  containsPersonalInfo: boolean;
  deidentified: boolean;
  /** A PASSED confidentiality review of the current round exists. */
  reviewPassed: boolean;
  unitHeadApproved: boolean;
  leaderApproved: boolean;
  /** The negative-list matter the item falls under, if any. */
  negativeListMatter: string | null;
}

export interface PublishBlocker {
  reason: PublishBlockerReason;
  message: string;
}

/** Everything that stops a publication from going online, most fundamental first (empty: may publish). */
export function publishBlockers(s: PublishState): PublishBlocker[] {
  const out: PublishBlocker[] = [];
  if (s.status === 'PUBLISHED') {
    return [{ reason: 'ALREADY_PUBLISHED', message: '该信息已发布，不能重复发布 (already published)' }];
  }
  if (s.disclosureAttribute === 'NOT_DISCLOSED') {
    out.push({ reason: 'NOT_DISCLOSED', message: '公开属性为不予公开，不能发布 (marked not to be disclosed: it can never be published)' });
  }
  if (s.negativeListMatter) {
    out.push({
      reason: 'NEGATIVE_LIST',
      message: `该事项列入本机关负面清单（${s.negativeListMatter}），不能发布 (the item is on the agency’s negative list)`,
    });
  }
  if (!s.reviewPassed) {
    out.push({ reason: 'REVIEW_MISSING', message: '尚未通过保密审查，先审查后公开 (no passed confidentiality review for this submission)' });
  }
  if (!s.unitHeadApproved) {
    out.push({ reason: 'UNIT_HEAD_SIGN_OFF_MISSING', message: '承办单位负责人尚未审核同意 (the unit head has not signed off)' });
  }
  if (!s.leaderApproved) {
    out.push({ reason: 'LEADER_SIGN_OFF_MISSING', message: '局分管领导尚未审核同意 (the bureau leader has not signed off)' });
  }
  if (s.containsPersonalInfo && !s.deidentified) {
    out.push({
      reason: 'DEIDENTIFICATION_UNCONFIRMED',
      message: '含个人信息，撰稿人尚未确认已去标识化处理 (personal information: the drafter has not confirmed de-identification)',
    });
  }
  return out;
}
