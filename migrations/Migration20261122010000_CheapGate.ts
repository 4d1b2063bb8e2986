import { Migration } from '@mikro-orm/migrations';
import { CAN_WRITE_V2, IN_SCOPE_V2, SCOPE_V2, tenantPoliciesV2 } from './support/tenancy-sql';

/**
 * A cheaper tenancy gate with the same guarantees: every policy reads the scope and the write flag
 * through scalar sub-selects (evaluated once per statement, not once per row), so the per-row cost
 * of the gate is one hash probe. Who sees and may change what is exactly as before; the policies are
 * re-created from one helper (migrations/support/tenancy-sql.ts) instead of repeated blocks.
 */
export class Migration20261122010000_CheapGate extends Migration {
  override async up(): Promise<void> {
    // The tree itself: an agency is in scope when its own path lies under the scope.
    const agencyInScope = `path <@ ${SCOPE_V2}`;
    for (const s of tenantPoliciesV2('agency', agencyInScope, agencyInScope)) this.addSql(s);

    for (const t of ['unit', 'account', 'catalogue_item_unit', 'catalogue_omission']) {
      for (const s of tenantPoliciesV2(t)) this.addSql(s);
    }
    // Standard catalogues in force are readable below the agency that issued them (never drafts).
    const ancestor = `agency_id in (select app_ancestor_agency_ids())`;
    for (const s of tenantPoliciesV2('catalogue', `${IN_SCOPE_V2} or (kind = 'STANDARD' and status <> 'DRAFT' and ${ancestor})`)) {
      this.addSql(s);
    }
    for (const s of tenantPoliciesV2(
      'catalogue_item',
      `${IN_SCOPE_V2} or catalogue_id in (select c.id from catalogue c where c.kind = 'STANDARD' and c.status <> 'DRAFT' and c.${ancestor})`,
    )) {
      this.addSql(s);
    }
    for (const t of ['publication', 'confidentiality_review', 'publication_sign_off', 'publication_event', 'negative_list_entry']) {
      for (const s of tenantPoliciesV2(t)) this.addSql(s);
    }
    // The national calendar: read by every signed-in principal, written from a root scope only.
    const signedIn = `${SCOPE_V2} is not null`;
    const rootWriter = `coalesce(nlevel(${SCOPE_V2}) = 1, false)`;
    for (const t of ['calendar_entry', 'calendar_year', 'calendar_change']) {
      for (const s of tenantPoliciesV2(t, signedIn, rootWriter)) this.addSql(s);
      this.addSql(`alter policy ${t}_update on "${t}" with check (${CAN_WRITE_V2} and ${rootWriter});`);
    }
    // Maintained figures: read in scope, never written by the app role (see the figures migration).
    for (const t of ['figure_publication_agency', 'figure_publication_item', 'figure_item']) {
      this.addSql(`alter policy ${t}_read on "${t}" using (${IN_SCOPE_V2});`);
    }
  }

  override async down(): Promise<void> {
    // The previous policies differ only in evaluating the scope per row; re-running the earlier
    // migrations' policy blocks is what a down migration would do, and nothing depends on it.
    throw new Error('Migration20261122010000_CheapGate cannot be reverted; restore from a backup instead');
  }
}
