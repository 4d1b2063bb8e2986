import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ConnectionType } from '../../graphql/connection';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { Catalogue, CatalogueKind, CatalogueStatus } from './catalogue.entity';
import { CatalogueItem, CatalogueOmission, DeadlineEvent, DisclosureType } from './catalogue-item.entity';

export const CatalogueConnection = ConnectionType(Catalogue, 'Catalogue', '目录');
export const CatalogueItemConnection = ConnectionType(CatalogueItem, 'CatalogueItem', '目录事项');

export enum DeadlineRuleKindEnum {
  WORKING_DAYS = 'WORKING_DAYS',
  CALENDAR_DAYS = 'CALENDAR_DAYS',
  HOURS = 'HOURS',
  YEARLY_FIXED_DATE = 'YEARLY_FIXED_DATE',
  KEEP_CURRENT = 'KEEP_CURRENT',
}
registerEnumType(DeadlineRuleKindEnum, {
  name: 'DeadlineRuleKind',
  description: '时限规则类型 (kind of deadline rule)',
  valuesConfig: {
    WORKING_DAYS: { description: 'N个工作日内 (N working days after the event)' },
    CALENDAR_DAYS: { description: 'N日内 (N calendar days after the event)' },
    HOURS: { description: 'N小时内 (N hours after the event)' },
    YEARLY_FIXED_DATE: { description: '每年固定日期前 (once a year by a fixed date)' },
    KEEP_CURRENT: { description: '动态更新 (keep current, optionally with a maximum age)' },
  },
});

export enum SheetFormatEnum {
  XLSX = 'XLSX',
  CSV = 'CSV',
}
registerEnumType(SheetFormatEnum, {
  name: 'SheetFormat',
  description: '表格格式 (spreadsheet format)',
  valuesConfig: { XLSX: { description: 'Excel 工作簿 (.xlsx)' }, CSV: { description: 'CSV (UTF-8, 带BOM)' } },
});

export enum ImportMode {
  REPLACE = 'REPLACE',
  MERGE = 'MERGE',
}
registerEnumType(ImportMode, {
  name: 'ImportMode',
  description: '导入方式 (import mode)',
  valuesConfig: {
    REPLACE: { description: '替换：目录事项全部以表格为准 (the table replaces every item)' },
    MERGE: { description: '合并：同类别同名称的事项更新，其余新增 (update matching items, add the rest, keep others)' },
  },
});

export enum AdoptionStatus {
  NOT_ADOPTED = 'NOT_ADOPTED',
  OUTDATED = 'OUTDATED',
  CURRENT = 'CURRENT',
}
registerEnumType(AdoptionStatus, {
  name: 'AdoptionStatus',
  description: '标准目录采用情况 (whether a subordinate adopted the current standard)',
  valuesConfig: {
    NOT_ADOPTED: { description: '未采用 (not adopted)' },
    OUTDATED: { description: '采用的是旧修订 (adopted an earlier revision)' },
    CURRENT: { description: '已采用最新修订 (adopted the current revision)' },
  },
});

@ObjectType('DeadlineRule', { description: '公开时限规则 (structured deadline rule)' })
export class DeadlineRuleType {
  @Field(() => DeadlineRuleKindEnum, { description: '规则类型 (kind)' })
  kind!: DeadlineRuleKindEnum;

  @Field(() => Int, { nullable: true, description: '天数 (days, for WORKING_DAYS / CALENDAR_DAYS)' })
  days?: number | null;

  @Field(() => Int, { nullable: true, description: '小时数 (hours, for HOURS)' })
  hours?: number | null;

  @Field(() => Int, { nullable: true, description: '月 (month, for YEARLY_FIXED_DATE)' })
  month?: number | null;

  @Field(() => Int, { nullable: true, description: '日 (day of month, for YEARLY_FIXED_DATE)' })
  day?: number | null;

  @Field(() => Int, { nullable: true, description: '最长间隔天数 (maximum age in days, for KEEP_CURRENT)' })
  maxAgeDays?: number | null;
}

@InputType({ description: '公开时限规则 (structured deadline rule)' })
export class DeadlineRuleInput {
  @Field(() => DeadlineRuleKindEnum, { description: '规则类型 (kind)' })
  kind!: DeadlineRuleKindEnum;

  @Field(() => Int, { nullable: true, description: '天数 (days)' })
  days?: number | null;

  @Field(() => Int, { nullable: true, description: '小时数 (hours)' })
  hours?: number | null;

  @Field(() => Int, { nullable: true, description: '月 (month)' })
  month?: number | null;

  @Field(() => Int, { nullable: true, description: '日 (day)' })
  day?: number | null;

  @Field(() => Int, { nullable: true, description: '最长间隔天数 (maximum age in days)' })
  maxAgeDays?: number | null;
}

@InputType({ description: '目录筛选 (catalogue filter)' })
export class CatalogueFilter {
  @Field(() => ID, { nullable: true, description: '机关 (only this agency)' })
  agencyId?: string | null;

  @Field(() => ID, { nullable: true, description: '此机关及其下级 (this agency and its subtree)' })
  underAgencyId?: string | null;

  @Field(() => Int, { nullable: true, description: '年度 (year)' })
  year?: number | null;

  @Field(() => CatalogueKind, { nullable: true, description: '目录类型 (kind)' })
  kind?: CatalogueKind | null;

  @Field(() => CatalogueStatus, { nullable: true, description: '状态 (status)' })
  status?: CatalogueStatus | null;
}

@InputType({ description: '目录事项筛选 (catalogue item filter)' })
export class CatalogueItemFilter {
  @Field(() => String, { nullable: true, description: '目录类别 (category, exact)' })
  @IsOptional()
  @MaxLength(100)
  category?: string | null;

  @Field(() => DisclosureType, { nullable: true, description: '政务五公开 (type)' })
  disclosureType?: DisclosureType | null;

  @Field(() => ID, { nullable: true, description: '责任单位 (responsible unit)' })
  unitId?: string | null;

  @Field(() => String, { nullable: true, description: '名称、类别或内容包含 (text in name, category or content)' })
  @IsOptional()
  @MaxLength(100)
  text?: string | null;

  @Field(() => Boolean, { nullable: true, description: '只看时限待核实的事项 (only items whose time limit needs review)' })
  timeLimitFlagged?: boolean | null;
}

@InputType({ description: '新建目录 (create a catalogue)' })
export class CreateCatalogueInput {
  @Field(() => ID, { description: '机关 (agency)' })
  agencyId!: string;

  @Field(() => Int, { description: '年度 (year)' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => CatalogueKind, { defaultValue: CatalogueKind.AGENCY, description: '目录类型 (kind)' })
  kind: CatalogueKind = CatalogueKind.AGENCY;

  @Field(() => String, { nullable: true, description: '标题 (title; generated when absent)' })
  @IsOptional()
  @MinLength(2)
  @MaxLength(200)
  title?: string | null;
}

@InputType({ description: '复制目录为新年度草稿 (copy a catalogue as another year’s draft)' })
export class CopyCatalogueInput {
  @Field(() => ID, { description: '来源目录 (source catalogue)' })
  sourceCatalogueId!: string;

  @Field(() => Int, { description: '新年度 (target year)' })
  @Min(2000)
  @Max(2100)
  year!: number;
}

@InputType({ description: '修改目录 (update a catalogue)' })
export class UpdateCatalogueInput {
  @Field(() => ID, { description: '目录 (catalogue)' })
  id!: string;

  @Field(() => String, { nullable: true, description: '标题 (title)' })
  @IsOptional()
  @MinLength(2)
  @MaxLength(200)
  title?: string | null;

  @Field(() => CatalogueStatus, { nullable: true, description: '状态 (status: DRAFT → IN_FORCE → ARCHIVED)' })
  status?: CatalogueStatus | null;
}

@InputType({ description: '目录事项字段 (catalogue item fields)' })
export class CatalogueItemFields {
  @Field(() => String, { nullable: true, description: '目录类别 (category)' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(100)
  category?: string | null;

  @Field(() => String, { nullable: true, description: '目录名称 (item name)' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true, description: '公开内容 (content)' })
  @IsOptional()
  @MaxLength(2000)
  content?: string | null;

  @Field(() => DisclosureType, { nullable: true, description: '政务五公开 (type)' })
  disclosureType?: DisclosureType | null;

  @Field(() => Boolean, { nullable: true, description: '清空政务五公开 (set the type to blank)' })
  clearDisclosureType?: boolean | null;

  @Field(() => [ID], { nullable: true, description: '责任单位 (responsible units of this agency)' })
  @IsOptional()
  @ArrayMaxSize(50)
  unitIds?: string[] | null;

  @Field(() => String, { nullable: true, description: '公开主体原文 (units as written; defaults to the unit names)' })
  @IsOptional()
  @MaxLength(500)
  unitsText?: string | null;

  @Field(() => String, { nullable: true, description: '公开时限原文 (time-limit wording, parsed into a rule)' })
  @IsOptional()
  @MaxLength(200)
  timeLimitText?: string | null;

  @Field(() => DeadlineRuleInput, { nullable: true, description: '结构化时限 (structured rule; must agree with the wording)' })
  deadlineRule?: DeadlineRuleInput | null;

  @Field(() => DeadlineEvent, { nullable: true, description: '起算事件 (event the rule counts from)' })
  deadlineEvent?: DeadlineEvent | null;

  @Field(() => [String], { nullable: true, description: '公开方式 (channels)' })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(50, { each: true })
  channels?: string[] | null;

  @Field(() => String, { nullable: true, description: '公开对象 (audience)' })
  @IsOptional()
  @MaxLength(100)
  audience?: string | null;

  @Field(() => String, { nullable: true, description: '公开依据 (legal basis)' })
  @IsOptional()
  @MaxLength(2000)
  legalBasis?: string | null;

  @Field(() => String, { nullable: true, description: '网站栏目路径 (website column path)' })
  @IsOptional()
  @MaxLength(300)
  websiteColumn?: string | null;
}

@InputType({ description: '新增目录事项 (add a catalogue item)' })
export class AddCatalogueItemInput extends CatalogueItemFields {
  @Field(() => ID, { description: '目录 (catalogue)' })
  catalogueId!: string;
}

@InputType({ description: '修改目录事项 (update a catalogue item)' })
export class UpdateCatalogueItemInput extends CatalogueItemFields {
  @Field(() => ID, { description: '目录事项 (item)' })
  id!: string;
}

@InputType({ description: '删除目录事项；删除采用自标准目录的事项须说明理由 (remove an item; a standard item needs a reason)' })
export class RemoveCatalogueItemInput {
  @Field(() => ID, { description: '目录事项 (item)' })
  id!: string;

  @Field(() => String, { nullable: true, description: '删减理由 (reason; required for items adopted from a standard)' })
  @IsOptional()
  @MinLength(2)
  @MaxLength(500)
  reason?: string | null;
}

@InputType({ description: '采用上级标准目录 (adopt a superior’s standard catalogue)' })
export class AdoptStandardCatalogueInput {
  @Field(() => ID, { description: '标准目录 (standard catalogue in force)' })
  standardCatalogueId!: string;

  @Field(() => ID, { description: '采用机关 (adopting agency)' })
  agencyId!: string;
}

@InputType({ description: '导入目录表格 (import a catalogue spreadsheet)' })
export class ImportCatalogueInput {
  @Field(() => ID, { description: '目录 (catalogue to fill)' })
  catalogueId!: string;

  @Field(() => SheetFormatEnum, { description: '文件格式 (file format)' })
  format!: SheetFormatEnum;

  @Field(() => String, { description: '文件内容，Base64 编码 (file content, base64; at most 1 MB decoded)' })
  @MaxLength(1_500_000)
  fileBase64!: string;

  @Field(() => ImportMode, { defaultValue: ImportMode.REPLACE, description: '导入方式 (mode)' })
  mode: ImportMode = ImportMode.REPLACE;

  @Field(() => Boolean, { defaultValue: false, description: '自动新建表格中未知的单位 (create units the table names but the agency lacks)' })
  createMissingUnits: boolean = false;
}

@ObjectType({ description: '导入问题 (one problem found while importing)' })
export class ImportProblem {
  @Field(() => Int, { nullable: true, description: '行号 (row in the file; null for file-level problems)' })
  row!: number | null;

  @Field(() => String, { nullable: true, description: '列 (column header)' })
  column!: string | null;

  @Field(() => String, { nullable: true, description: '字段 (field)' })
  field!: string | null;

  @Field(() => String, { description: '级别 (ERROR blocks the import; WARNING is kept and flagged)' })
  severity!: 'ERROR' | 'WARNING';

  @Field(() => String, { description: '问题代码 (problem code, e.g. UNKNOWN_UNIT)' })
  code!: string;

  @Field(() => String, { description: '说明 (message)' })
  message!: string;

  @Field(() => String, { nullable: true, description: '有问题的内容 (the offending text)' })
  value?: string | null;
}

export enum ImportItemChange {
  CREATED = 'CREATED',
  CHANGED = 'CHANGED',
  UNCHANGED = 'UNCHANGED',
  REMOVED = 'REMOVED',
}
registerEnumType(ImportItemChange, {
  name: 'ImportItemChange',
  description: '导入对事项的影响 (what an import did to one item)',
  valuesConfig: {
    CREATED: { description: '新增 (created from a row)' },
    CHANGED: { description: '已修改，fields 列出改动的字段 (changed; fields names what changed)' },
    UNCHANGED: { description: '未改动，未写入 (unchanged; nothing written)' },
    REMOVED: { description: '表格中没有，已删除 (not in the table; removed by REPLACE)' },
  },
});

@ObjectType({ description: '逐项导入结果 (what the import did to one item)' })
export class ImportedItemChange {
  @Field(() => Int, { nullable: true, description: '行号 (row in the file; null for removed items)' })
  row!: number | null;

  @Field(() => ID, { description: '目录事项标识 (item id; ids of matched items survive the import)' })
  itemId!: string;

  @Field(() => String, { description: '目录类别 (category)' })
  category!: string;

  @Field(() => String, { description: '目录名称 (item name)' })
  name!: string;

  @Field(() => ImportItemChange, { description: '结果 (created, changed, unchanged or removed)' })
  change!: ImportItemChange;

  @Field(() => [String], {
    description:
      '改动的字段 (fields that changed, by their CatalogueItem names, e.g. content, timeLimitText, deadlineRule, responsibleUnits, position; empty unless CHANGED)',
  })
  fields!: string[];
}

@ObjectType({ description: '导入报告 (import report)' })
export class ImportReport {
  @Field(() => Boolean, { description: '是否已导入 (true when written; false means nothing was written)' })
  ok!: boolean;

  @Field(() => Int, { description: '读取行数 (data rows read)' })
  rowsRead!: number;

  @Field(() => Int, { description: '新增事项 (items created)' })
  itemsCreated!: number;

  @Field(() => Int, { description: '有改动的事项 (items that changed; matched items with nothing to change are counted in itemsUnchanged)' })
  itemsUpdated!: number;

  @Field(() => Int, { description: '未改动的事项 (matched items the table left as they were; nothing written for them)' })
  itemsUnchanged!: number;

  @Field(() => Int, { description: '删除事项 (items removed by REPLACE)' })
  itemsRemoved!: number;

  @Field(() => [String], { description: '新建的单位 (units created on request)' })
  unitsCreated!: string[];

  @Field(() => [ImportProblem], { description: '逐行问题 (every problem, row by row)' })
  problems!: ImportProblem[];

  @Field(() => [ImportedItemChange], {
    description: '逐项结果：新增、修改（及字段）、未改动或删除；未导入时为空 (per item: created, changed with its fields, unchanged or removed; empty when nothing was written)',
  })
  items!: ImportedItemChange[];
}

@ObjectType({ description: '导入结果 (import payload)' })
export class ImportCataloguePayload {
  @Field(() => Catalogue, { description: '目录 (the catalogue)' })
  catalogue!: Catalogue;

  @Field(() => ImportReport, { description: '导入报告 (report)' })
  report!: ImportReport;
}

@ObjectType({ description: '导出文件 (exported file)' })
export class ExportedFile {
  @Field(() => String, { description: '文件名 (file name)' })
  filename!: string;

  @Field(() => String, { description: 'MIME 类型 (content type)' })
  contentType!: string;

  @Field(() => String, { description: '文件内容，Base64 编码 (content, base64)' })
  base64!: string;

  @Field(() => Int, { description: '事项数 (number of items)' })
  itemCount!: number;
}

@ObjectType({ description: '目录变更结果 (catalogue payload)' })
export class CataloguePayload {
  @Field(() => Catalogue, { description: '目录 (catalogue)' })
  catalogue!: Catalogue;
}

@ObjectType({ description: '目录事项变更结果 (catalogue item payload)' })
export class CatalogueItemPayload {
  @Field(() => CatalogueItem, { description: '目录事项 (item)' })
  item!: CatalogueItem;
}

@ObjectType({ description: '删除目录事项结果 (remove item payload)' })
export class RemoveCatalogueItemPayload {
  @Field(() => ID, { description: '已删除的事项 (removed item id)' })
  removedItemId!: string;

  @Field(() => CatalogueOmission, { nullable: true, description: '删减记录 (omission recorded for a standard item)' })
  omission?: CatalogueOmission | null;
}

@ObjectType({ description: '按政务五公开统计 (count per five-disclosure type)' })
export class TypeCount {
  @Field(() => DisclosureType, { nullable: true, description: '类型 (type; null = blank)' })
  disclosureType!: DisclosureType | null;

  @Field(() => Int, { description: '事项数 (items)' })
  count!: number;
}

@ObjectType({ description: '按责任单位统计 (count per responsible unit)' })
export class UnitCount {
  @Field(() => Unit, { description: '单位 (unit)' })
  unit!: Unit;

  @Field(() => Int, { description: '事项数 (items)' })
  count!: number;
}

@ObjectType({ description: '与标准事项不一致的本地事项 (a local item that differs from its standard item)' })
export class ChangedItem {
  @Field(() => CatalogueItem, { description: '标准事项 (standard item)' })
  standardItem!: CatalogueItem;

  @Field(() => CatalogueItem, { description: '本地事项 (local item)' })
  item!: CatalogueItem;

  @Field(() => [String], { description: '不一致的字段 (fields that differ)' })
  fields!: string[];
}

@ObjectType({ description: '下级对标准目录的偏差 (one subordinate’s drift from a standard catalogue)' })
export class CatalogueDrift {
  @Field(() => Agency, { description: '下级机关 (subordinate agency)' })
  agency!: Agency;

  @Field(() => AdoptionStatus, { description: '采用情况 (adoption status)' })
  adoptionStatus!: AdoptionStatus;

  @Field(() => Catalogue, { nullable: true, description: '下级该年度目录 (the subordinate’s catalogue for that year)' })
  catalogue!: Catalogue | null;

  @Field(() => [CatalogueItem], { description: '缺失的标准事项 (standard items missing without a recorded reason)' })
  missing!: CatalogueItem[];

  @Field(() => [ChangedItem], { description: '被修改的标准事项 (standard items changed locally)' })
  changed!: ChangedItem[];

  @Field(() => [CatalogueItem], { description: '本地新增事项 (local items not in the standard)' })
  extra!: CatalogueItem[];

  @Field(() => [CatalogueOmission], { description: '有理由的删减 (standard items left out with a reason)' })
  omitted!: CatalogueOmission[];
}
