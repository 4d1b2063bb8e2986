import { Migration } from '@mikro-orm/migrations';
import { evaluatorReadPolicy, IN_SCOPE_V2 } from './support/tenancy-sql';

/**
 * Third-party evaluators see what evaluators need — published material, catalogues and plans in
 * force (or archived), figures — and not internal work: drafts and unpublished publications, review
 * comments, sign-offs and workflow history, the negative list, adoption notes, the openness office's
 * decisions on tasks (return reasons), and accounts. Enforced in the read policies, so every read
 * path (lists, ids, nested fields, exports) obeys it; `app.evaluator` is set by the tenancy gate
 * (src/db/tenant-gate.ts) for principals whose only roles are EVALUATOR. Everyone else reads as
 * before: the added condition is `not (select app_is_evaluator()) or …`, decided once per statement.
 */
export class Migration20261122060000_EvaluatorView extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function app_is_evaluator() returns boolean language sql stable
      as $$ select coalesce(current_setting('app.evaluator', true), '') = 'on' $$;`);

    this.addSql(evaluatorReadPolicy('publication', IN_SCOPE_V2, `status = 'PUBLISHED'`));
    for (const t of ['confidentiality_review', 'publication_sign_off', 'publication_event', 'negative_list_entry', 'catalogue_omission', 'task_review', 'account']) {
      this.addSql(evaluatorReadPolicy(t, IN_SCOPE_V2, 'false'));
    }
    // Catalogues: the read policies of 20261122010000_CheapGate, narrowed to catalogues not in draft.
    const ancestor = `agency_id in (select app_ancestor_agency_ids())`;
    this.addSql(evaluatorReadPolicy('catalogue', `${IN_SCOPE_V2} or (kind = 'STANDARD' and status <> 'DRAFT' and ${ancestor})`, `status <> 'DRAFT'`));
    this.addSql(
      evaluatorReadPolicy(
        'catalogue_item',
        `${IN_SCOPE_V2} or catalogue_id in (select c.id from catalogue c where c.kind = 'STANDARD' and c.status <> 'DRAFT' and c.${ancestor})`,
        `catalogue_id in (select c.id from catalogue c where c.status <> 'DRAFT')`,
      ),
    );
    // Plans in force or archived, with their headings and tasks; progress stays visible (it is what
    // completion is judged by), the office's decisions do not (above).
    this.addSql(evaluatorReadPolicy('work_plan', IN_SCOPE_V2, `status <> 'DRAFT'`));
    for (const t of ['plan_heading', 'plan_task']) {
      this.addSql(evaluatorReadPolicy(t, IN_SCOPE_V2, `plan_id in (select w.id from work_plan w where w.status <> 'DRAFT')`));
    }
  }

  override async down(): Promise<void> {
    throw new Error('Migration20261122060000_EvaluatorView cannot be reverted; restore from a backup instead');
  }
}
