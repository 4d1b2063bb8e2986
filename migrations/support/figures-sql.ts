/**
 * SQL shared by migrations that create maintained-figure tables (src/figures/). Migrations are
 * frozen history: never change what a function here emits — add a new function for new behaviour.
 */

/**
 * Row-level security of a maintained-figure table: readable in the caller's scope like any tenant
 * row (`readScope`, the same expression the tenant tables use), never written by the app role.
 * Only the SECURITY DEFINER trigger functions that maintain the figures (owned by the migrating
 * role) and the rebuild (system connection) write them; the table is deliberately not FORCEd, so
 * those owner-run writers are not filtered by the request's scope.
 */
export function figureTableSecurity(table: string, readScope: string): string[] {
  return [
    `alter table "${table}" enable row level security;`,
    `create policy ${table}_read on "${table}" for select using (${readScope});`,
    `revoke all on "${table}" from public;`,
    `grant select on "${table}" to openness_app;`,
  ];
}

/** The owner-only grants of a reference view (recomputation from raw rows; system use only). */
export function referenceViewSecurity(view: string): string[] {
  return [`revoke all on "${view}" from public;`];
}

/**
 * Statement-level AFTER triggers on `table` that hand the changed rows (transition tables) to
 * `fn`, one per operation: bulk statements (imports, calendar recomputations) cost one figure
 * update per statement, not per row. Their names start with `figures_`, which the benchmark relies
 * on to switch them off when it measures what maintaining figures costs.
 */
export function statementTriggers(table: string, fn: string): string[] {
  return [
    `create trigger figures_${table}_insert after insert on "${table}" referencing new table as new_rows for each statement execute function ${fn}();`,
    `create trigger figures_${table}_update after update on "${table}" referencing old table as old_rows new table as new_rows for each statement execute function ${fn}();`,
    `create trigger figures_${table}_delete after delete on "${table}" referencing old table as old_rows for each statement execute function ${fn}();`,
  ];
}

/**
 * The start of a statement-trigger function that keeps additive figures (declarations and the
 * first statements of its body): `delta`, a jsonb array holding `row('o', '-1')` for every old row
 * of the firing statement and `row('n', '1')` for every new one, so an update counts its row's old
 * version out and its new version in. The caller sums `delta` into its figure tables with upserts.
 */
export function transitionDelta(row: (alias: string, sign: string) => string): string {
  return `declare
        delta jsonb := '[]';
      begin
        -- Nested: an INSERT has no old_rows and a DELETE no new_rows to name.
        if tg_op in ('UPDATE', 'DELETE') then
          delta := delta || coalesce((select jsonb_agg(${row('o', '-1')}) from old_rows o), '[]');
        end if;
        if tg_op in ('UPDATE', 'INSERT') then
          delta := delta || coalesce((select jsonb_agg(${row('n', '1')}) from new_rows n), '[]');
        end if;`;
}
