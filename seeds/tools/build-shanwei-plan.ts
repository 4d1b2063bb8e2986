/**
 * Builds seeds/data/shanwei-2022-plan.xlsx — 汕尾市公安局2022年政务公开工作要点分工方案 (document 003), the
 * work-plan division table of 汕尾市公安局, reconstructed as a real spreadsheet with merged cells. The
 * table was flattened to text, one cell per line; the rows below are that text put back into its four
 * columns 工作要求 | 具体任务 | 具体要求 | 牵头落实单位. How merged and empty cells were told apart, and
 * why several tasks share one 具体要求 cell, is explained in seeds/data/README.md (section 4).
 *
 *   node -r @swc-node/register seeds/tools/build-shanwei-plan.ts [output.xlsx]
 *
 * The output is byte-for-byte deterministic: fixed workbook dates and fixed zip entry timestamps.
 * Self-contained on purpose (it does not import the 兖州 builder), so that either tool can change
 * without silently changing the other's committed bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSourceXlsx, UP, type SourceCell, type SourceWorkbookSpec } from './source-workbook';

export { UP, type SourceCell };
export type SourceRow = readonly [requirement: SourceCell, task: SourceCell, details: SourceCell, leadUnits: SourceCell];

export const SHEET_NAME = '分工方案';
export const TITLE = '汕尾市公安局2022年政务公开工作要点分工方案';
export const HEADERS = ['工作要求', '具体任务', '具体要求', '牵头落实单位'] as const;

/** The first data row (row 1 is the title, row 2 the headers). */
export const FIRST_DATA_ROW = 3;

/**
 * Fixed workbook timestamps so that the file is reproducible. The document carries no date of its
 * own, so 1 January of its year (2022) is used.
 */
export const FIXED_DATE = new Date(Date.UTC(2022, 0, 1, 0, 0, 0));

/**
 * The 34 rows of the table (40 numbered tasks; tasks 1+2, 8+9, 15+16+17, 28+29 and 37+38 share one
 * 具体要求 cell each), in document order and in the document's own wording. Inside a shared cell the
 * tasks are separated exactly as in the text: by an empty line ("\n\n") except 28 and 29, which
 * follow each other directly ("\n"). A 工作要求 or 具体任务 that the text repeats (the table repeats
 * its headings on a new page) is its own cell here, as in the original; only cells the text omits
 * are {@link UP}. Under "五、" the 具体任务 cell is genuinely empty ('').
 */
export const SHANWEI_2022_ROWS: readonly SourceRow[] = [
  [
    '一、优化政务公开工作基础',
    '（一）深化行政规章、规范性文件集中公开',
    '1.巩固行政法规集中公开工作成果，对照中国政府法制信息网行政法规库的行政法规国家正式版本，高质量发布现行有效正式版本，及时做好行政法规动态更新。\n\n' +
      '2.摸清底数、持续更新，依托政府信息公开平台建成本部门行政规范性文件库，完善规范性文件、其他文件的分类展示，明确标注规范性文件的名称、文号、发布机构、索引号、主题分类、成文及发布日期、有效性等要素，提高规范性文件公开质量和搜索功能准确性。',
    '政务公开办、法制支队',
  ],
  [
    UP,
    UP,
    '3.按照《广东省行政规范性文件管理规定》，加强规范性文件合法性审核和督促检查。落实起草单位制定规范性文件的源头规范工作，确保严格履行法定程序，坚决防止出现文件“内容违法”“程序违法”等问题。',
    '局直各单位、政务公开办、法制支队',
  ],
  [
    UP,
    UP,
    '4.优化市局政务网站查询、文件下载功能，确保法规文件与办事文件下载格式多样、下载文件可读可用。',
    '政务公开办',
  ],
  [
    '一、优化政务公开工作基础',
    '（二）持续推进政务公开标准化规范化',
    '5.全面规范公开权责清单，结合实际承担的工作职责，持续推动政府信息主动公开目录的动态更新调整，切实将主动公开目录列明的公开事项公开到位。',
    '局直各单位、政务公开办',
  ],
  [
    UP,
    UP,
    '6.按照“谁审批谁监管、谁主管谁监管”要求，深入实施“双随机、一公开”监管和“互联网+监管”工作，建立健全抽查系统，推进线上线下一体化监管，定期更新省级抽查事项清单，及时向社会公开监管结果。',
    '法制支队、治巡支队、禁毒支队、科信支队、网警支队',
  ],
  [
    UP,
    UP,
    '7.全面落实“谁执法、谁公开”等要求，严格落实行政执法公示制度，结合便利服务群众和依法全面公开的原则，优化执法信息公开平台，向群众提供案件办理进度查询服务，以及公开公示行政处罚、行政强制执行等多种行政执法文书信息查询，以阳光警务促进规范执法。',
    '局直相关单位',
  ],
  [
    UP,
    '（三）提升政府信息公开申请办理规范化程序',
    '8.规范使用广东省政府信息依申请公开系统，实现登记、审核、办理、答复、归档等全流程电子化管理，提升依申请公开工作办理实效。\n\n' +
      '9.用好平台监督管理功能，督促本部门和下级单位做好依申请公开工作，主动发现工作中存在的共性问题、疑难问题，及时予以指导解决。注意收集在办理政府信息公开申请中发现的群众普遍关心的政府信息，以适当方式予以主动公开。',
    '政务公开办',
  ],
  [
    '一、优化政务公开工作基础',
    '（三）提升政府信息公开申请办理规范化程序',
    '10.继续完善政务公开动态扩展机制和依申请公开转主动公开常态化审查机制，及时清理规范性文件，根据实际情况的变化以及法律、法规、规章和国家政策的调整情况，及时对已发布施行的规范性文件进行修改或者废止，如涉及群众切身利益、可能需要公众广泛知晓的文件，研究考虑纳入主动公开范围。',
    '局直相关单位、政务公开办',
  ],
  [
    UP,
    '（四）规范发布政府信息公开工作年度报告',
    '11.严格落实国办公开办函〔2021〕30号文件要求，规范编制发布政府信息公开工作年度报告，确保年报内容全面，数据准确，确保年报内容质量和数据准确性。',
    '政务公开办、局直相关单位',
  ],
  [
    '二、围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息公开',
    '（一）持续做好疫情防控信息公开',
    '12.在市委、市政府和市新冠肺炎防控指挥部的领导指挥下，严格执行疫情防控信息发布各项制度，配合省相关职能部门统一步调对外发声，做好信息公开和舆论引导工作。',
    '市局防控办、政务公开办、宣传科',
  ],
  [
    '二、围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息公开',
    '（二）加强推动国家重大发展战略落地落实信息公开',
    '13.做好对中小微企业、个体工商户、服务业的支持和促进消费政策措施的公开。促进新能源汽车推广应用方面，充分发挥政府信息公开和政策解读引导指引作用，营造良好消费环境。',
    '交警支队、政务公开办',
  ],
  [
    '三、推动重大政策解读提质增效，优化政策咨询服务',
    '（一）加大重大政策解读力度',
    '14.落实《广东省政府系统政策解读工作细则（试行）》“三同步”工作机制，做到应解读尽解读。进一步提升解读材料质量，突出核心概念、新旧政策差异、影响范围、执行标准、办事指引及注意事项等，精准传递政策意图。负责政策解读的警种部门要针对社会公众对政策的可能存在的关注点、疑虑点，重点解读文件中与群众切实利益相关、与企业生产生活密切的内容，提高解读针对性。',
    '局直相关单位、政务公开办',
  ],
  [
    '三、推动重大政策解读提质增效，优化政策咨询服务',
    '（一）加大重大政策解读力度',
    '15.继续改进政策解读方式方法，多用客观数据、生动案例进行多渠道、全方位、立体式解读。加强政策线上线下传播，综合运用新闻发布会、在线访谈、图文动画、短视频等形式对重大政策开展深度解读，协调主要新闻媒体转发转载，提高政策知晓度和到达率。\n\n' +
      '16.加大重大行政决策事项公众参与，确定本年度重大行政决策事项目录，并向社会主动公开。决策承办单位应当严格按照《重大行政决策程序暂行条例》规定，通过政府网站、政务新媒体以及报刊、广播、电视等便于社会公众知晓的途径，公布决策草案及其说明材料，明确提出意见的方式和期限，公开征求意见期限一般不少于30天。对公众提出的意见建议不予采纳的，应当及时向社会公众反馈。\n\n' +
      '17.积极开展政策实施后的跟踪评估和解读。跟进政策文件施行后出现的新情况、新问题，组织评估分析，积极对相关舆情和社会关注点、存在的误解误读开展回应解读，及时有针对性地释疑解惑，增进社会共识。',
    '局直相关单位、政务公开办、宣传科',
  ],
  [
    '三、推动重大政策解读提质增效，优化政策咨询服务',
    '（二）优化政策咨询服务',
    '18.充分整合政务网站政策文件库，优化面向企业群众的咨询互动平台，依托“平安厅”信箱、12345政务服务便民热线、实体服务大厅、政务网站和政务新媒体等线上线下公开平台，围绕各类高频政策咨询事项形成统一政策问答库，提高政策公开实效。',
    '局直相关单位、政务公开办、宣传科、“平安厅”局长信箱工作专班',
  ],
  [
    UP,
    UP,
    '19.依托政府网站加强人工智能技术运用，集成政策问答库，完善智能化机器人政策问答功能。',
    '政务公开办、宣传科',
  ],
  [
    UP,
    '（三）积极回应社会关切',
    '20.深入推进“我为群众办实事”实践活动，认真做好国家政务服务平台、省政务服务平台、“市长留言信箱”及“平安厅”信箱留言办理工作，按照规定时限做好留言答复，定期组织梳理分析，对反映集中的问题可通过二次解读等方式加强回应，以解决问题的具体举措实质性回应社会关切。',
    '局直相关单位、政务公开办、宣传科、“平安厅”局长信箱工作专班',
  ],
  [
    '三、推动重大政策解读提质增效，优化政策咨询服务',
    '（三）积极回应社会关切',
    '21.切实落实政务舆情回应主体责任，建立捕捉处置“弱信号”新机制，对涉及重大敏感情况的群众来信，第一时间通报相关单位办理。加强监测预警、分析研判、应对处置和业务培训，前瞻性做好引导工作，更好回应人民群众和市场主体关切，为经济社会发展营造良好氛围。',
    '局直相关单位、政务公开办、宣传科',
  ],
  [
    UP,
    UP,
    '22.畅通优化群众举报途径，将涉黑恶、枪爆、电诈、走私、毒品、黄赌、经济、食药环犯罪等专用举报电话统一归集到“平安厅”信箱，一屏公示，一站受理。',
    '政务公开办、“平安厅”局长信箱工作专班',
  ],
  [
    '四、优化政务公开平台建设',
    '（一）提升政务网站、政务新媒体运维管理水平',
    '23.严格落实网络意识形态责任制，确保信息发布导向准确，确保政务网站、政务新媒体安全平稳运作。规范办理“我为政府网站找错”网站留言处理答复。',
    '局直相关单位、政务公开办、宣传科',
  ],
  [
    UP,
    UP,
    '24.持续加强政务网站与政务新媒体安全防护工作，健全日常巡检、维护和更新机制，依托省政府网站集约化平台的运行监控功能和第三方评估服务，对照考核指标和监督管理体系建设，形成每日实时监测，每季度深度扫描，每半年提前预评估，发现问题及时通报整改。',
    '政务公开办、宣传科',
  ],
  [
    '四、优化政务公开平台建设',
    '（一）提升政务网站、政务新媒体运维管理水平',
    '25.完善政府信息公开平台建设，规范栏目设置和信息分类。',
    '政务公开办',
  ],
  [
    UP,
    UP,
    '26.加强新媒体矩阵账号管理，充分发挥“平安汕尾”核心账号示范引领作用，聚合联动效应加强协同，打造高水平的汕尾公安新媒体矩阵，着力提升政务信息传播效果。',
    '局直相关单位、政务公开办',
  ],
  [
    UP,
    '（二）加强政务网站重点领域信息公开',
    '27.做好重点领域信息公开栏目内容日常维护，强化信息梳理分类，做到发布及时，内容完整，加强与政府信息公开平台信息联动。',
    '政务公开办',
  ],
  [
    UP,
    UP,
    '28.积极推进局机关预决算及相关报表公开，进一步提高预决算内容全面公开程度，按要求公开预决算报告、报表及相关说明以及经市审计机关审定的审计整改情况报告。\n' +
      '29.整理局机关行政事业性收费项目及其依据、标准，依托政务网站及时公开局机关政府采购及行政事业性收费信息，公开采购项目的标准及实施情况。',
    '警保支队、政务公开办',
  ],
  [
    '四、优化政务公开平台建设',
    '（二）加强政务网站重点领域信息公开',
    '30.大力落实建议提案办理，做好人大代表和政协委员建议提案办理情况信息公开工作。及时公开市人大建议和市政协提案办理复文和总体情况，接受社会监督。',
    '局直相关单位、指挥中心、政务公开办',
  ],
  [
    UP,
    UP,
    '31.集中公开重大会议信息，对涉及公共利益、公共权益的决策性会议实行常态化公开。',
    '局直各单位、政务公开办',
  ],
  [
    UP,
    UP,
    '32.及时公开公务员招录信息，对本部门公务员招考职位、名额、报考条件、录用结果等相应信息进行公开，中央或省级公务员主管部门另有规定不宜公开事项除外。',
    '政治处、政务公开办',
  ],
  [
    UP,
    UP,
    '33.加强对各县（市、区）户籍管理领域公开标准化规范化的督促指导和跟踪评估，以群众实际需求为导向，及时调整完善政务公开标准目录，增强操作性、实效性，推动我市基层户籍管理领域公开标准化规范化工作取得更好成效。',
    '治巡支队',
  ],
  [
    UP,
    '（三）严格落实政府信息公开保密审查要求',
    '34.严格落实信息发布审核制度，严格执行政府信息公开保密审查，市局政务网站与政务新媒体要严格执行日常发布内容“三审三校”“先审后发”机制，严把政治关、法律关、政策关、保密关、文字关。',
    '局直相关单位、政务公开办、宣传科',
  ],
  [
    '四、优化政务公开平台建设',
    '（三）严格落实政府信息公开保密审查要求',
    '35.准确把握不同类型公开要求，在制作政府信息时严格执行《汕尾市公安局政府信息公开保密审查制度》，综合考虑公开目的、公开效果、后续影响等因素，科学合理确定公开方式。',
    '局直相关单位、局保密办、政务公开办',
  ],
  [
    UP,
    UP,
    '36.加强局机关政府采购信息保密审查，局机关非涉密项目采购招标信息对外发布前应完成公开前保密审查，并保留《政府信息公开保密审查表》备查。',
    '警保支队',
  ],
  [
    '五、强化政务公开工作指导监督',
    '',
    '37.局政务公开领导小组要充分发挥统筹协调、监督调度作用，每年至少召开一次会议，及时研究解决政务公开重点难点问题。\n\n' +
      '38.局主要领导每年至少听取1次政务公开工作汇报，专题研究部署政务公开工作。建立政务公开重点任务台账，明确具体分工、实时跟进推动，确保落实到位，落实情况纳入政府信息公开工作年度报告予以公开，接受社会监督。',
    '政务公开办',
  ],
  [
    '五、强化政务公开工作指导监督',
    '',
    '39.对公民、法人或其他组织就信息公开工作申请行政复议或者提起行政诉讼的，积极配合复议或审判机关开展相关工作，认真研究答复或答辩意见。经复议或审理发现存在问题的，及时予以纠正并督促整改。',
    '法制支队、政务公开办、局直各单位',
  ],
  [
    UP,
    UP,
    '40.对上一年度政务公开工作要点落实情况开展“回头看”，重点针对有明确责任主体和时限要求的工作任务，逐项核查落实情况，对未完成的依法督促整改。',
    '政务公开办',
  ],
];

const SPEC: SourceWorkbookSpec = {
  creator: 'seeds/tools/build-shanwei-plan.ts',
  title: TITLE,
  sheetName: SHEET_NAME,
  headers: HEADERS,
  widths: [22, 26, 80, 26],
  headerHeight: 24,
  // The long running text is left-aligned; the rest are centred like the original's columns.
  leftAlignedColumn: 2,
  firstDataRow: FIRST_DATA_ROW,
  date: FIXED_DATE,
};

export async function buildShanweiPlanXlsx(rows: readonly SourceRow[] = SHANWEI_2022_ROWS): Promise<Buffer> {
  return buildSourceXlsx(SPEC, rows);
}

export const DEFAULT_OUTPUT = path.join(__dirname, '..', 'data', 'shanwei-2022-plan.xlsx');

/** Writes the workbook to `output` and returns its bytes (the test regenerates into a temp file). */
export async function writeShanweiPlan(output: string = DEFAULT_OUTPUT): Promise<Buffer> {
  const bytes = await buildShanweiPlanXlsx();
  fs.writeFileSync(output, bytes);
  return bytes;
}

async function main(): Promise<void> {
  const output = path.resolve(process.argv[2] ?? DEFAULT_OUTPUT);
  const bytes = await writeShanweiPlan(output);
  process.stdout.write(`wrote ${output} (${SHANWEI_2022_ROWS.length} rows, ${bytes.length} bytes)\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
