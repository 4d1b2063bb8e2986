import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SheetProblem } from '../../spreadsheets/sheet-reader';
import { Unit, UnitKind } from './unit.entity';

/**
 * Units a spreadsheet names but the agency lacks, created on request during an import (catalogues,
 * plans): every importer reports them the same way and creates them the same way.
 */

/** A unit kind guessed from the name's suffix. */
export function kindFromName(name: string): UnitKind {
  if (name.endsWith('派出所')) return UnitKind.POLICE_STATION;
  if (name.endsWith('大队')) return UnitKind.BRIGADE;
  if (name.endsWith('支队')) return UnitKind.DETACHMENT;
  if (name.endsWith('中心')) return UnitKind.CENTER;
  if (name.endsWith('科')) return UnitKind.SECTION;
  if (/[室办]$/.test(name)) return UnitKind.OFFICE;
  return UnitKind.OTHER;
}

/**
 * With `create`, UNKNOWN_UNIT errors become UNIT_CREATED warnings and their names are collected;
 * without it the problems stay as they are.
 */
export function unitsToCreate(problems: readonly SheetProblem[], create: boolean): { problems: SheetProblem[]; names: Set<string> } {
  const names = new Set<string>();
  const out = problems.map((p) => {
    if (!create || p.code !== 'UNKNOWN_UNIT' || !p.value) return p;
    names.add(p.value);
    return { ...p, severity: 'WARNING' as const, code: 'UNIT_CREATED', message: `将新建单位“${p.value}” (unit will be created)` };
  });
  return { problems: out, names };
}

/** Creates the units (a stable code from the name), by name. */
export function createImportedUnits(em: EntityManager, agencyId: string, names: Iterable<string>): Map<string, Unit> {
  const created = new Map<string, Unit>();
  for (const name of names) {
    const code = `imp-${createHash('sha1').update(name).digest('hex').slice(0, 10)}`;
    created.set(name, em.create(Unit, { agency: agencyId, code, name, kind: kindFromName(name), aliases: [] }));
  }
  return created;
}
