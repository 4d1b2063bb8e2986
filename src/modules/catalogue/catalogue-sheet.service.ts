import { selectLean } from '../../db/row-mapper';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { withSheetSlot } from '../../spreadsheets/sheet-slots';
import { readSheetInWorker, writeSheetInWorker } from '../../spreadsheets/sheet-worker';
import { decodeSheetUpload, SHEET_CONTENT_TYPES, toImportProblem } from '../../spreadsheets/upload';
import { createImportedUnits, unitsToCreate } from '../agency/imported-units';
import { Unit } from '../agency/unit.entity';
import { Catalogue } from './catalogue.entity';
import { CatalogueItem, CatalogueItemUnit } from './catalogue-item.entity';
import { changedFields, IMPORTED_FIELDS, importedValues, type ItemField, type ItemValues } from './catalogue-import-diff';
import { draftToSheetRow, rowsToDrafts } from './catalogue-rows';
import { readCatalogueSheet, writeCatalogueSheet } from './catalogue-sheet';
import type { ImportCatalogueInput, ImportReport } from './catalogue.inputs';
import { ImportItemChange, ImportMode, SheetFormatEnum } from './catalogue.inputs';
import { catalogueService } from './catalogue.service';

const CONTENT_TYPES: Record<SheetFormatEnum, string> = SHEET_CONTENT_TYPES;

export class CatalogueSheetService {
  /**
   * All or nothing: the sheet is read and checked completely first; only a sheet without ERRORs is
   * written, in one transaction. Matching items (same category and name) keep their ids, so
   * publications attached to them survive a re-import.
   */
  async import(ctx: RequestContext, input: ImportCatalogueInput): Promise<{ catalogue: Catalogue; report: ImportReport }> {
    const catalogue = await catalogueService.get(ctx, input.catalogueId, 'input.catalogueId');
    const agency = await catalogueService.assertEditable(ctx, catalogue, '导入目录 (importCatalogue)');
    const buffer = decodeSheetUpload(input.fileBase64);
    const sheet = await withSheetSlot(() => readCatalogueSheet(buffer, input.format, readSheetInWorker));
    // Read-only here (names and aliases to match against): lean rows.
    const units = await selectLean(ctx.em, Unit, 'where t.agency_id = ?', [agency.id]);
    const known = units.map((u) => ({ id: u.id, name: u.name, aliases: u.aliases }));
    const { drafts, problems } = rowsToDrafts(sheet.rows, known);
    const { problems: all, names: missingUnits } = unitsToCreate([...sheet.problems, ...problems], input.createMissingUnits);
    const report: ImportReport = {
      ok: false,
      rowsRead: sheet.rows.length,
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsUnchanged: 0,
      itemsRemoved: 0,
      unitsCreated: [],
      problems: all.map(toImportProblem),
      items: [],
    };
    if (all.some((p) => p.severity === 'ERROR') || sheet.rows.length === 0) {
      if (sheet.rows.length === 0 && !all.some((p) => p.severity === 'ERROR')) {
        report.problems.push({ row: null, column: null, field: null, severity: 'ERROR', code: 'NO_ROWS', message: '表格中没有目录事项 (no item rows found)', value: null });
      }
      return { catalogue, report };
    }

    return inTransaction(ctx, async (em) => {
      const createdUnits = createImportedUnits(em, agency.id, missingUnits);
      const existing = await em.find(CatalogueItem, { catalogue: catalogue.id });
      const links = existing.length ? await em.find(CatalogueItemUnit, { item: { catalogue: catalogue.id } }) : [];
      const unitsOf = new Map<string, string[]>();
      for (const l of links) unitsOf.set(l.item.id, [...(unitsOf.get(l.item.id) ?? []), l.unit.id]);
      const key = (category: string, name: string) => `${category}\u0000${name}`;
      const byKey = new Map(existing.map((i) => [key(i.category, i.name), i]));
      const standardByKey = new Map<string, string>();
      if (catalogue.adoptedStandard) {
        const std = await em.find(CatalogueItem, { catalogue: catalogue.adoptedStandard.id });
        for (const s of std) standardByKey.set(key(s.category, s.name), s.id);
      }
      const touched = new Set<string>();
      let position = input.mode === ImportMode.MERGE ? Math.max(0, ...existing.map((i) => i.position)) : 0;
      const unitLinks: Array<{ item: CatalogueItem; unitIds: string[]; replace: boolean }> = [];
      const keptRuleRows = new Set<number>();
      for (const d of drafts) {
        const found = byKey.get(key(d.category, d.name));
        const unitIds = [...d.unitIds, ...d.unknownUnits.map((n) => createdUnits.get(n)?.id).filter((x): x is string => !!x)];
        const current = found ? valuesOf(found, unitsOf.get(found.id) ?? []) : null;
        const nextPosition = input.mode === ImportMode.REPLACE || !found ? ++position : found.position;
        const { values, keptRule } = importedValues(d, unitIds, nextPosition, current);
        if (keptRule) keptRuleRows.add(d.rowNumber);
        if (found) {
          touched.add(found.id);
          // Only what differs is written: an unchanged row leaves the item (and its updated_at) alone.
          const fields = changedFields(current!, values);
          report.items.push({ row: d.rowNumber, itemId: found.id, category: found.category, name: found.name, change: fields.length ? ImportItemChange.CHANGED : ImportItemChange.UNCHANGED, fields });
          if (fields.length === 0) {
            report.itemsUnchanged += 1;
            continue;
          }
          report.itemsUpdated += 1;
          this.applyValues(found, values, fields);
          if (fields.includes('responsibleUnits')) unitLinks.push({ item: found, unitIds: values.unitIds, replace: true });
        } else {
          const item = em.create(CatalogueItem, {
            catalogue: catalogue.id,
            agency: agency.id,
            position: 0,
            category: d.category,
            name: d.name,
          });
          const std = standardByKey.get(key(d.category, d.name));
          if (std) item.standardItem = em.getReference(CatalogueItem, std) as never;
          this.applyValues(item, values, IMPORTED_FIELDS);
          touched.add(item.id);
          unitLinks.push({ item, unitIds: values.unitIds, replace: false });
          report.itemsCreated += 1;
          report.items.push({ row: d.rowNumber, itemId: item.id, category: item.category, name: item.name, change: ImportItemChange.CREATED, fields: [] });
        }
      }
      if (input.mode === ImportMode.REPLACE) {
        const stale = existing.filter((i) => !touched.has(i.id));
        if (stale.length) await em.nativeDelete(CatalogueItem, { id: { $in: stale.map((i) => i.id) } });
        report.itemsRemoved = stale.length;
        for (const i of stale) {
          report.items.push({ row: null, itemId: i.id, category: i.category, name: i.name, change: ImportItemChange.REMOVED, fields: [] });
        }
      }
      // A hand-set rule kept beside unreadable wording is not flagged again.
      report.problems = report.problems.filter((p) => !(p.code === 'UNPARSED_TIME_LIMIT' && p.row != null && keptRuleRows.has(p.row)));
      await em.flush();
      const replaced = unitLinks.filter((l) => l.replace).map((l) => l.item.id);
      if (replaced.length) await em.nativeDelete(CatalogueItemUnit, { item: { $in: replaced } });
      for (const l of unitLinks) {
        for (const unitId of l.unitIds) em.create(CatalogueItemUnit, { item: l.item.id, unit: unitId, agency: agency.id });
      }
      if (report.itemsCreated + report.itemsUpdated + report.itemsRemoved > 0 || createdUnits.size > 0) {
        await catalogueService.bumpRevision(em, catalogue.id);
      }
      await em.flush();
      report.ok = true;
      report.unitsCreated = [...createdUnits.keys()];
      return { catalogue, report };
    });
  }

  async export(ctx: RequestContext, id: string, format: SheetFormatEnum) {
    const catalogue = await catalogueService.get(ctx, id);
    const items = await selectLean(ctx.em, CatalogueItem, 'where t.catalogue_id = ? order by t.position', [catalogue.id]);
    const rows = items.map((i) =>
      draftToSheetRow({
        category: i.category,
        name: i.name,
        content: i.content,
        disclosureType: i.disclosureType ?? null,
        unitsText: i.unitsText,
        timeLimitText: i.timeLimitText,
        deadlineRule: i.deadlineRule ?? null,
        deadlineEvent: i.deadlineEvent ?? null,
        channels: i.channels,
        audience: i.audience,
        legalBasis: i.legalBasis,
        websiteColumn: i.websiteColumn ?? '',
      }),
    );
    const buffer = await withSheetSlot(() => writeCatalogueSheet(catalogue.title, rows, format, writeSheetInWorker));
    return {
      filename: `${catalogue.title}.${format === SheetFormatEnum.XLSX ? 'xlsx' : 'csv'}`,
      contentType: CONTENT_TYPES[format],
      base64: buffer.toString('base64'),
      itemCount: items.length,
    };
  }

  /** Writes the named fields of {@link values} (units are linked separately). */
  private applyValues(item: CatalogueItem, values: ItemValues, fields: readonly ItemField[]): void {
    const target = item as unknown as Record<string, unknown>;
    for (const f of fields) {
      if (f === 'responsibleUnits') continue;
      const v = values[f];
      target[f] = Array.isArray(v) ? [...v] : v;
    }
  }
}

/** The values of a stored item an import compares. */
function valuesOf(item: CatalogueItem, unitIds: string[]): ItemValues {
  return {
    position: item.position,
    content: item.content,
    disclosureType: (item.disclosureType as ItemValues['disclosureType']) ?? null,
    unitsText: item.unitsText,
    unitIds,
    timeLimitText: item.timeLimitText,
    deadlineRule: item.deadlineRule ?? null,
    deadlineEvent: (item.deadlineEvent as ItemValues['deadlineEvent']) ?? null,
    timeLimitWarning: item.timeLimitWarning ?? null,
    channels: item.channels ?? [],
    audience: item.audience,
    legalBasis: item.legalBasis,
    websiteColumn: item.websiteColumn ?? null,
  };
}

export const catalogueSheetService = new CatalogueSheetService();
