import { Migration } from '@mikro-orm/migrations';

/**
 * Every compliance read (the roll-ups, the assessment roll-up, per-item compliance) takes an
 * agency's items of the period's catalogue years from `figure_item`, one agency after another. With
 * the index on `agency_id` alone that was a bitmap scan per agency over all of its years: measured on
 * the province data set (177 agencies, 13,275 items), 17 ms of the province roll-up statement's 41 ms
 * under the gate. An index on (agency, year) answers each agency with one short index scan: the
 * statement took 24 ms. The index deliberately carries no other column: a publication updates its
 * item's row (first and last dates) on every write, and an update that touches no indexed column
 * stays a HOT update — a covering index that included `last_published_on` was no faster once pages
 * had been written, and slowed concurrent publishing. It replaces the old index, whose lookups it
 * serves too.
 */
export class Migration20261122140000_FigureItemIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "figure_item_agency_year_idx" on "figure_item" ("agency_id", "catalogue_year");`);
    this.addSql(`drop index if exists "figure_item_agency_idx";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "figure_item_agency_idx" on "figure_item" ("agency_id");`);
    this.addSql(`drop index if exists "figure_item_agency_year_idx";`);
  }
}
