import { selectLean } from '../../db/row-mapper';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { withSheetSlot } from '../../spreadsheets/sheet-slots';
import { decodeSheetUpload, SHEET_CONTENT_TYPES, toImportProblem } from '../../spreadsheets/upload';
import { createImportedUnits, unitsToCreate } from '../agency/imported-units';
import { Unit } from '../agency/unit.entity';
import { Catalogue } from './catalogue.entity';
import { CatalogueItem, CatalogueItemUnit, DeadlineEvent, DisclosureType } from './catalogue-item.entity';
import { draftToSheetRow, rowsToDrafts, type ItemDraft } from './catalogue-rows';
import { readCatalogueSheet, writeCatalogueSheet } from './catalogue-sheet';
import type { ImportCatalogueInput, ImportReport } from './catalogue.inputs';
import { ImportMode, SheetFormatEnum } from './catalogue.inputs';
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
    const sheet = await withSheetSlot(() => readCatalogueSheet(buffer, input.format));
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
      itemsRemoved: 0,
      unitsCreated: [],
      problems: all.map(toImportProblem),
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
      const key = (category: string, name: string) => `${category}\u0000${name}`;
      const byKey = new Map(existing.map((i) => [key(i.category, i.name), i]));
      const standardByKey = new Map<string, string>();
      if (catalogue.adoptedStandard) {
        const std = await em.find(CatalogueItem, { catalogue: catalogue.adoptedStandard.id });
        for (const s of std) standardByKey.set(key(s.category, s.name), s.id);
      }
      const touched = new Set<string>();
      let position = input.mode === ImportMode.MERGE ? Math.max(0, ...existing.map((i) => i.position)) : 0;
      const unitLinks: Array<{ item: CatalogueItem; unitIds: string[] }> = [];
      for (const d of drafts) {
        let item = byKey.get(key(d.category, d.name));
        if (item) report.itemsUpdated += 1;
        else {
          item = em.create(CatalogueItem, {
            catalogue: catalogue.id,
            agency: agency.id,
            position: 0,
            category: d.category,
            name: d.name,
          });
          const std = standardByKey.get(key(d.category, d.name));
          if (std) item.standardItem = em.getReference(CatalogueItem, std) as never;
          report.itemsCreated += 1;
        }
        touched.add(item.id);
        if (input.mode === ImportMode.REPLACE || !byKey.has(key(d.category, d.name))) item.position = ++position;
        this.applyDraft(item, d);
        const unitIds = [...d.unitIds, ...d.unknownUnits.map((n) => createdUnits.get(n)?.id).filter((x): x is string => !!x)];
        unitLinks.push({ item, unitIds });
      }
      if (input.mode === ImportMode.REPLACE) {
        const stale = existing.filter((i) => !touched.has(i.id)).map((i) => i.id);
        if (stale.length) await em.nativeDelete(CatalogueItem, { id: { $in: stale } });
        report.itemsRemoved = stale.length;
      }
      await em.flush();
      const ids = unitLinks.map((l) => l.item.id);
      if (ids.length) await em.nativeDelete(CatalogueItemUnit, { item: { $in: ids } });
      for (const l of unitLinks) {
        for (const unitId of new Set(l.unitIds)) em.create(CatalogueItemUnit, { item: l.item.id, unit: unitId, agency: agency.id });
      }
      await catalogueService.bumpRevision(em, catalogue.id);
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
    const buffer = await withSheetSlot(() => writeCatalogueSheet(catalogue.title, rows, format));
    return {
      filename: `${catalogue.title}.${format === SheetFormatEnum.XLSX ? 'xlsx' : 'csv'}`,
      contentType: CONTENT_TYPES[format],
      base64: buffer.toString('base64'),
      itemCount: items.length,
    };
  }

  private applyDraft(item: CatalogueItem, d: ItemDraft): void {
    item.content = d.content;
    item.disclosureType = (d.disclosureType as DisclosureType | null) ?? null;
    item.unitsText = d.unitsText;
    item.timeLimitText = d.timeLimitText;
    item.deadlineRule = d.deadlineRule;
    item.deadlineEvent = (d.deadlineEvent as DeadlineEvent | null) ?? null;
    item.timeLimitWarning = d.timeLimitWarning;
    item.channels = d.channels;
    item.audience = d.audience || '全社会';
    item.legalBasis = d.legalBasis;
    item.websiteColumn = d.websiteColumn || null;
  }
}

export const catalogueSheetService = new CatalogueSheetService();
