import { READ_ONLY_ROLES, Role } from '../modules/account/account.entity';

/** Who is calling, resolved afresh from the database on every request (not trusted from the token). */
export interface Principal {
  accountId: string;
  username: string;
  agencyId: string;
  /** ltree path of the principal's agency: the root of everything it may read. */
  agencyPath: string;
  roles: Role[];
  unitId: string | null;
  /** True when no role of the account may write; the database then refuses every write. */
  readOnly: boolean;
  /**
   * The account maintains the national calendar (granted by `npm run calendar:operator`, never through
   * the API; read with the account by `app_principal`). Absent means no. Tenancy is unchanged by it.
   */
  calendarOperator?: boolean;
  /**
   * Set when the caller is a third-party evaluator's token (`Bearer oet_…`, src/modules/evaluator/),
   * not an account: `agencyPath` is then the token's scope, `roles` [EVALUATOR], `readOnly` true,
   * and `accountId` is EVALUATOR_TOKEN_ACCOUNT_ID, which no account has.
   */
  evaluatorToken?: {
    id: string;
    roundId: string;
    permission: 'READ' | 'RECORD';
    label: string;
    issuingAgencyId: string;
    /** The token's scope root (also `agencyId`) and window, for `evaluatorSession`. */
    scopeAgencyId?: string;
    validFrom?: Date;
    validUntil?: Date;
  };
}

/**
 * The `accountId` of an evaluator token's principal: the nil UUID, which no account can have (account
 * ids are random version-4 UUIDs), so a look-up of "the calling account" finds nothing instead of
 * failing on a malformed id.
 */
export const EVALUATOR_TOKEN_ACCOUNT_ID = '00000000-0000-0000-0000-000000000000';

export function isReadOnly(roles: readonly Role[]): boolean {
  return roles.length === 0 || roles.every((r) => READ_ONLY_ROLES.includes(r));
}

/** Whether an ltree path lies inside (or is) the principal's subtree. */
export function pathWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root + '.');
}
