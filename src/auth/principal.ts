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
}

export function isReadOnly(roles: readonly Role[]): boolean {
  return roles.length === 0 || roles.every((r) => READ_ONLY_ROLES.includes(r));
}

/** Whether an ltree path lies inside (or is) the principal's subtree. */
export function pathWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root + '.');
}
