import { Migration } from '@mikro-orm/migrations';

/**
 * Third-party evaluators see what evaluators need — published material, catalogues and plans in
 * force (or archived), figures — and not internal work: drafts and unpublished publications, review
 * comments, sign-offs and workflow history, the negative list, adoption notes, the openness office's
 * decisions on tasks (return reasons), and accounts.
 *
 * Evaluator requests run as their own role, `openness_evaluator` (it inherits `openness_app`'s grants
 * and so every tenancy policy): the tenancy gate (src/db/tenant-gate.ts) switches to it for a
 * principal whose only role is EVALUATOR. RESTRICTIVE read policies for that role alone narrow what
 * it sees, so every read path (lists, ids, nested fields, exports) obeys them, and requests of every
 * other principal do not evaluate them at all.
 */
export class Migration20261122060000_EvaluatorView extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'openness_evaluator') then
        create role openness_evaluator nologin nosuperuser nobypassrls inherit;
      end if;
      if not (select rolsuper from pg_roles where rolname = current_user) then
        execute format('grant openness_evaluator to %I', current_user);
      end if;
    end $$;`);
    this.addSql(`grant openness_app to openness_evaluator;`);

    const only = (table: string, condition: string) => [
      `drop policy if exists ${table}_evaluator on "${table}";`,
      `create policy ${table}_evaluator on "${table}" as restrictive for select to openness_evaluator using (${condition});`,
    ];
    const statements = [
      ...only('publication', `status = 'PUBLISHED'`),
      ...['confidentiality_review', 'publication_sign_off', 'publication_event', 'negative_list_entry', 'catalogue_omission', 'task_review', 'account'].flatMap(
        (t) => only(t, 'false'),
      ),
      ...only('catalogue', `status <> 'DRAFT'`),
      ...only('catalogue_item', `catalogue_id in (select c.id from catalogue c where c.status <> 'DRAFT')`),
      // Plans in force or archived, with their headings and tasks; progress stays visible (it is what
      // completion is judged by), the office's decisions do not (above).
      ...only('work_plan', `status <> 'DRAFT'`),
      ...['plan_heading', 'plan_task'].flatMap((t) => only(t, `plan_id in (select w.id from work_plan w where w.status <> 'DRAFT')`)),
    ];
    for (const s of statements) this.addSql(s);
  }

  override async down(): Promise<void> {
    throw new Error('Migration20261122060000_EvaluatorView cannot be reverted; restore from a backup instead');
  }
}
