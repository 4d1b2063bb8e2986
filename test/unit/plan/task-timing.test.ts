import {
  explainTaskTiming,
  findTaskTiming,
  parseTaskTiming,
  recurrencePeriods,
  timingProblems,
  type TaskTiming,
} from '../../../src/modules/plan/task-timing';

const PLAN_YEAR = 2024;

const BLANK: Omit<TaskTiming, 'kind' | 'text'> = {
  dueOn: null,
  recurrence: null,
  minimumCount: null,
  workingDays: null,
  hours: [],
  event: null,
};

function timing(kind: TaskTiming['kind'], fields: Partial<TaskTiming> = {}): TaskTiming {
  return { ...BLANK, text: '', ...fields, kind };
}

const due = (dueOn: string, text = ''): TaskTiming => timing('DUE_DATE', { dueOn, text });
const every = (recurrence: TaskTiming['recurrence'], minimumCount: number, text = ''): TaskTiming =>
  timing('RECURRING', { recurrence, minimumCount, text });
const workingDays = (n: number, event: string | null, text = ''): TaskTiming =>
  timing('WORKING_DAYS_AFTER_EVENT', { workingDays: n, event, text });
const hours = (hs: number[], event: string | null, text = ''): TaskTiming => timing('HOURS_AFTER_EVENT', { hours: hs, event, text });
const NONE_FOUND = timing('NONE', { text: '' });

/* ------------------------------------------------------------------------------------------------
 * Texts copied verbatim from the seed documents (/work/shared/seed-docs).
 * ---------------------------------------------------------------------------------------------- */

// 003 汕尾市公安局2022年政务公开工作要点分工方案, 具体要求 column.
const ITEM_16 =
  '16.加大重大行政决策事项公众参与，确定本年度重大行政决策事项目录，并向社会主动公开。决策承办单位应当严格按照《重大行政决策程序暂行条例》规定，通过政府网站、政务新媒体以及报刊、广播、电视等便于社会公众知晓的途径，公布决策草案及其说明材料，明确提出意见的方式和期限，公开征求意见期限一般不少于30天。对公众提出的意见建议不予采纳的，应当及时向社会公众反馈。';
const ITEM_24 =
  '24.持续加强政务网站与政务新媒体安全防护工作，健全日常巡检、维护和更新机制，依托省政府网站集约化平台的运行监控功能和第三方评估服务，对照考核指标和监督管理体系建设，形成每日实时监测，每季度深度扫描，每半年提前预评估，发现问题及时通报整改。';
const ITEM_37 = '37.局政务公开领导小组要充分发挥统筹协调、监督调度作用，每年至少召开一次会议，及时研究解决政务公开重点难点问题。';
const ITEM_38 =
  '38.局主要领导每年至少听取1次政务公开工作汇报，专题研究部署政务公开工作。建立政务公开重点任务台账，明确具体分工、实时跟进推动，确保落实到位，落实情况纳入政府信息公开工作年度报告予以公开，接受社会监督。';
const ITEM_40 =
  '40.对上一年度政务公开工作要点落实情况开展“回头看”，重点针对有明确责任主体和时限要求的工作任务，逐项核查落实情况，对未完成的依法督促整改。';

// 002 兖州分局 2024 工作要点.
const YANZHOU_6 =
  '6、抓好政策解读工作。对已作出的非涉密重大决策、政策，要按照“谁起草、谁解读”的原则，做好政策解读工作。坚持将政策解读与政策制定同步考虑、同步安排，文件公布后3个工作日内由牵头起草部门将相关解读材料与文件报送指挥中心秘书科后，在区政府信息公开平台发布，重点解读政策措施的背景依据、目标任务、涉及范围、执行口径，以及关键词诠释、惠民利民举措、新旧政策差异等，向广大人民群众解疑释惑，发出权威声音，对出台政策文件要采用新闻发布、图文、动漫多种形式进行解读。（责任单位：指挥中心秘书科，配合单位：政策文件涉及的警种单位。）';
const YANZHOU_16 =
  '16、及时提报年度工作情况。许可服务科每年一月份编制上一年度分局政务公开工作年度报告，并向区政府办公室提报政务公开工作第三方考核评估材料，局属各单位要按照许可服务科（提前下发）要求，安排专人汇总本年度本单位政务公开工作总体情况和统计数据，及时提报。（责任单位：指挥中心许可服务科，配合单位：相关警种单位）';

// 000 威海市公安局关于进一步做好政务公开工作的通知 (ASCII commas and spaces around numbers as in the source).
const WEIHAI_MEETINGS = '4.年内邀请相关人员列席党委或者工作会议不得少于 2 次。';
const WEIHAI_OPINION =
  '1.建立健全舆情收集、研判、处置、回应机制,提高政务舆情处置实效。对涉及特别重大、重大突发事件的政务舆情,要快速反应、及时发声,最迟要在 5 小时内发布权威消息、24 小时内举行新闻发布会,对其他政务舆情应在 48 小时内予以回应,并根据工作进展情况,持续发布权威信息。';
const WEIHAI_CATALOGUE = '2018 年底前要完成主动公开基本目录的编制工作。';
const WEIHAI_INTERPRETATION =
  '1.要加强制度建设,坚持政策解读与政策制定同步考虑、同步安排;按照“谁起草、谁解读”的原则,重要政策出台前,要将文件和解读方案一并报批,相关解读材料应于文件公布后3个工作日内主动发布。';
const WEIHAI_SERVICE =
  '4.进一步规范和完善办事指南,办事指南之外不得增加其他要求;办事条件发生变化的事项,应在完成审批程序后 1 个工作日内公开变更后的相关信息和具体实施时间。实行网上办事大厅与实体政务大厅办事服务信息同源管理,建设和使用统一的咨询问答知识库、政务服务资源库,确保线上线下办事服务信息内容准确一致,方便群众和企业办事。';

// 001 鲤城区 (traditional characters).
const LICHENG_INSPECTION = '加強對政務公開的察訪核驗,區政府信息公開辦至少每半年開展一次察訪核驗,并將察訪核驗結果及時通報區效能辦,予以年終績效評估時扣分。';

/* ------------------------------------------------------------------------------------------------
 * DOMAIN.md, "Work plan and responsibility matrix": every quoted phrase
 * ---------------------------------------------------------------------------------------------- */

describe('DOMAIN.md work-plan phrases', () => {
  it.each<[string, TaskTiming, string]>([
    ['2018年底前要完成主动公开基本目录的编制', due('2018-12-31'), '2018年底前'],
    ['年内邀请相关人员列席党委或者工作会议不得少于 2 次', every('YEARLY', 2), '年内邀请相关人员列席党委或者工作会议不得少于 2 次'],
    ['每年至少召开一次会议', every('YEARLY', 1), '每年至少召开一次'],
    ['每年至少听取1次…汇报', every('YEARLY', 1), '每年至少听取1次'],
    ['每半年开展一次察访核验', every('HALF_YEARLY', 1), '每半年开展一次'],
    [
      '5 小时内发布权威消息、24 小时内举行新闻发布会…48 小时内予以回应',
      hours([5, 24, 48], null),
      '5 小时内发布权威消息、24 小时内举行新闻发布会…48 小时内',
    ],
    ['文件公布后3个工作日内', workingDays(3, '文件公布'), '文件公布后3个工作日内'],
    ['完成审批程序后 1 个工作日内公开', workingDays(1, '完成审批程序'), '完成审批程序后 1 个工作日内'],
  ])('%s', (text, expected, phrase) => {
    // As a 完成时限 cell the whole text is kept; found in prose, the phrase is quoted verbatim.
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual({ ...expected, text });
    expect(findTaskTiming(text, PLAN_YEAR)).toEqual({ ...expected, text: phrase });
  });

  it('公开征求意见期限一般不少于30天 is a minimum duration: NONE in prose, UNREADABLE as a cell', () => {
    const text = '公开征求意见期限一般不少于30天';
    expect(findTaskTiming(text, PLAN_YEAR)).toEqual(NONE_FOUND);
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual(timing('UNREADABLE', { text }));
  });

  it('"回头看" (003 item 40) names no timing', () => {
    expect(findTaskTiming(ITEM_40, PLAN_YEAR)).toEqual(NONE_FOUND);
  });
});

/* ------------------------------------------------------------------------------------------------
 * Requirement texts of the seed documents
 * ---------------------------------------------------------------------------------------------- */

describe('findTaskTiming — requirement texts of the seed documents', () => {
  it('003 item 16: a consultation minimum and "及时" are not deadlines', () => {
    expect(findTaskTiming(ITEM_16, 2022)).toEqual(NONE_FOUND);
  });

  it('003 item 24: daily monitoring is passed over, the first countable recurrence wins', () => {
    expect(findTaskTiming(ITEM_24, 2022)).toEqual(every('QUARTERLY', 1, '每季度深度扫描'));
  });

  it('003 items 37 and 38: yearly minimums', () => {
    expect(findTaskTiming(ITEM_37, 2022)).toEqual(every('YEARLY', 1, '每年至少召开一次'));
    expect(findTaskTiming(ITEM_38, 2022)).toEqual(every('YEARLY', 1, '每年至少听取1次'));
  });

  it('002 item 6: within 3 working days after the document is published', () => {
    expect(findTaskTiming(YANZHOU_6, PLAN_YEAR)).toEqual(workingDays(3, '文件公布', '文件公布后3个工作日内'));
  });

  it('002 item 16: "每年一月份编制" is a month inside each year, flagged rather than guessed', () => {
    expect(findTaskTiming(YANZHOU_16, PLAN_YEAR)).toEqual(timing('UNREADABLE', { text: '每年一月份' }));
  });

  it('000 §二(二)4: a count per year, quoted with the source spacing', () => {
    expect(findTaskTiming(WEIHAI_MEETINGS, 2018)).toEqual(
      every('YEARLY', 2, '年内邀请相关人员列席党委或者工作会议不得少于 2 次'),
    );
  });

  it('000 §三(二)1: the three hour limits of one sentence form one timing; "及时发声" is passed over', () => {
    expect(findTaskTiming(WEIHAI_OPINION, 2018)).toEqual(
      hours([5, 24, 48], null, '5 小时内发布权威消息、24 小时内举行新闻发布会,对其他政务舆情应在 48 小时内'),
    );
  });

  it('000 §六(一): a dated deadline', () => {
    expect(findTaskTiming(WEIHAI_CATALOGUE, 2018)).toEqual(due('2018-12-31', '2018 年底前'));
  });

  it('000 §三(一)1 and §四(三)4: the event is what follows 应于/应在', () => {
    expect(findTaskTiming(WEIHAI_INTERPRETATION, 2018)).toEqual(workingDays(3, '文件公布', '文件公布后3个工作日内'));
    expect(findTaskTiming(WEIHAI_SERVICE, 2018)).toEqual(workingDays(1, '完成审批程序', '完成审批程序后 1 个工作日内'));
  });

  it('001 §二十二 in traditional characters: half-yearly, quoted as written', () => {
    expect(findTaskTiming(LICHENG_INSPECTION, 2018)).toEqual(every('HALF_YEARLY', 1, '每半年開展一次'));
  });

  it('quotes every phrase verbatim from its input', () => {
    for (const text of [ITEM_24, ITEM_37, ITEM_38, YANZHOU_6, YANZHOU_16, WEIHAI_MEETINGS, WEIHAI_OPINION, WEIHAI_CATALOGUE, WEIHAI_SERVICE, LICHENG_INSPECTION]) {
      const found = findTaskTiming(text, PLAN_YEAR);
      expect(found.text).not.toBe('');
      expect(text).toContain(found.text);
    }
  });
});

describe('parseTaskTiming — the seed documents as cells', () => {
  it('003 item 24 has several recurrences: ambiguous, so UNREADABLE', () => {
    const cell = '每日实时监测，每季度深度扫描，每半年提前预评估';
    expect(parseTaskTiming(cell, 2022)).toEqual(timing('UNREADABLE', { text: cell }));
    expect(parseTaskTiming('每季度深度扫描，每半年提前预评估', 2022).kind).toBe('UNREADABLE');
    expect(parseTaskTiming(ITEM_24, 2022)).toEqual(timing('UNREADABLE', { text: ITEM_24 }));
  });

  it('000 §三(二)1 as a cell: hours, but also "持续发布" (ongoing) — a person decides', () => {
    expect(parseTaskTiming(WEIHAI_OPINION, 2018).kind).toBe('UNREADABLE');
    // Without the ongoing clause and the item number the hours are read; "及时发声" is refined by them.
    const cell = '要快速反应、及时发声,最迟要在 5 小时内发布权威消息、24 小时内举行新闻发布会,对其他政务舆情应在 48 小时内予以回应';
    expect(parseTaskTiming(cell, 2018)).toEqual(hours([5, 24, 48], null, cell));
  });

  it('a stray item number is a number nothing explains: UNREADABLE as a cell', () => {
    expect(parseTaskTiming(WEIHAI_MEETINGS, 2018).kind).toBe('UNREADABLE');
    expect(parseTaskTiming('年内邀请相关人员列席党委或者工作会议不得少于 2 次。', 2018)).toEqual(
      every('YEARLY', 2, '年内邀请相关人员列席党委或者工作会议不得少于 2 次。'),
    );
  });

  it('traditional characters in a cell', () => {
    expect(parseTaskTiming('至少每半年開展一次', 2018)).toEqual(every('HALF_YEARLY', 1, '至少每半年開展一次'));
    expect(parseTaskTiming('文件公布後3個工作日內', 2018)).toEqual(workingDays(3, '文件公布', '文件公布後3個工作日內'));
  });
});

/* ------------------------------------------------------------------------------------------------
 * parseTaskTiming
 * ---------------------------------------------------------------------------------------------- */

describe('parseTaskTiming — due dates', () => {
  it.each<[string, string]>([
    ['2018年底前', '2018-12-31'],
    ['2018 年底前', '2018-12-31'],
    ['2018年年底前完成', '2018-12-31'],
    ['到2018年底', '2018-12-31'],
    ['年底前', '2024-12-31'],
    ['本年底前', '2024-12-31'],
    ['今年年底前', '2024-12-31'],
    ['年内完成', '2024-12-31'],
    ['6月底前', '2024-06-30'],
    ['2月底前', '2024-02-29'], // leap year
    ['2025年2月底前', '2025-02-28'],
    ['2024年9月15日前', '2024-09-15'],
    ['9月15日前完成', '2024-09-15'],
    ['每年的1月31日前公开', '2024-01-31'], // annual deadline: the plan year's occurrence
    ['每年年底前', '2024-12-31'],
    ['十二月三十一日前', '2024-12-31'],
    ['二〇一八年底前', '2018-12-31'],
    ['２０２４年６月底前', '2024-06-30'], // full-width digits
    // Bare dates and periods, as 完成时限 columns often hold them: complete by the period's end.
    ['2024年6月30日', '2024-06-30'],
    ['2024-06-30', '2024-06-30'],
    ['2024.6.30', '2024-06-30'],
    ['2024年6月', '2024-06-30'],
    ['6月底', '2024-06-30'],
    ['2024年底', '2024-12-31'],
    ['2024年', '2024-12-31'],
    ['年底', '2024-12-31'],
  ])('%s → %s', (text, dueOn) => {
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual(due(dueOn, text));
  });
});

describe('parseTaskTiming — recurrences', () => {
  it.each<[string, TaskTiming['recurrence'], number]>([
    ['每年至少召开一次会议', 'YEARLY', 1],
    ['每年度开展一次', 'YEARLY', 1],
    ['每年年中和年底两次组织评估', 'YEARLY', 2], // 002 §22: "年底两次" is not a deadline
    ['全年不少于3次', 'YEARLY', 3],
    ['每半年开展一次', 'HALF_YEARLY', 1],
    ['每季度', 'QUARTERLY', 1],
    ['每季度通报一次', 'QUARTERLY', 1],
    ['每个季度至少两次', 'QUARTERLY', 2],
    ['每月', 'MONTHLY', 1],
    ['每月至少更新4次', 'MONTHLY', 4],
    ['每个月不少于十次', 'MONTHLY', 10],
  ])('%s', (text, recurrence, count) => {
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual(every(recurrence, count, text));
  });
});

describe('parseTaskTiming — limits after an event', () => {
  it.each<[string, TaskTiming]>([
    ['文件公布后3个工作日内', workingDays(3, '文件公布')],
    ['相关信息形成或变更之日起20个工作日内', workingDays(20, '相关信息形成或变更')],
    ['自受理之日起15个工作日内答复', workingDays(15, '受理')],
    ['3个工作日内', workingDays(3, null)], // the event is not written: kept null, not made up
    ['事件发生后24小时内', hours([24], '事件发生')],
    ['48 小时内予以回应', hours([48], null)],
  ])('%s', (text, expected) => {
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual({ ...expected, text });
  });
});

describe('parseTaskTiming — Chinese numerals', () => {
  it.each<[string, number]>([
    ['每年至少一次', 1],
    ['每年至少两次', 2],
    ['每年至少二次', 2],
    ['每年至少三次', 3],
    ['每年至少十次', 10],
    ['每年至少十二次', 12],
    ['每年至少二十次', 20],
    ['每年至少二十一次', 21],
    ['每年至少九十九次', 99],
  ])('%s → %d', (text, n) => {
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual(every('YEARLY', n, text));
  });

  it('working days and hours in Chinese numerals', () => {
    expect(parseTaskTiming('文件公布后三个工作日内', PLAN_YEAR).workingDays).toBe(3);
    expect(parseTaskTiming('五小时内', PLAN_YEAR).hours).toEqual([5]);
    expect(parseTaskTiming('二十个工作日内', PLAN_YEAR).workingDays).toBe(20);
  });

  it('numerals it cannot read are not guessed', () => {
    expect(parseTaskTiming('每年至少三五次', PLAN_YEAR).kind).toBe('UNREADABLE');
    expect(parseTaskTiming('每年至少一百次', PLAN_YEAR).kind).toBe('UNREADABLE');
    expect(parseTaskTiming('每年至少0次', PLAN_YEAR).kind).toBe('UNREADABLE');
  });
});

describe('parseTaskTiming — NONE and UNREADABLE', () => {
  it.each(['', '   ', '\n'])('empty cell %j → NONE', (text) => {
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual(timing('NONE', { text }));
  });

  it.each(['长期坚持', '持续推进', '常态化', '长期', '持续推进，及时公开'])('ongoing %s → NONE', (text) => {
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual(timing('NONE', { text }));
  });

  it.each([
    ['尽快', 'vague'],
    ['视情况而定', 'vague'],
    ['及时', 'vague'],
    ['定期', 'vague'],
    ['按规定时限', 'vague'],
    ['公开征求意见期限一般不少于30天', 'a minimum, not a deadline'],
    ['不少于2次', 'a count without a period'],
    ['30日内', 'calendar days: no kind for them'],
    ['3个月内', 'months: no kind for them'],
    ['3个工作日后', 'after, not within'],
    ['20个工作日', 'neither "within" nor a maximum'],
    ['每日', 'daily'],
    ['每周一次', 'weekly: not a supported recurrence'],
    ['每两个月一次', 'every N months'],
    ['每月5日前报送', 'a day inside each month'],
    ['每年一月份', 'a month inside each year'],
    ['每年不超过2次', 'a maximum count'],
    ['每年1-2次', 'a range of counts'],
    ['明年底前', 'relative to an unknown year'],
    ['2024年2月30日前', 'no such date'],
    ['13月底前', 'no such month'],
    ['长期坚持，年底前完成', 'ongoing and a deadline at once'],
    ['每季度通报一次，年底前总结', 'two timings'],
    ['按上级要求办理', 'nothing recognised'],
    ['30号', 'a day without a month'],
  ])('%s → UNREADABLE (%s)', (text, why) => {
    expect(why).not.toBe('');
    expect(parseTaskTiming(text, PLAN_YEAR)).toEqual(timing('UNREADABLE', { text }));
  });

  it('2月29日前 depends on the plan year', () => {
    expect(parseTaskTiming('2月29日前', 2024)).toEqual(due('2024-02-29', '2月29日前'));
    expect(parseTaskTiming('2月29日前', 2023).kind).toBe('UNREADABLE');
  });

  it('the same timing written twice is one timing', () => {
    expect(parseTaskTiming('年底前完成，年底前公开', PLAN_YEAR)).toEqual(due('2024-12-31', '年底前完成，年底前公开'));
  });

  it('rejects a plan year that is not a four-digit year', () => {
    expect(() => parseTaskTiming('年底前', 24)).toThrow(RangeError);
    expect(() => findTaskTiming('年底前', 2024.5)).toThrow(RangeError);
  });
});

/* ------------------------------------------------------------------------------------------------
 * findTaskTiming
 * ---------------------------------------------------------------------------------------------- */

describe('findTaskTiming', () => {
  it.each(['', '尽快', '视情况而定', '及时公开', '定期更新', '长期坚持', '常态化公开', '按照规定时限做好留言答复', '每日实时监测'])(
    '%j → NONE with text ""',
    (text) => {
      expect(findTaskTiming(text, PLAN_YEAR)).toEqual(NONE_FOUND);
    },
  );

  it('a date without 前 is a mention, not a deadline', () => {
    expect(findTaskTiming('威海市公安局2018年9月4日印发', 2018)).toEqual(NONE_FOUND);
  });

  it('"至年底" in a report means "as of the year end", not a deadline (004)', () => {
    expect(findTaskTiming('实现了针对9个事项的随机抽取,至年底共实施抽查40多件。', 2017)).toEqual(NONE_FOUND);
    expect(findTaskTiming('到2018年底全面完成', 2018)).toEqual(due('2018-12-31', '到2018年底'));
  });

  it('the first phrase wins', () => {
    expect(findTaskTiming('每季度通报一次，年底前形成总结', PLAN_YEAR)).toEqual(every('QUARTERLY', 1, '每季度通报一次'));
    expect(findTaskTiming('年底前形成总结，每季度通报一次', PLAN_YEAR)).toEqual(due('2024-12-31', '年底前'));
    expect(findTaskTiming('及时公开，6月底前完成，每年至少一次', PLAN_YEAR)).toEqual(due('2024-06-30', '6月底前'));
  });

  it('an unreadable deadline-shaped phrase is reported, not skipped', () => {
    expect(findTaskTiming('整改应于30日内完成，每季度通报一次', PLAN_YEAR)).toEqual(timing('UNREADABLE', { text: '30日内' }));
    expect(findTaskTiming('于2024年2月30日前完成', PLAN_YEAR)).toEqual(timing('UNREADABLE', { text: '2024年2月30日前' }));
  });

  it('the annual deadline of the catalogue is the plan year\'s date', () => {
    expect(findTaskTiming('年度报告每年的1月31日前公开', PLAN_YEAR)).toEqual(due('2024-01-31', '每年的1月31日前'));
  });

  it('hour limits in different sentences are different timings; the first wins', () => {
    expect(findTaskTiming('5小时内发布消息。24小时内举行发布会。', PLAN_YEAR)).toEqual(hours([5], null, '5小时内'));
  });

  it('a count far from a recurrence word, in another clause, is not its count', () => {
    expect(findTaskTiming('每年组织评估，开展两次培训', PLAN_YEAR)).toEqual(every('YEARLY', 1, '每年组织评估'));
  });
});

/* ------------------------------------------------------------------------------------------------
 * explainTaskTiming
 * ---------------------------------------------------------------------------------------------- */

describe('explainTaskTiming', () => {
  const examples: Array<[TaskTiming, string]> = [
    [due('2018-12-31'), '2018-12-31 前完成 (due by 2018-12-31)'],
    [every('HALF_YEARLY', 1), '每半年至少 1 次 (at least once per half-year)'],
    [every('YEARLY', 2), '每年至少 2 次 (at least twice per year)'],
    [every('QUARTERLY', 3), '每季度至少 3 次 (at least 3 times per quarter)'],
    [every('MONTHLY', 1), '每月至少 1 次 (at least once per month)'],
    [workingDays(3, '文件公布'), '事件（文件公布）后 3 个工作日内 (within 3 working days after 文件公布)'],
    [workingDays(1, '完成审批程序'), '事件（完成审批程序）后 1 个工作日内 (within 1 working day after 完成审批程序)'],
    [workingDays(3, null), '3 个工作日内，未写明起算事件 (within 3 working days; the starting event is not stated)'],
    [hours([5, 24, 48], null), '分别在 5、24、48 小时内，未写明起算事件 (within 5, 24 and 48 hours respectively; the starting event is not stated)'],
    [hours([24], '事件发生'), '事件（事件发生）后 24 小时内 (within 24 hours after 事件发生)'],
    [hours([1], null), '1 小时内，未写明起算事件 (within 1 hour; the starting event is not stated)'],
    [timing('NONE', { text: '长期坚持' }), '无固定完成时限（“长期坚持”） (no fixed deadline: ongoing work)'],
    [timing('NONE'), '无完成时限 (no deadline)'],
    [timing('UNREADABLE', { text: '尽快' }), '无法识别的完成时限“尽快”，需人工确认 (unreadable timing; a person must check it)'],
  ];
  // Titled by the explanation itself.
  it.each(examples.map(([t, expected]): [string, TaskTiming] => [expected, t]))('%s', (expected, t) => {
    expect(explainTaskTiming(t)).toBe(expected);
  });

  it('explains what the readers return', () => {
    expect(explainTaskTiming(findTaskTiming(ITEM_24, 2022))).toBe('每季度至少 1 次 (at least once per quarter)');
    expect(explainTaskTiming(findTaskTiming(YANZHOU_6, 2024))).toBe('事件（文件公布）后 3 个工作日内 (within 3 working days after 文件公布)');
  });

  it('describes a structurally broken timing instead of throwing', () => {
    expect(explainTaskTiming(timing('RECURRING', { recurrence: 'YEARLY' }))).toMatch(/^完成时限不完整：.*每期最少次数.*\(incomplete timing: minimumCount\)$/);
  });
});

/* ------------------------------------------------------------------------------------------------
 * timingProblems
 * ---------------------------------------------------------------------------------------------- */

describe('timingProblems', () => {
  const fields = (t: TaskTiming): string[] => timingProblems(t).map((p) => p.field);

  it('accepts well-formed timings of every kind', () => {
    for (const t of [
      due('2024-06-30'),
      every('YEARLY', 2),
      workingDays(3, '文件公布'),
      workingDays(3, null),
      hours([5, 24, 48], null),
      timing('NONE'),
      timing('UNREADABLE', { text: '尽快' }),
    ]) {
      expect(timingProblems(t)).toEqual([]);
    }
  });

  it('every problem names its field and says what is wrong in Chinese', () => {
    for (const p of timingProblems(timing('RECURRING', { minimumCount: 0, dueOn: '2024-01-01' }))) {
      expect(['kind', 'dueOn', 'recurrence', 'minimumCount', 'workingDays', 'hours', 'event']).toContain(p.field);
      expect(p.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('RECURRING: recurrence and a minimum count ≥ 1 are required', () => {
    expect(fields(timing('RECURRING', { recurrence: 'YEARLY' }))).toEqual(['minimumCount']);
    expect(fields(timing('RECURRING', { recurrence: 'YEARLY', minimumCount: 0 }))).toEqual(['minimumCount']);
    expect(fields(timing('RECURRING', { recurrence: 'YEARLY', minimumCount: 1.5 }))).toEqual(['minimumCount']);
    expect(fields(timing('RECURRING', { minimumCount: 1 }))).toEqual(['recurrence']);
    expect(fields(timing('RECURRING', { recurrence: 'WEEKLY' as TaskTiming['recurrence'], minimumCount: 1 }))).toEqual(['recurrence']);
  });

  it('DUE_DATE: a valid date is required', () => {
    expect(fields(timing('DUE_DATE'))).toEqual(['dueOn']);
    expect(fields(due('2023-02-29'))).toEqual(['dueOn']);
    expect(fields(due('2024-6-30'))).toEqual(['dueOn']);
  });

  it('WORKING_DAYS_AFTER_EVENT: working days ≥ 1; an event, when given, is not empty', () => {
    expect(fields(timing('WORKING_DAYS_AFTER_EVENT'))).toEqual(['workingDays']);
    expect(fields(workingDays(0, '文件公布'))).toEqual(['workingDays']);
    expect(fields(workingDays(3, '  '))).toEqual(['event']);
  });

  it('HOURS_AFTER_EVENT: hours not empty, positive, ascending', () => {
    expect(fields(hours([], null))).toEqual(['hours']);
    expect(fields(timing('HOURS_AFTER_EVENT', { hours: null as unknown as number[] }))).toEqual(['hours']);
    expect(fields(hours([0, 24], null))).toEqual(['hours']);
    expect(fields(hours([-5], null))).toEqual(['hours']);
    expect(fields(hours([48, 24], null))).toEqual(['hours']);
    expect(fields(hours([24, 24], null))).toEqual(['hours']);
  });

  it('fields that do not belong to the kind', () => {
    expect(fields({ ...due('2024-06-30'), recurrence: 'YEARLY', minimumCount: 1, event: '文件公布' })).toEqual([
      'recurrence',
      'minimumCount',
      'event',
    ]);
    expect(fields({ ...every('YEARLY', 1), dueOn: '2024-06-30', workingDays: 3, hours: [5] })).toEqual(['dueOn', 'workingDays', 'hours']);
    expect(fields({ ...workingDays(3, null), hours: [5] })).toEqual(['hours']);
    expect(fields({ ...hours([5], null), workingDays: 3 })).toEqual(['workingDays']);
    expect(fields({ ...timing('NONE'), dueOn: '2024-06-30', event: 'x' })).toEqual(['dueOn', 'event']);
    expect(fields({ ...timing('UNREADABLE'), minimumCount: 2 })).toEqual(['minimumCount']);
    // GraphQL input may send hours: null for kinds without hours.
    expect(fields({ ...due('2024-06-30'), hours: null as unknown as number[] })).toEqual([]);
  });

  it('an unknown kind', () => {
    expect(timingProblems(timing('WEEKLY' as TaskTiming['kind']))).toEqual([{ field: 'kind', message: expect.stringContaining('WEEKLY') }]);
  });

  it('everything the readers return is structurally valid', () => {
    for (const text of [ITEM_16, ITEM_24, ITEM_37, ITEM_38, YANZHOU_6, YANZHOU_16, WEIHAI_MEETINGS, WEIHAI_OPINION, WEIHAI_SERVICE, '尽快', '']) {
      expect(timingProblems(findTaskTiming(text, PLAN_YEAR))).toEqual([]);
      expect(timingProblems(parseTaskTiming(text, PLAN_YEAR))).toEqual([]);
    }
  });
});

/* ------------------------------------------------------------------------------------------------
 * recurrencePeriods
 * ---------------------------------------------------------------------------------------------- */

describe('recurrencePeriods', () => {
  it('YEARLY: one period', () => {
    expect(recurrencePeriods('YEARLY', 2024)).toEqual([{ key: '2024', start: '2024-01-01', end: '2024-12-31' }]);
  });

  it('HALF_YEARLY', () => {
    expect(recurrencePeriods('HALF_YEARLY', 2024)).toEqual([
      { key: '2024-H1', start: '2024-01-01', end: '2024-06-30' },
      { key: '2024-H2', start: '2024-07-01', end: '2024-12-31' },
    ]);
  });

  it('QUARTERLY', () => {
    expect(recurrencePeriods('QUARTERLY', 2022)).toEqual([
      { key: '2022-Q1', start: '2022-01-01', end: '2022-03-31' },
      { key: '2022-Q2', start: '2022-04-01', end: '2022-06-30' },
      { key: '2022-Q3', start: '2022-07-01', end: '2022-09-30' },
      { key: '2022-Q4', start: '2022-10-01', end: '2022-12-31' },
    ]);
  });

  it('MONTHLY, with February ending on the 29th only in leap years', () => {
    const months = recurrencePeriods('MONTHLY', 2024);
    expect(months).toHaveLength(12);
    expect(months.map((m) => m.key)).toEqual(Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`));
    expect(months[1]).toEqual({ key: '2024-02', start: '2024-02-01', end: '2024-02-29' });
    expect(months[3]).toEqual({ key: '2024-04', start: '2024-04-01', end: '2024-04-30' });
    expect(months[11]).toEqual({ key: '2024-12', start: '2024-12-01', end: '2024-12-31' });
    expect(recurrencePeriods('MONTHLY', 2023)[1]?.end).toBe('2023-02-28');
    expect(recurrencePeriods('MONTHLY', 1900)[1]?.end).toBe('1900-02-28');
    expect(recurrencePeriods('MONTHLY', 2000)[1]?.end).toBe('2000-02-29');
  });

  it('periods cover the year without gaps or overlaps', () => {
    for (const r of ['YEARLY', 'HALF_YEARLY', 'QUARTERLY', 'MONTHLY'] as const) {
      const ps = recurrencePeriods(r, 2024);
      expect(ps[0]?.start).toBe('2024-01-01');
      expect(ps[ps.length - 1]?.end).toBe('2024-12-31');
      for (let i = 1; i < ps.length; i += 1) {
        const prevEnd = new Date(`${ps[i - 1]!.end}T00:00:00Z`).getTime();
        expect(new Date(`${ps[i]!.start}T00:00:00Z`).getTime() - prevEnd).toBe(86_400_000);
      }
    }
  });

  it('rejects an invalid year or recurrence', () => {
    expect(() => recurrencePeriods('YEARLY', 2024.5)).toThrow(RangeError);
    expect(() => recurrencePeriods('WEEKLY' as 'YEARLY', 2024)).toThrow(RangeError);
  });
});
