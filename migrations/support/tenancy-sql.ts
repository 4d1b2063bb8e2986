/**
 * The tenancy gate's policy SQL, in one place for every migration that creates or re-creates a
 * tenant table's policies. Migrations are frozen history: never change what a function or constant
 * here emits — add a new one for new behaviour.
 *
 * The scope (`app_scope_path()`) and the write flag (`app_can_write()`) are read through scalar
 * sub-selects, which PostgreSQL evaluates once per statement (an InitPlan) instead of once per row;
 * the set of agencies in scope is then one hashed sub-plan per table reference.
 */

/** The caller's subtree root, evaluated once per statement. */
export const SCOPE_V2 = `(select app_scope_path())`;

/** Whether the caller may write, evaluated once per statement. */
export const CAN_WRITE_V2 = `(select app_can_write())`;

/** Rows whose agency lies in the caller's subtree. */
export const IN_SCOPE_V2 = `agency_id in (select a.id from agency a where a.path <@ ${SCOPE_V2})`;

/**
 * Forced row-level security with the four policies of a tenant table: read where `read` holds
 * (default: in scope); insert, update and delete only where `canWrite` holds (default: a writer)
 * and only in scope. Drops policies of the same names first, so a migration can replace an older gate.
 */
export function tenantPoliciesV2(table: string, read: string = IN_SCOPE_V2, write: string = IN_SCOPE_V2, canWrite: string = CAN_WRITE_V2): string[] {
  return [
    `alter table "${table}" enable row level security;`,
    `alter table "${table}" force row level security;`,
    ...['read', 'insert', 'update', 'delete'].map((p) => `drop policy if exists ${table}_${p} on "${table}";`),
    `create policy ${table}_read on "${table}" for select using (${read});`,
    `create policy ${table}_insert on "${table}" for insert with check (${canWrite} and ${write});`,
    `create policy ${table}_update on "${table}" for update using (${canWrite} and ${write}) with check (${write});`,
    `create policy ${table}_delete on "${table}" for delete using (${canWrite} and ${write});`,
    `grant select, insert, update, delete on "${table}" to openness_app;`,
  ];
}


/**
 * Rows of an agency above the caller's scope root (an assessing agency's schemes and rounds apply
 * to the agencies it assesses), evaluated once per statement.
 */
export const OF_ANCESTOR = `agency_id = any((select app_scope_ancestor_ids())::uuid[])`;

/** Writes of a third-party evaluator's token that may record its own round's results (and nothing else). */
export const EVALUATOR_ROUND_WRITER = `((select app_can_write()) or round_id = (select app_evaluator_round()))`;

/**
 * A RESTRICTIVE read policy for the third-party evaluators' role alone (`openness_evaluator`, see
 * migration 20261122060000_EvaluatorView): rows of `table` they see must also satisfy `condition`
 * (`false`: none). Other roles' statements never evaluate it.
 */
export function evaluatorReadPolicy(table: string, condition: string): string[] {
  return [
    `drop policy if exists ${table}_evaluator on "${table}";`,
    `create policy ${table}_evaluator on "${table}" as restrictive for select to openness_evaluator using (${condition});`,
  ];
}
