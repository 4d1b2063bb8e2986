import type { RequestContext } from '../graphql/context';
import { forbidden, unauthenticated } from '../graphql/errors';
import { Role } from '../modules/account/account.entity';
import { pathWithin, type Principal } from './principal';

/**
 * Write permissions by role. Reads need no check here: the database's row-level security already
 * confines every read to the principal's subtree (see src/db/tenant-gate.ts). Writes are checked
 * here AND refused by the database for read-only principals or rows outside the subtree.
 */
export function requirePrincipal(ctx: RequestContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}

export function hasRole(p: Principal, role: Role): boolean {
  return p.roles.includes(role);
}

/** The openness office of an agency at or above the target administers it. */
export function assertAdminOf(ctx: RequestContext, target: { path: string }, action: string): Principal {
  const p = requirePrincipal(ctx);
  if (!hasRole(p, Role.AGENCY_ADMIN) || !pathWithin(target.path, p.agencyPath)) {
    throw forbidden(`需要本机关或上级机关的管理员权限 (${action} requires an agency administrator of this agency or above)`);
  }
  return p;
}

/** A unit's data may be written by an administrator above it or by the unit's own liaison. */
export function assertCanEditUnit(
  ctx: RequestContext,
  unit: { id: string; agencyPath: string },
  action: string,
): Principal {
  const p = requirePrincipal(ctx);
  if (hasRole(p, Role.AGENCY_ADMIN) && pathWithin(unit.agencyPath, p.agencyPath)) return p;
  if (hasRole(p, Role.UNIT_LIAISON) && p.unitId === unit.id) return p;
  throw forbidden(`只有本单位联络员或管理员可以操作 (${action} is limited to the unit's liaison or an administrator)`);
}
