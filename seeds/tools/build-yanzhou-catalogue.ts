/**
 * Builds seeds/data/yanzhou-2024-catalogue.xlsx — the 2024 proactive-disclosure catalogue
 * (主动公开基本目录) of 济宁市公安局兖州分局, reconstructed from Attachment 1 of its 2024 plan
 * (济兖公通〔2024〕24号). The table was flattened to text, one cell per line; the rows below are that
 * text put back into its 8 columns. How merged and empty cells were told apart is explained in
 * seeds/data/README.md.
 *
 *   node -r @swc-node/register seeds/tools/build-yanzhou-catalogue.ts [output.xlsx]
 *
 * The output is byte-for-byte deterministic: fixed workbook dates and fixed zip entry timestamps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSourceXlsx, UP, type SourceCell, type SourceWorkbookSpec } from './source-workbook';

export { UP, type SourceCell };
export type SourceRow = readonly [
  category: SourceCell,
  name: SourceCell,
  content: SourceCell,
  disclosureType: SourceCell,
  units: SourceCell,
  timeLimit: SourceCell,
  channel: SourceCell,
  audience: SourceCell,
];

export const SHEET_NAME = '主动公开基本目录';
export const TITLE = '2024年济宁市公安局兖州分局主动公开基本目录';
export const HEADERS = [
  '目录类别',
  '目录名称',
  '公开内容',
  '政务五公开',
  '公开主体（责任单位）',
  '公开时限',
  '公开方式',
  '公开对象',
] as const;

/** The first data row (row 1 is the title, row 2 the headers). */
export const FIRST_DATA_ROW = 3;

/** Fixed workbook timestamps (the date of the plan, 2024-06-27) so that the file is reproducible. */
export const FIXED_DATE = new Date(Date.UTC(2024, 5, 27, 0, 0, 0));

/**
 * The 25 rows of the table, in document order, in the document's own wording (typos included:
 * "21个工作日", "动态跟新"); only the stray Word artefact "[bookmark: _GoBack]" in front of
 * "结果公开" has been removed.
 */
export const YANZHOU_2024_ROWS: readonly SourceRow[] = [
  ['政策文件', '部门文件', '本单位发布的文件', '政策公开', '指挥中心秘书科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['机构职能', '主要职责', '依据“三定”方案及职责调整情况确定的本部门最新工作职责、内设机构（办公地址、办公时间、联系方式）', '管理公开', '政工室', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  [UP, '机构设置', UP, '', '政工室', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['领导信息', '部门领导', '部门领导姓名、工作职务、工作分工、个人履历', '管理公开', '政工室', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['执行和落实情况公开', '重大决策执行落实', '公开政府工作报告、年度重点工作、民生实事项目等重大决策部署的执行情况信息', '执行公开', '指挥中心秘书科、交警大队、刑侦大队等重大决策执行涉及警种单位', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['财政预算决算', '部门财政预决算', '公开本部门财政预决算', '执行公开', '指挥中心行财科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['招考录用', '公务员考录', '公开本部门公务员考录信息', '管理公开', '政工室', '相关信息形成或变更之日起21个工作日内', '政府网站', '全社会'],
  ['治安管理', '治安管理', '公开治安管理信息', '执行公开', '治安大队、户籍科、出入境管理大队、各派出所等有关科室', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['公告公示', '公告公示', '公开本部门通知公告类信息', '', '指挥中心秘书科等有关科室', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['会议公开', '部门会议', '公开本部门会议', '政策公开', '指挥中心秘书科、宣传科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['建议提案办理结果', '建议提案办理总体情况', '公开建议提案办理总体情况', '结果公开', '指挥中心秘书科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  [UP, '人大建议办理情况', '公开人大建议办理复文', '', UP, '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  [UP, '政协提案办理情况', '公开政协提案办理复文', '', UP, '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['行政执法公示', '专题展示', '公开行政执法事前、事中、事后相关信息（行政执法主体、执法人员名单、权责清单、服务指南、执法流程、制度汇编、法制审核目录、行政权力事项实施清单、执法信息窗口、执法结果和统计年报）', '管理公开', '法制大队、许可服务科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['“双随机、一公开”', '专题展示', '公开随机抽查事项清单、抽查计划、抽查情况、结果、抽查人员名录和抽查对象名录等信息', '管理公开', '许可服务科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['政策解读与回应', '政策解读', '对出台政策文件采用新闻发布、图文、动漫多种形式进行解读', '决策公开', '指挥中心秘书科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  [UP, '回应关切', '公开政府开放日', '服务公开', '指挥中心宣传科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['组织管理', '政务公开组织领导', '公开本部门政务公开分管负责人、承担机构等信息', '管理公开', '许可服务科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  [UP, '政务公开工作推进', '公开本部门年度政务公开工作实施方案及工作推进情况', '管理公开', '许可服务科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  [UP, '政务公开工作培训', '公开政务公开培训计划、培训开展情况', '管理公开', '许可服务科等有关科室', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['主动公开基本目录', '主动公开基本目录', '公开部门主动公开基本目录', '服务公开', '许可服务科', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['政府信息公开指南', '政府信息公开指南', '公开本部门政府信息公开指南', '服务公开', '许可服务科', '动态更新', '政府网站', '全社会'],
  ['政府信息公开年报', '政府信息公开年报', '公开本部门政府信息公开年报', '执行公开', '许可服务科', '每年的1月31日前公开', '政府网站', '全社会'],
  ['基层政务公开标准化工作', '工作推进', '公开本部门政务公开标准化工作推进', '服务公开', '局属有关单位', '相关信息形成或变更之日起20个工作日内', '政府网站', '全社会'],
  ['政务动态', '部门动态', '公开发布本部门工作信息', '服务公开', '指挥中心宣传科', '动态跟新', '政府网站', '全社会'],
];

const SPEC: SourceWorkbookSpec = {
  creator: 'seeds/tools/build-yanzhou-catalogue.ts',
  title: TITLE,
  sheetName: SHEET_NAME,
  headers: HEADERS,
  widths: [16, 20, 48, 12, 30, 24, 12, 10],
  headerHeight: 30,
  // The long running text is left-aligned; the rest are centred like the original's columns.
  leftAlignedColumn: 2,
  firstDataRow: FIRST_DATA_ROW,
  date: FIXED_DATE,
};

export async function buildYanzhouCatalogueXlsx(rows: readonly SourceRow[] = YANZHOU_2024_ROWS): Promise<Buffer> {
  return buildSourceXlsx(SPEC, rows);
}

export const DEFAULT_OUTPUT = path.join(__dirname, '..', 'data', 'yanzhou-2024-catalogue.xlsx');

async function main(): Promise<void> {
  const output = path.resolve(process.argv[2] ?? DEFAULT_OUTPUT);
  const bytes = await buildYanzhouCatalogueXlsx();
  fs.writeFileSync(output, bytes);
  process.stdout.write(`wrote ${output} (${YANZHOU_2024_ROWS.length} items, ${bytes.length} bytes)\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
