import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { RequestContext } from '../src/graphql/context';
import { runAsAccount } from '../src/graphql/request-context';
import type { Logger } from '../src/logger';
import { Account } from '../src/modules/account/account.entity';
import { Unit } from '../src/modules/agency/unit.entity';
import { withToday } from '../src/modules/calendar/clock';
import {
  AppealKind,
  AppealResult,
  ApplicantType,
  ConsultationKind,
  InfoRequest,
  RequestChannel,
  RequestOutcome,
} from '../src/modules/request/request.entity';
import { requestService } from '../src/modules/request/request.service';
import { requestAppeals } from '../src/modules/request/request-appeals';
import { requestWorkflow } from '../src/modules/request/request-workflow';

type Demo = { id: string; agencyId: string };

/** One step of a request's handling, dated: the services date what they record by "today". */
type Step =
  | { on: string; correction: string }
  | { on: string; corrected: true }
  | { on: string; consult: { kind: ConsultationKind; party: string } }
  | { on: string; consultationEnds: true }
  | { on: string; extend: { days: number; reason: string; approvedBy: string } }
  | { on: string; reply: { outcome: RequestOutcome; legalBasis: string } }
  | { on: string; appeal: { kind: AppealKind; note: string } }
  | { on: string; appealDecided: AppealResult };

interface DemoRequest {
  /** What the demo shows with it (for the log and the reader of this file). */
  shows: string;
  channel: RequestChannel;
  applicantType: ApplicantType;
  applicantName: string;
  applicantContact: string;
  content: string;
  topic: string;
  unit: string;
  submittedOn: string;
  /** By post: the day the agency signed for it (the clock counts from it). */
  receivedOn?: string;
  steps: Step[];
}

const ART = '《中华人民共和国政府信息公开条例》';

/**
 * 济宁市公安局兖州分局's information requests of 2024 (依申请公开), as its openness office would have
 * registered and handled them: one of each outcome of the annual report's Table 3 (予以公开, 部分公开,
 * 不予公开 with its reason, 无法提供, 不予处理, 其他处理), one corrected (补正), one with a third party
 * consulted, one extended, one still unanswered past its due date, one taken to administrative
 * reconsideration, and one received in the last days of 2024 and answered in January 2025. Topics of a
 * public-security branch: 户籍, 出入境, 治安处罚, 交通管理, 犬类管理. Applicants are anonymised as the
 * annual reports do.
 */
export const YANZHOU_2024_REQUESTS: DemoRequest[] = [
  {
    shows: '予以公开',
    channel: RequestChannel.ONLINE,
    applicantType: ApplicantType.NATURAL_PERSON,
    applicantName: '张某某',
    applicantContact: '138****2217',
    content: '申请公开兖州区户口迁入（投靠、购房落户）的办理条件、所需材料和办理依据。',
    topic: '户口迁入办理条件',
    unit: '户籍科',
    submittedOn: '2024-01-15',
    steps: [{ on: '2024-01-26', reply: { outcome: RequestOutcome.DISCLOSED, legalBasis: `${ART}第三十六条第（二）项；已提供《兖州区户口迁移办事指南》。` } }],
  },
  {
    shows: '予以公开（当面）',
    channel: RequestChannel.IN_PERSON,
    applicantType: ApplicantType.NATURAL_PERSON,
    applicantName: '刘某',
    applicantContact: '139****0645',
    content: '申请公开兖州分局出入境接待大厅办理往来港澳通行证的材料清单和办理时限。',
    topic: '出入境证件办理',
    unit: '出入境管理大队',
    submittedOn: '2024-03-04',
    steps: [{ on: '2024-03-15', reply: { outcome: RequestOutcome.DISCLOSED, legalBasis: `${ART}第三十六条第（二）项；已提供办理材料清单及时限说明。` } }],
  },
  {
    shows: '不予公开（行政执法案卷），申请人申请行政复议，复议维持',
    channel: RequestChannel.LETTER,
    applicantType: ApplicantType.NATURAL_PERSON,
    applicantName: '孙某某',
    applicantContact: '兖州区新兖镇××村',
    content: '申请公开兖州分局对本人作出的治安管理处罚决定所依据的全部询问笔录、证人证言等调查材料。',
    topic: '治安处罚案卷',
    unit: '法制大队',
    submittedOn: '2024-04-08',
    receivedOn: '2024-04-10',
    steps: [
      {
        on: '2024-04-26',
        reply: {
          outcome: RequestOutcome.WITHHELD_ENFORCEMENT_FILE,
          legalBasis: `${ART}第十六条第二款：申请公开的询问笔录、证人证言属于行政执法案卷信息，不予公开；申请人可依照《公安机关办理行政案件程序规定》申请查阅相关材料。`,
        },
      },
      { on: '2024-05-20', appeal: { kind: AppealKind.RECONSIDERATION, note: '申请人向兖州区人民政府申请行政复议，请求撤销不予公开答复。' } },
      { on: '2024-07-15', appealDecided: AppealResult.UPHELD },
    ],
  },
  {
    shows: '征求第三方意见后部分公开',
    channel: RequestChannel.ONLINE,
    applicantType: ApplicantType.COMMERCIAL_ENTERPRISE,
    applicantName: '济宁某汽车救援服务有限公司',
    applicantContact: '0537-34****6',
    content: '申请公开兖州分局交警大队与兖州某清障救援有限公司签订的事故车辆拖移停放委托协议及收费标准。',
    topic: '事故车辆拖移停放',
    unit: '交警大队',
    submittedOn: '2024-05-13',
    steps: [
      { on: '2024-05-20', consult: { kind: ConsultationKind.THIRD_PARTY, party: '兖州某清障救援有限公司' } },
      { on: '2024-06-04', consultationEnds: true },
      {
        on: '2024-06-14',
        reply: {
          outcome: RequestOutcome.PARTIALLY_DISCLOSED,
          legalBasis: `${ART}第十五条、第三十二条、第三十七条：第三方认为协议中的成本核算部分涉及商业秘密、不同意公开，经审查予以区分处理；公开委托协议主要条款及收费标准。`,
        },
      },
    ],
  },
  {
    shows: '补正后无法提供（需另行制作）',
    channel: RequestChannel.ONLINE,
    applicantType: ApplicantType.NATURAL_PERSON,
    applicantName: '王某',
    applicantContact: '137****5580',
    content: '申请公开养犬有关的文件。',
    topic: '犬类管理',
    unit: '治安大队',
    submittedOn: '2024-06-17',
    steps: [
      { on: '2024-06-19', correction: '申请内容不明确：请写明所需政府信息的名称、文号或者便于查询的其他特征性描述（如涉及的年度、区域、事项）。' },
      { on: '2024-06-24', corrected: true },
      {
        on: '2024-07-10',
        reply: {
          outcome: RequestOutcome.UNAVAILABLE_NEEDS_CREATION,
          legalBasis: `${ART}第三十八条：补正后申请公开2023年城区各街道养犬登记数量分类统计，本机关未制作该统计，需要对现有信息进行加工、分析，不予提供。`,
        },
      },
    ],
  },
  {
    shows: '延长答复期限后予以公开',
    channel: RequestChannel.LETTER,
    applicantType: ApplicantType.LEGAL_SERVICE_INSTITUTION,
    applicantName: '山东某律师事务所',
    applicantContact: '0537-22****3',
    content: '申请公开2023年兖州区道路交通事故按乡镇（街道）分布的起数、死亡人数和受伤人数统计。',
    topic: '道路交通事故统计',
    unit: '交警大队',
    submittedOn: '2024-08-05',
    receivedOn: '2024-08-07',
    steps: [
      { on: '2024-08-30', extend: { days: 15, reason: '所需统计分散在各中队事故档案中，需逐一核对，不能在20个工作日内答复。', approvedBy: '许可服务科科长' } },
      { on: '2024-09-20', reply: { outcome: RequestOutcome.DISCLOSED, legalBasis: `${ART}第三十三条第二款、第三十六条第（二）项；已提供统计表。` } },
    ],
  },
  {
    shows: '不予处理（信访举报投诉类）',
    channel: RequestChannel.IN_PERSON,
    applicantType: ApplicantType.NATURAL_PERSON,
    applicantName: '赵某某',
    applicantContact: '135****7132',
    content: '举报邻居饲养烈性犬多次伤人，要求公安机关依法查处并公开处理结果。',
    topic: '举报投诉',
    unit: '治安大队',
    submittedOn: '2024-09-09',
    steps: [
      {
        on: '2024-09-13',
        reply: {
          outcome: RequestOutcome.NOT_PROCESSED_PETITION,
          legalBasis: `${ART}第三十九条第一款：以政府信息公开申请的形式进行举报投诉，不作为政府信息公开申请处理，已告知申请人通过110报警或信访渠道反映。`,
        },
      },
    ],
  },
  {
    shows: '其他处理（逾期不补正）',
    channel: RequestChannel.EMAIL,
    applicantType: ApplicantType.NATURAL_PERSON,
    applicantName: '陈某',
    applicantContact: 'c***@163.com',
    content: '申请公开派出所的相关材料。',
    topic: '',
    unit: '指挥中心秘书科',
    submittedOn: '2024-10-14',
    steps: [
      { on: '2024-10-16', correction: '申请内容不明确：请写明所涉派出所名称及所需材料的名称、形成时间等特征性描述，并于收到本通知之日起15个工作日内补正。' },
      {
        on: '2024-11-15',
        reply: {
          outcome: RequestOutcome.OTHER_NOT_CORRECTED,
          legalBasis: `${ART}第三十条：申请人无正当理由逾期不补正，视为放弃申请，本机关不再处理该政府信息公开申请。`,
        },
      },
    ],
  },
  {
    shows: '逾期未答复（仍在办理）',
    channel: RequestChannel.ONLINE,
    applicantType: ApplicantType.NATURAL_PERSON,
    applicantName: '李某某',
    applicantContact: '186****3309',
    content: '申请公开2024年兖州分局机动车驾驶人考试考场设置情况及考试员名单。',
    topic: '驾驶人考试',
    unit: '交警大队',
    submittedOn: '2024-11-25',
    steps: [],
  },
  {
    shows: '2024年12月收到、2025年1月答复（结转下年度）',
    channel: RequestChannel.LETTER,
    applicantType: ApplicantType.NATURAL_PERSON,
    applicantName: '周某',
    applicantContact: '兖州区鼓楼街道××小区',
    content: '申请公开2024年兖州区电动自行车登记上牌数量及各登记服务网点地址、办理时间。',
    topic: '电动自行车登记',
    unit: '交警大队',
    submittedOn: '2024-12-24',
    receivedOn: '2024-12-26',
    steps: [{ on: '2025-01-08', reply: { outcome: RequestOutcome.DISCLOSED, legalBasis: `${ART}第三十六条第（二）项；已提供登记数量及服务网点信息。` } }],
  },
];

export interface RequestDemoSeed {
  /** Registration numbers in the order of YANZHOU_2024_REQUESTS. */
  numbers: string[];
}

/**
 * The request demo, through the workflow services as yanzhou.admin (许可服务科, the openness office),
 * each action dated with `withToday` on the day it happened: registration, correction notices and
 * corrections, a third-party consultation, an extension, replies, a reconsideration and its decision.
 * The maintained request figures follow from the triggers. Skips (returns null) when 兖州分局 already
 * has requests of 2024.
 */
export async function seedRequestDemo(orm: MikroORM, log: Logger): Promise<RequestDemoSeed | null> {
  const em = orm.em.fork() as EntityManager;
  const account = await em.findOneOrFail(Account, { username: 'yanzhou.admin' });
  const yanzhou: Demo = { id: account.id, agencyId: account.agency.id };
  if ((await em.count(InfoRequest, { agency: yanzhou.agencyId, year: 2024 })) > 0) return null;
  const as = <T>(on: string, work: (ctx: RequestContext) => Promise<T>) => withToday(on, () => runAsAccount(orm, yanzhou, log, work));
  const unitId = async (name: string) => (await em.findOneOrFail(Unit, { agency: yanzhou.agencyId, name })).id;

  const numbers: string[] = [];
  for (const r of YANZHOU_2024_REQUESTS) {
    const unit = await unitId(r.unit);
    const registered = await as(r.receivedOn ?? r.submittedOn, (ctx) =>
      requestService.register(ctx, {
        agencyId: yanzhou.agencyId,
        channel: r.channel,
        applicantType: r.applicantType,
        applicantName: r.applicantName,
        applicantContact: r.applicantContact,
        content: r.content,
        topic: r.topic || null,
        submittedOn: r.submittedOn,
        receivedOn: r.receivedOn ?? null,
        unitId: unit,
      }),
    );
    const id = registered.id;
    numbers.push(registered.number);
    let consultationId: string | null = null;
    let appealId: string | null = null;
    for (const s of r.steps) {
      if ('correction' in s) {
        await as(s.on, (ctx) => requestWorkflow.requestCorrection(ctx, { id, noticeOn: s.on, text: s.correction }));
      } else if ('corrected' in s) {
        await as(s.on, (ctx) => requestWorkflow.recordCorrection(ctx, { id, correctedOn: s.on }));
      } else if ('consult' in s) {
        const started = await as(s.on, (ctx) => requestWorkflow.startConsultation(ctx, { id, kind: s.consult.kind, party: s.consult.party, startedOn: s.on }));
        consultationId = started.consultation.id;
      } else if ('consultationEnds' in s) {
        await as(s.on, (ctx) => requestWorkflow.endConsultation(ctx, { consultationId: consultationId!, endedOn: s.on }));
      } else if ('extend' in s) {
        await as(s.on, (ctx) => requestWorkflow.extend(ctx, { id, days: s.extend.days, reason: s.extend.reason, approvedBy: s.extend.approvedBy, noticeOn: s.on }));
      } else if ('reply' in s) {
        await as(s.on, (ctx) => requestWorkflow.reply(ctx, { id, outcome: s.reply.outcome, repliedOn: s.on, legalBasis: s.reply.legalBasis, fee: null }));
      } else if ('appeal' in s) {
        const filed = await as(s.on, (ctx) => requestAppeals.recordAppeal(ctx, { requestId: id, kind: s.appeal.kind, filedOn: s.on, result: null, decidedOn: null, note: s.appeal.note }));
        appealId = filed.appeal.id;
      } else {
        await as(s.on, (ctx) => requestAppeals.decideAppeal(ctx, { id: appealId!, result: s.appealDecided, decidedOn: s.on }));
      }
    }
  }
  log.info({ agency: '济宁市公安局兖州分局', year: 2024, requests: numbers.length }, 'demo information requests seeded');
  return { numbers };
}
