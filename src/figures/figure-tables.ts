/**
 * The one list of maintained-figure tables. Each is kept up to date by database triggers in the
 * same transaction as the change it reflects, and has a `<table>_reference` view that recomputes it
 * from the raw rows (see migrations/Migration20261122000000_Figures.ts). The rebuild command and the
 * invariant test work from this list, so a new module's figures (tasks, requests, assessment) join
 * them by adding their tables here and in a migration — nothing else.
 */
export interface FigureTable {
  /** Table name; its reference view is `${table}_reference`. */
  table: string;
  /** Columns that identify a row (the primary key). */
  key: readonly string[];
  /** The raw tables it is derived from: a rebuild holds their writers off while it runs. */
  sources: readonly string[];
}

export const FIGURE_TABLES: readonly FigureTable[] = [
  { table: 'figure_publication_agency', key: ['agency_id', 'grain', 'bucket'], sources: ['publication'] },
  { table: 'figure_publication_item', key: ['item_id', 'grain', 'bucket'], sources: ['publication'] },
  { table: 'figure_item', key: ['item_id'], sources: ['publication', 'catalogue_item', 'catalogue'] },
  { table: 'figure_task', key: ['task_id'], sources: ['plan_task', 'task_progress', 'work_plan'] },
  { table: 'figure_task_period', key: ['task_id', 'period_end'], sources: ['plan_task', 'task_progress', 'work_plan'] },
  { table: 'figure_task_agency', key: ['agency_id', 'plan_year', 'day'], sources: ['plan_task', 'task_progress', 'work_plan'] },
  { table: 'figure_task_agency_year', key: ['agency_id', 'plan_year'], sources: ['plan_task', 'task_progress', 'work_plan'] },
  { table: 'figure_explanation_agency', key: ['agency_id', 'year', 'due_on'], sources: ['deduction_point'] },
  { table: 'figure_request_agency', key: ['agency_id', 'year', 'due_on'], sources: ['info_request'] },
  { table: 'figure_request_outcome', key: ['agency_id', 'reply_year', 'outcome'], sources: ['info_request'] },
];
