import { sql } from '../../src/db/sql';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems } from '../support/publication-fixtures';

const REQ = `id number year channel applicantType applicantName topic submittedOn receivedOn correctionNoticeOn correctedOn
  extensionDays extensionApprovedBy dueOn dueProvisional outcome repliedOn legalBasis feeMethod feePages feeAmount state correctionDue
  agency { code } unit { code } catalogueItem { id }
  deadline { due provisional paused awaitingCorrection clockStart yearsConsulted explanation { summary start steps { date kind ordinal name } } }
  history { kind happenedOn detail actor }
  consultations { id kind party startedOn endedOn responseDue }
  appeals { id kind filedOn result decidedOn note }`;
const GET = `query($id: ID!) { infoRequest(id: $id) { ${REQ} } }`;
const LIST = `query($f: InfoRequestFilter, $first: Int, $after: String) { infoRequests(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id number state dueOn agency { code } } } } }`;
const m = (name: string, input: string, payload = `infoRequest { ${REQ} }`) => `mutation($i: ${input}!) { ${name}(input: $i) { ${payload} } }`;
const REGISTER = m('registerInfoRequest', 'RegisterInfoRequestInput');
const ASSIGN = m('assignInfoRequest', 'AssignInfoRequestInput');
const CLASSIFY = m('classifyInfoRequest', 'ClassifyInfoRequestInput');
const CORRECTION = m('requestCorrection', 'RequestCorrectionInput');
const CORRECTED = m('recordCorrection', 'RecordCorrectionInput');
const START = m('startConsultation', 'StartConsultationInput', `consultation { id kind party startedOn endedOn responseDue request { id } } infoRequest { ${REQ} }`);
const END = m('endConsultation', 'EndConsultationInput', `consultation { id endedOn } infoRequest { ${REQ} }`);
const EXTEND = m('extendInfoRequest', 'ExtendInfoRequestInput');
const REPLY = m('replyInfoRequest', 'ReplyInfoRequestInput');
const APPEAL = m('recordAppeal', 'RecordAppealInput', `appeal { id kind filedOn result decidedOn note request { id } } infoRequest { ${REQ} }`);
const DECIDE = m('decideAppeal', 'DecideAppealInput', `appeal { id result decidedOn } infoRequest { ${REQ} }`);
const CONVERT = m('convertToProactive', 'ConvertToProactiveInput', `catalogueItem { id name } converted infoRequests { id number catalogueItem { id } history { kind } }`);
const CANDIDATES = `query($f: DisclosureCandidateFilter) { disclosureCandidates(filter: $f) { agencyId agency { code } topic applicants requests firstReceivedOn lastReceivedOn } }`;
const SET_CALENDAR = `mutation($i: SetCalendarEntriesInput!) { setCalendarEntries(input: $i) { change { affectedYears recomputed changed } } }`;

type GqlError = { message: string; extensions: Record<string, any> };

/** The test world: province p → city c (units c-a, c-b) and city d beside it; another province x. */
async function world(h: Harness) {
  await h.tree([
    { code: 'p', units: ['p-office'], children: [{ code: 'c', units: ['c-a', 'c-b'] }, { code: 'd', units: ['d-u'] }] },
    { code: 'x', units: ['x-u'] },
  ]);
  const tok: Record<string, string> = {};
  const id: Record<string, string> = {};
  for (const a of ['p', 'c', 'd', 'x']) {
    id[a] = (await h.agency(a)).id;
    // p's administrator is also the deployment's calendar operator (the calendar corrections below).
    tok[a] = (await h.account({ agency: a, roles: [Role.AGENCY_ADMIN], calendarOperator: a === 'p' })).token;
  }
  tok.pView = (await h.account({ agency: 'p', roles: [Role.SUPERIOR_VIEWER] })).token;
  tok.liaisonA = (await h.account({ agency: 'c', roles: [Role.UNIT_LIAISON], unit: 'c-a', username: 'c.liaison.a' })).token;
  tok.liaisonB = (await h.account({ agency: 'c', roles: [Role.UNIT_LIAISON], unit: 'c-b', username: 'c.liaison.b' })).token;
  for (const [a, u] of [['c', 'c-a'], ['c', 'c-b'], ['p', 'p-office'], ['x', 'x-u']] as const) id[u] = (await h.unit(a, u)).id;
  return { tok, id };
}

function client(h: Harness) {
  const ok = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await h.gql(query, variables, token);
    if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
    return res.data!;
  };
  const fails = async (query: string, variables: Record<string, unknown>, token: string): Promise<GqlError> => {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeDefined();
    expect(res.data === null || Object.values(res.data).every((v) => v === null)).toBe(true);
    return res.errors![0]! as GqlError;
  };
  /** Every request row (all columns), history, consultation and appeal, outside the gate. */
  const snapshot = async () =>
    (
      await sql<Record<string, string>>(
        h.em(),
        `select (select md5(coalesce(string_agg(r::text, '|' order by r.id), '')) from info_request r) as requests,
                (select count(*) from request_event) as events,
                (select md5(coalesce(string_agg(c::text, '|' order by c.id), '')) from request_consultation c) as consultations,
                (select md5(coalesce(string_agg(a::text, '|' order by a.id), '')) from request_appeal a) as appeals`,
      )
    )[0]!;
  /** A refusal with this code and field that changes nothing. */
  const refused = async (query: string, variables: Record<string, unknown>, token: string, code: string, field?: string) => {
    const before = await snapshot();
    const err = await fails(query, variables, token);
    expect({ code: err.extensions.code, field: err.extensions.field }).toEqual({ code, field });
    expect(await snapshot()).toEqual(before);
    return err;
  };
  return { ok, fails, refused, snapshot };
}

describe('information requests: registration, the statutory clock, replies, appeals', () => {
  let h: Harness;
  let tok: Record<string, string>;
  let id: Record<string, string>;
  let api: ReturnType<typeof client>;
  const get = async (requestId: string, token = tok.c!) => (await api.ok(GET, { id: requestId }, token)).infoRequest;
  const register = async (input: Record<string, unknown>, token = tok.c!) =>
    (
      await api.ok(
        REGISTER,
        { i: { agencyId: id.c, channel: 'IN_PERSON', applicantType: 'NATURAL_PERSON', applicantName: '张三', content: '申请公开某文件', ...input } },
        token,
      )
    ).registerInfoRequest.infoRequest;

  beforeAll(async () => {
    setFixedToday('2024-01-26');
    h = await startHarness();
    ({ tok, id } = await world(h));
    api = client(h);
  }, 120_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  describe('a request through correction, consultation and extension across Spring Festival 2024', () => {
    let r: any;

    it('registers in person: received the day it is handed in, numbered YSQ-2024-0001, due 20 working days later (2024-02-28)', async () => {
      r = await register({ submittedOn: '2024-01-26', applicantContact: '138xxxx', topic: '户籍迁移政策' });
      expect(r).toMatchObject({
        number: 'YSQ-2024-0001',
        year: 2024,
        channel: 'IN_PERSON',
        receivedOn: '2024-01-26',
        dueOn: '2024-02-28',
        dueProvisional: false,
        state: 'OPEN',
        correctionDue: '2024-02-05',
        agency: { code: 'c' },
        unit: null,
        outcome: null,
        deadline: { due: '2024-02-28', provisional: false, paused: false, awaitingCorrection: false, clockStart: '2024-01-26', yearsConsulted: [2024] },
      });
      expect(r.deadline.explanation.summary).toContain('跳过春节8天（2024-02-10至2024-02-17）');
      expect(r.deadline.explanation.steps.find((s: any) => s.date === '2024-02-18')).toEqual({ date: '2024-02-18', kind: 'COUNTED_MAKEUP_WORKDAY', ordinal: 12, name: '春节' });
      expect(r.history).toEqual([expect.objectContaining({ kind: 'REGISTERED', happenedOn: '2024-01-26' })]);
    });

    it('numbers per agency and year: a letter signed for today is 0002; concurrent registrations never collide', async () => {
      const letter = await register({ channel: 'LETTER', submittedOn: '2024-01-23', receivedOn: '2024-01-26', applicantType: 'LEGAL_SERVICE_INSTITUTION', applicantName: '某律师事务所' });
      expect(letter).toMatchObject({ number: 'YSQ-2024-0002', receivedOn: '2024-01-26', submittedOn: '2024-01-23', applicantType: 'LEGAL_SERVICE_INSTITUTION' });
      const online = await register({ channel: 'ONLINE', submittedOn: '2024-01-25' });
      expect(online).toMatchObject({ number: 'YSQ-2024-0003', receivedOn: '2024-01-25' });
      const many = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => h.gql(REGISTER, { i: { agencyId: id.c, channel: 'FAX', applicantType: 'OTHER_ORGANISATION', applicantName: `单位${n}`, content: '并发', submittedOn: '2024-01-26' } }, tok.c!)),
      );
      expect(many.map((res) => res.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(many.map((res) => res.data!.registerInfoRequest.infoRequest.number).sort()).toEqual([
        'YSQ-2024-0004', 'YSQ-2024-0005', 'YSQ-2024-0006', 'YSQ-2024-0007', 'YSQ-2024-0008',
      ]);
      // another agency starts at 0001 (numbers are per agency)
      const atD = await register({ agencyId: id.d, submittedOn: '2024-01-26' }, tok.d!);
      expect(atD.number).toBe('YSQ-2024-0001');
    });

    it('refuses bad registrations by field and writes nothing', async () => {
      const base = { agencyId: id.c, channel: 'IN_PERSON', applicantType: 'NATURAL_PERSON', applicantName: '李四', content: '申请', submittedOn: '2024-01-26' };
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ channel: 'LETTER' }, 'BAD_USER_INPUT', 'input.receivedOn'],
        [{ channel: 'LETTER', submittedOn: '2024-01-25', receivedOn: '2024-01-24' }, 'BAD_USER_INPUT', 'input.receivedOn'],
        [{ channel: 'IN_PERSON', receivedOn: '2024-01-25' }, 'BAD_USER_INPUT', 'input.receivedOn'],
        [{ channel: 'ONLINE', submittedOn: '2024-01-25', receivedOn: '2024-01-29' }, 'BAD_USER_INPUT', 'input.receivedOn'],
        [{ submittedOn: '2024-01-27' }, 'BAD_USER_INPUT', 'input.submittedOn'],
        [{ applicantName: '  ' }, 'BAD_USER_INPUT', 'input.applicantName'],
        [{ content: '' }, 'BAD_USER_INPUT', 'input.content'],
        [{ unitId: id['x-u'] }, 'NOT_FOUND', 'input.unitId'],
        // a request of another agency: outside the caller's subtree it does not exist
        [{ agencyId: id.x }, 'NOT_FOUND', 'input.agencyId'],
        [{ agencyId: id.d }, 'NOT_FOUND', 'input.agencyId'],
      ];
      for (const [over, code, field] of cases) await api.refused(REGISTER, { i: { ...base, ...over } }, tok.c!, code, field);
      // the province's administrator may register for the city, but not with a unit of its own
      await api.refused(REGISTER, { i: { ...base, unitId: id['p-office'] } }, tok.p!, 'BAD_USER_INPUT', 'input.unitId');
      await api.refused(REGISTER, { i: base }, tok.liaisonA!, 'FORBIDDEN');
      await api.refused(REGISTER, { i: base }, tok.pView!, 'FORBIDDEN');
    });

    it('assigns to a unit of the agency only', async () => {
      await api.refused(ASSIGN, { i: { id: r.id, unitId: id['p-office'] } }, tok.p!, 'BAD_USER_INPUT', 'input.unitId');
      const assigned = (await api.ok(ASSIGN, { i: { id: r.id, unitId: id['c-a'] } }, tok.c!)).assignInfoRequest.infoRequest;
      expect(assigned.unit).toEqual({ code: 'c-a' });
      expect(assigned.history.map((e: any) => e.kind)).toEqual(['REGISTERED', 'ASSIGNED']);
    });

    it('a correction notice after 7 working days is refused; within them it stops the clock until the corrected request arrives', async () => {
      setFixedToday('2024-02-06');
      const late = await api.refused(CORRECTION, { i: { id: r.id, noticeOn: '2024-02-06', text: '请补充具体文号' } }, tok.c!, 'BAD_USER_INPUT', 'input.noticeOn');
      expect(late.message).toContain('2024-02-05');
      await api.refused(CORRECTION, { i: { id: r.id, noticeOn: '2024-01-25', text: '请补充具体文号' } }, tok.c!, 'BAD_USER_INPUT', 'input.noticeOn');
      await api.refused(CORRECTION, { i: { id: r.id, noticeOn: '2024-02-07', text: '请补充具体文号' } }, tok.c!, 'BAD_USER_INPUT', 'input.noticeOn');
      await api.refused(CORRECTION, { i: { id: r.id, noticeOn: '2024-02-05', text: ' ' } }, tok.c!, 'BAD_USER_INPUT', 'input.text');
      await api.refused(CORRECTION, { i: { id: r.id, noticeOn: '2024-02-05', text: '请补充具体文号' } }, tok.liaisonA!, 'FORBIDDEN');
      const waiting = (await api.ok(CORRECTION, { i: { id: r.id, noticeOn: '2024-02-05', text: '请补充具体文号' } }, tok.c!)).requestCorrection.infoRequest;
      expect(waiting).toMatchObject({ correctionNoticeOn: '2024-02-05', dueOn: null, state: 'AWAITING_CORRECTION', deadline: { due: null, awaitingCorrection: true } });
      // one notice only
      await api.refused(CORRECTION, { i: { id: r.id, noticeOn: '2024-02-05', text: '再补充' } }, tok.c!, 'CONFLICT', 'input.id');
      // waiting: no extension, no consultation, and the only reply is closing it as not corrected
      await api.refused(EXTEND, { i: { id: r.id, days: 5, reason: 'x', approvedBy: '王主任', noticeOn: '2024-02-06' } }, tok.c!, 'CONFLICT', 'input.id');
      await api.refused(START, { i: { id: r.id, kind: 'THIRD_PARTY', party: '某公司', startedOn: '2024-02-06' } }, tok.c!, 'CONFLICT', 'input.id');
      await api.refused(REPLY, { i: { id: r.id, outcome: 'DISCLOSED', repliedOn: '2024-02-06', legalBasis: '条例第三十六条' } }, tok.c!, 'BAD_USER_INPUT', 'input.outcome');
    });

    it('the corrected request restarts the clock: arrived Thu 02-08, due Wed 03-13', async () => {
      setFixedToday('2024-02-08');
      await api.refused(CORRECTED, { i: { id: r.id, correctedOn: '2024-02-04' } }, tok.c!, 'BAD_USER_INPUT', 'input.correctedOn');
      await api.refused(CORRECTED, { i: { id: r.id, correctedOn: '2024-02-09' } }, tok.c!, 'BAD_USER_INPUT', 'input.correctedOn');
      const corrected = (await api.ok(CORRECTED, { i: { id: r.id, correctedOn: '2024-02-08' } }, tok.c!)).recordCorrection.infoRequest;
      expect(corrected).toMatchObject({ correctedOn: '2024-02-08', dueOn: '2024-03-13', state: 'OPEN', deadline: { due: '2024-03-13', clockStart: '2024-02-08' } });
      expect(corrected.deadline.explanation.summary).toContain('2024-02-08收到补正后的申请，答复期限自该日起重新计算');
      await api.refused(CORRECTED, { i: { id: r.id, correctedOn: '2024-02-08' } }, tok.c!, 'CONFLICT', 'input.id');
    });

    it('a consultation started by the assigned unit’s liaison stops the clock; its end moves the due date by its days', async () => {
      setFixedToday('2024-02-19');
      await api.refused(START, { i: { id: r.id, kind: 'OTHER_AGENCY', party: '市自然资源局', startedOn: '2024-02-19' } }, tok.liaisonB!, 'FORBIDDEN');
      await api.refused(START, { i: { id: r.id, kind: 'OTHER_AGENCY', party: '市自然资源局', startedOn: '2024-02-07' } }, tok.liaisonA!, 'BAD_USER_INPUT', 'input.startedOn');
      await api.refused(START, { i: { id: r.id, kind: 'OTHER_AGENCY', party: '', startedOn: '2024-02-19' } }, tok.liaisonA!, 'BAD_USER_INPUT', 'input.party');
      const started = (await api.ok(START, { i: { id: r.id, kind: 'OTHER_AGENCY', party: '市自然资源局', startedOn: '2024-02-19' } }, tok.liaisonA!)).startConsultation;
      expect(started.consultation).toMatchObject({ kind: 'OTHER_AGENCY', party: '市自然资源局', startedOn: '2024-02-19', endedOn: null, responseDue: null, request: { id: r.id } });
      expect(started.infoRequest).toMatchObject({ state: 'IN_CONSULTATION', dueOn: null, deadline: { due: null, paused: true } });
      expect(started.infoRequest.deadline.explanation.summary).toContain('已计2个工作日');
      // while it is open, no reply
      await api.refused(REPLY, { i: { id: r.id, outcome: 'DISCLOSED', repliedOn: '2024-02-19', legalBasis: '条例第三十六条' } }, tok.c!, 'CONFLICT', 'input.id');

      setFixedToday('2024-02-23');
      await api.refused(END, { i: { consultationId: started.consultation.id, endedOn: '2024-02-18' } }, tok.liaisonA!, 'BAD_USER_INPUT', 'input.endedOn');
      await api.refused(END, { i: { consultationId: started.consultation.id, endedOn: '2024-02-24' } }, tok.liaisonA!, 'BAD_USER_INPUT', 'input.endedOn');
      const ended = (await api.ok(END, { i: { consultationId: started.consultation.id, endedOn: '2024-02-23' } }, tok.liaisonA!)).endConsultation;
      // 02-09 #1, 02-18 #2; 02-19…23 not counted; 02-26 … 03-20 #3 … #20
      expect(ended.infoRequest).toMatchObject({ dueOn: '2024-03-20', state: 'OPEN', deadline: { paused: false } });
      expect(ended.infoRequest.deadline.explanation.summary).toContain('暂停计算5天（2024-02-19至2024-02-23）');
      await api.refused(END, { i: { consultationId: started.consultation.id, endedOn: '2024-02-23' } }, tok.c!, 'CONFLICT', 'input.consultationId');
    });

    it('one extension of at most 20 working days, decided by the due date: +5 → 03-27; a second is a conflict', async () => {
      setFixedToday('2024-03-21');
      const ext = { id: r.id, days: 5, reason: '需调取档案', approvedBy: '政务公开办王主任', noticeOn: '2024-03-01' };
      await api.refused(EXTEND, { i: { ...ext, days: 21 } }, tok.c!, 'BAD_USER_INPUT', 'input.days');
      await api.refused(EXTEND, { i: { ...ext, days: 0 } }, tok.c!, 'BAD_USER_INPUT', 'input.days');
      await api.refused(EXTEND, { i: { ...ext, reason: '' } }, tok.c!, 'BAD_USER_INPUT', 'input.reason');
      await api.refused(EXTEND, { i: { ...ext, approvedBy: ' ' } }, tok.c!, 'BAD_USER_INPUT', 'input.approvedBy');
      await api.refused(EXTEND, { i: { ...ext, noticeOn: '2024-03-21' } }, tok.c!, 'BAD_USER_INPUT', 'input.noticeOn'); // after the due date 03-20
      await api.refused(EXTEND, { i: { ...ext, noticeOn: '2024-03-22' } }, tok.c!, 'BAD_USER_INPUT', 'input.noticeOn'); // in the future
      await api.refused(EXTEND, { i: ext }, tok.liaisonA!, 'FORBIDDEN');
      const extended = (await api.ok(EXTEND, { i: ext }, tok.c!)).extendInfoRequest.infoRequest;
      expect(extended).toMatchObject({ extensionDays: 5, extensionApprovedBy: '政务公开办王主任', dueOn: '2024-03-27', state: 'OPEN' });
      expect(extended.deadline.explanation.summary).toContain('原截止2024-03-20；延长5个工作日');
      await api.refused(EXTEND, { i: { ...ext, days: 3 } }, tok.c!, 'CONFLICT', 'input.id');
    });

    it('is due soon and then overdue as today moves', async () => {
      const at = async (today: string) => {
        setFixedToday(today);
        const one = await get(r.id);
        const soon = await api.ok(LIST, { f: { agencyId: id.c, state: 'DUE_SOON' } }, tok.c!);
        const overdue = await api.ok(LIST, { f: { agencyId: id.c, state: 'OVERDUE' } }, tok.c!);
        return {
          state: one.state,
          soon: soon.infoRequests.edges.some((e: any) => e.node.id === r.id),
          overdue: overdue.infoRequests.edges.some((e: any) => e.node.id === r.id),
        };
      };
      expect(await at('2024-03-21')).toEqual({ state: 'OPEN', soon: false, overdue: false }); // 03-22, 25, 26, 27 left
      expect(await at('2024-03-22')).toEqual({ state: 'DUE_SOON', soon: true, overdue: false });
      expect(await at('2024-03-27')).toEqual({ state: 'DUE_SOON', soon: true, overdue: false });
      expect(await at('2024-03-28')).toEqual({ state: 'OVERDUE', soon: false, overdue: true });
    });

    it('replies: bad dates, outcomes and fees are refused by field; the fee is computed by the rules', async () => {
      setFixedToday('2024-03-27');
      const reply = { id: r.id, outcome: 'DISCLOSED', repliedOn: '2024-03-27', legalBasis: '《政府信息公开条例》第三十六条第（二）项' };
      await api.refused(REPLY, { i: { ...reply, repliedOn: '2024-01-25' } }, tok.c!, 'BAD_USER_INPUT', 'input.repliedOn'); // before receipt
      await api.refused(REPLY, { i: { ...reply, repliedOn: '2024-02-07' } }, tok.c!, 'BAD_USER_INPUT', 'input.repliedOn'); // before the correction
      await api.refused(REPLY, { i: { ...reply, repliedOn: '2024-03-28' } }, tok.c!, 'BAD_USER_INPUT', 'input.repliedOn'); // future
      await api.refused(REPLY, { i: { ...reply, legalBasis: ' ' } }, tok.c!, 'BAD_USER_INPUT', 'input.legalBasis');
      await api.refused(REPLY, { i: { ...reply, outcome: 'OTHER_NOT_CORRECTED' } }, tok.c!, 'BAD_USER_INPUT', 'input.outcome'); // it was corrected
      await api.refused(REPLY, { i: { ...reply, fee: { method: 'PER_REQUEST', pages: 40 } } }, tok.c!, 'BAD_USER_INPUT', 'input.fee.pages');
      await api.refused(REPLY, { i: { ...reply, fee: { method: 'PER_PAGE' } } }, tok.c!, 'BAD_USER_INPUT', 'input.fee.pages');
      await api.refused(REPLY, { i: { ...reply, fee: { method: 'PER_PAGE', pages: 0 } } }, tok.c!, 'BAD_USER_INPUT', 'input.fee.pages');
      await api.refused(REPLY, { i: { ...reply, outcome: 'WITHHELD_STATE_SECRET', fee: { method: 'PER_PAGE', pages: 50 } } }, tok.c!, 'BAD_USER_INPUT', 'input.fee');
      await api.refused(REPLY, { i: { ...reply, outcome: 'OTHER_FEE_UNPAID' } }, tok.c!, 'BAD_USER_INPUT', 'input.fee');
      await api.refused(REPLY, { i: { ...reply, outcome: 'OTHER_FEE_UNPAID', fee: { method: 'PER_PAGE', pages: 30 } } }, tok.c!, 'BAD_USER_INPUT', 'input.fee');
      // an outcome outside the template is refused by the schema, naming the field
      const before = await api.snapshot();
      const outside = await api.fails(REPLY, { i: { ...reply, outcome: 'PARTLY_WITHHELD' } }, tok.c!);
      expect(outside.extensions.code).toBe('BAD_USER_INPUT');
      expect(outside.message).toContain('outcome');
      expect(outside.extensions.field).toBe('i.outcome');
      expect(outside.message).not.toMatch(/Did you mean/);
      expect(await api.snapshot()).toEqual(before);

      const answered = (await api.ok(REPLY, { i: { ...reply, fee: { method: 'PER_PAGE', pages: 101 } } }, tok.c!)).replyInfoRequest.infoRequest;
      expect(answered).toMatchObject({
        outcome: 'DISCLOSED',
        repliedOn: '2024-03-27',
        feeMethod: 'PER_PAGE',
        feePages: 101,
        feeAmount: 720,
        state: 'ANSWERED',
        dueOn: '2024-03-27',
      });
      expect(answered.history.at(-1)).toMatchObject({ kind: 'REPLIED', happenedOn: '2024-03-27', detail: expect.stringContaining('合计720元') });
      await api.refused(REPLY, { i: reply }, tok.c!, 'CONFLICT', 'input.id');
      await api.refused(ASSIGN, { i: { id: r.id, unitId: id['c-b'] } }, tok.c!, 'CONFLICT', 'input.id');
      // answered requests keep their state as time passes
      setFixedToday('2024-06-01');
      expect((await get(r.id)).state).toBe('ANSWERED');
    });

    it('records a lawsuit and its decision; bad dates and results are refused by field', async () => {
      setFixedToday('2024-04-15');
      const appeal = { requestId: r.id, kind: 'LAWSUIT_DIRECT', filedOn: '2024-04-10', note: '申请人不服答复' };
      await api.refused(APPEAL, { i: { ...appeal, filedOn: '2024-01-01' } }, tok.c!, 'BAD_USER_INPUT', 'input.filedOn');
      await api.refused(APPEAL, { i: { ...appeal, filedOn: '2024-04-16' } }, tok.c!, 'BAD_USER_INPUT', 'input.filedOn');
      await api.refused(APPEAL, { i: { ...appeal, result: 'UPHELD' } }, tok.c!, 'BAD_USER_INPUT', 'input.decidedOn');
      await api.refused(APPEAL, { i: { ...appeal, decidedOn: '2024-04-12' } }, tok.c!, 'BAD_USER_INPUT', 'input.decidedOn');
      await api.refused(APPEAL, { i: { ...appeal, result: 'UPHELD', decidedOn: '2024-04-09' } }, tok.c!, 'BAD_USER_INPUT', 'input.decidedOn');
      const recorded = (await api.ok(APPEAL, { i: appeal }, tok.c!)).recordAppeal;
      expect(recorded.appeal).toMatchObject({ kind: 'LAWSUIT_DIRECT', filedOn: '2024-04-10', result: 'PENDING', decidedOn: null, note: '申请人不服答复', request: { id: r.id } });
      // a reconsideration decided when recorded
      const reconsidered = (await api.ok(APPEAL, { i: { requestId: r.id, kind: 'RECONSIDERATION', filedOn: '2024-04-01', result: 'CORRECTED', decidedOn: '2024-04-12' } }, tok.c!)).recordAppeal;
      expect(reconsidered.appeal).toMatchObject({ result: 'CORRECTED', decidedOn: '2024-04-12' });

      setFixedToday('2024-06-01');
      await api.refused(DECIDE, { i: { id: recorded.appeal.id, result: 'PENDING', decidedOn: '2024-06-01' } }, tok.c!, 'BAD_USER_INPUT', 'input.result');
      await api.refused(DECIDE, { i: { id: recorded.appeal.id, result: 'UPHELD', decidedOn: '2024-04-09' } }, tok.c!, 'BAD_USER_INPUT', 'input.decidedOn');
      await api.refused(DECIDE, { i: { id: recorded.appeal.id, result: 'UPHELD', decidedOn: '2024-06-02' } }, tok.c!, 'BAD_USER_INPUT', 'input.decidedOn');
      const decided = (await api.ok(DECIDE, { i: { id: recorded.appeal.id, result: 'UPHELD', decidedOn: '2024-06-01' } }, tok.c!)).decideAppeal;
      expect(decided.appeal).toMatchObject({ result: 'UPHELD', decidedOn: '2024-06-01' });
      await api.refused(DECIDE, { i: { id: recorded.appeal.id, result: 'OTHER', decidedOn: '2024-06-01' } }, tok.c!, 'CONFLICT', 'input.id');
      expect(decided.infoRequest.appeals.map((a: any) => [a.kind, a.result])).toEqual([
        ['RECONSIDERATION', 'CORRECTED'],
        ['LAWSUIT_DIRECT', 'UPHELD'],
      ]);
    });

    it('keeps everything that happened as history, in order', async () => {
      const full = await get(r.id);
      expect(full.history.map((e: any) => e.kind)).toEqual([
        'REGISTERED',
        'ASSIGNED',
        'CORRECTION_REQUESTED',
        'CORRECTED',
        'CONSULTATION_STARTED',
        'CONSULTATION_ENDED',
        'EXTENDED',
        'REPLIED',
        'APPEAL_RECORDED',
        'APPEAL_RECORDED',
        'APPEAL_DECIDED',
      ]);
      expect(full.history.every((e: any) => e.actor)).toBe(true);
      expect(full.consultations).toEqual([expect.objectContaining({ kind: 'OTHER_AGENCY', startedOn: '2024-02-19', endedOn: '2024-02-23' })]);
    });
  });

  describe('a third party consulted across National Day 2024, a late reply, and a request closed uncorrected', () => {
    it('received Fri 09-20; the third party has until 10-21; consulted 09-25 … 10-10 the reply is due 11-04; answered 11-05 is late', async () => {
      setFixedToday('2024-09-25');
      const r = await register({ channel: 'EMAIL', submittedOn: '2024-09-19', receivedOn: '2024-09-20', applicantName: '王五' });
      expect(r).toMatchObject({ receivedOn: '2024-09-20', dueOn: '2024-10-23' });
      const started = (await api.ok(START, { i: { id: r.id, kind: 'THIRD_PARTY', party: '某科技有限公司', startedOn: '2024-09-25' } }, tok.c!)).startConsultation;
      expect(started.consultation.responseDue).toBe('2024-10-21');
      expect(started.infoRequest.state).toBe('IN_CONSULTATION');
      setFixedToday('2024-10-08');
      const listed = await api.ok(LIST, { f: { state: 'IN_CONSULTATION' } }, tok.c!);
      expect(listed.infoRequests.edges.map((e: any) => e.node.id)).toEqual([r.id]);
      setFixedToday('2024-10-22');
      const lapse = await api.refused(END, { i: { consultationId: started.consultation.id, endedOn: '2024-10-22' } }, tok.c!, 'BAD_USER_INPUT', 'input.endedOn');
      expect(lapse.message).toContain('2024-10-21');
      const ended = (await api.ok(END, { i: { consultationId: started.consultation.id, endedOn: '2024-10-10' } }, tok.c!)).endConsultation.infoRequest;
      expect(ended).toMatchObject({ dueOn: '2024-11-04', state: 'OPEN' });
      setFixedToday('2024-11-05');
      expect((await get(r.id)).state).toBe('OVERDUE');
      const late = (await api.ok(REPLY, { i: { id: r.id, outcome: 'WITHHELD_THIRD_PARTY', repliedOn: '2024-11-05', legalBasis: '条例第十五条' } }, tok.c!)).replyInfoRequest.infoRequest;
      expect(late).toMatchObject({ state: 'ANSWERED_LATE', outcome: 'WITHHELD_THIRD_PARTY', feeAmount: null, dueOn: '2024-11-04' });
      expect(late.history.at(-1).detail).toContain('逾期');
    });

    it('no correction in time closes the request as an outcome of its own; only when a correction was asked for', async () => {
      setFixedToday('2024-09-05');
      const plain = await register({ submittedOn: '2024-09-02', applicantName: '赵六' });
      const r = await register({ submittedOn: '2024-09-02', applicantName: '赵六' });
      await api.ok(CORRECTION, { i: { id: r.id, noticeOn: '2024-09-05', text: '请明确所需信息的名称' } }, tok.c!);
      setFixedToday('2024-10-15');
      await api.refused(REPLY, { i: { id: plain.id, outcome: 'OTHER_NOT_CORRECTED', repliedOn: '2024-10-15', legalBasis: '条例第三十条' } }, tok.c!, 'BAD_USER_INPUT', 'input.outcome');
      await api.refused(REPLY, { i: { id: r.id, outcome: 'UNAVAILABLE_UNCLEAR_AFTER_CORRECTION', repliedOn: '2024-10-15', legalBasis: '条例第三十条' } }, tok.c!, 'BAD_USER_INPUT', 'input.outcome');
      await api.refused(REPLY, { i: { id: r.id, outcome: 'OTHER_NOT_CORRECTED', repliedOn: '2024-09-04', legalBasis: '条例第三十条' } }, tok.c!, 'BAD_USER_INPUT', 'input.repliedOn');
      const closed = (await api.ok(REPLY, { i: { id: r.id, outcome: 'OTHER_NOT_CORRECTED', repliedOn: '2024-10-15', legalBasis: '条例第三十条' } }, tok.c!)).replyInfoRequest.infoRequest;
      expect(closed).toMatchObject({ outcome: 'OTHER_NOT_CORRECTED', repliedOn: '2024-10-15', state: 'ANSWERED', dueOn: null });
      await api.refused(CORRECTED, { i: { id: r.id, correctedOn: '2024-10-15' } }, tok.c!, 'CONFLICT', 'input.id');
    });
  });

  describe('fees by request: the applicant’s requests to the agency in the calendar month', () => {
    it('the 10th is free, the 11th costs 100 元', async () => {
      setFixedToday('2024-05-31');
      const ids: string[] = [];
      for (let n = 1; n <= 11; n += 1) {
        ids.push((await register({ submittedOn: `2024-05-${String(n + 5).padStart(2, '0')}`, applicantName: '频繁申请人', applicantType: 'COMMERCIAL_ENTERPRISE' })).id);
      }
      // an April request and another applicant's do not count
      await register({ submittedOn: '2024-04-30', applicantName: '频繁申请人' });
      await register({ submittedOn: '2024-05-20', applicantName: '别人' });
      const reply = (i: number) => ({ id: ids[i], outcome: 'DISCLOSED', repliedOn: '2024-05-31', legalBasis: '条例第四十二条', fee: { method: 'PER_REQUEST' } });
      expect((await api.ok(REPLY, { i: reply(9) }, tok.c!)).replyInfoRequest.infoRequest).toMatchObject({ feeMethod: 'PER_REQUEST', feeAmount: 0, feePages: null });
      const eleventh = (await api.ok(REPLY, { i: reply(10) }, tok.c!)).replyInfoRequest.infoRequest;
      expect(eleventh.feeAmount).toBe(100);
      expect(eleventh.history.at(-1).detail).toContain('第11件申请');
    });
  });

  describe('依申请转主动: topics many applicants asked about', () => {
    it('surfaces topics with at least 3 distinct applicants not yet converted, and links them to a catalogue item', async () => {
      setFixedToday('2024-07-01');
      // 户籍迁移政策 already has 张三 (the first request); add two more applicants and a repeat
      for (const name of ['甲', '乙', '甲']) await register({ submittedOn: '2024-06-03', applicantName: name, topic: '户籍迁移政策' });
      for (const name of ['丙', '丁']) await register({ submittedOn: '2024-06-03', applicantName: name, topic: '出入境办理' });
      const other = await register({ submittedOn: '2024-06-03', applicantName: '戊' });
      await api.ok(CLASSIFY, { i: { id: other.id, topic: '出入境办理' } }, tok.c!);
      await register({ agencyId: id.d, submittedOn: '2024-06-03', applicantName: '己', topic: '户籍迁移政策' }, tok.d!);

      const candidates = (await api.ok(CANDIDATES, {}, tok.c!)).disclosureCandidates;
      expect(candidates).toEqual([
        { agencyId: id.c, agency: { code: 'c' }, topic: '户籍迁移政策', applicants: 3, requests: 4, firstReceivedOn: '2024-01-26', lastReceivedOn: '2024-06-03' },
        { agencyId: id.c, agency: { code: 'c' }, topic: '出入境办理', applicants: 3, requests: 3, firstReceivedOn: '2024-06-03', lastReceivedOn: '2024-06-03' },
      ]);
      expect((await api.ok(CANDIDATES, { f: { minApplicants: 4 } }, tok.c!)).disclosureCandidates).toEqual([]);
      expect((await api.ok(CANDIDATES, { f: { year: 2023 } }, tok.c!)).disclosureCandidates).toEqual([]);
      // the province sees its subtree; d alone has one applicant
      expect((await api.ok(CANDIDATES, { f: { minApplicants: 2 } }, tok.pView!)).disclosureCandidates.map((c: any) => c.topic)).toEqual(['户籍迁移政策', '出入境办理']);

      const cItems = (await catalogueWithItems(h, 'c', 2024, [{ name: '户籍办理指南', rule: null }])).items;
      const xItems = (await catalogueWithItems(h, 'x', 2024, [{ name: '户籍办理指南', rule: null }])).items;
      const dItems = (await catalogueWithItems(h, 'd', 2024, [{ name: '户籍办理指南', rule: null }])).items;
      await api.refused(CONVERT, { i: { topic: '户籍迁移政策', catalogueItemId: xItems['户籍办理指南'] } }, tok.c!, 'NOT_FOUND', 'input.catalogueItemId');
      await api.refused(CONVERT, { i: { topic: '户籍迁移政策', catalogueItemId: dItems['户籍办理指南'] } }, tok.c!, 'NOT_FOUND', 'input.catalogueItemId');
      await api.refused(CONVERT, { i: { topic: '不存在的事项', catalogueItemId: cItems['户籍办理指南'] } }, tok.c!, 'BAD_USER_INPUT', 'input.topic');
      await api.refused(CONVERT, { i: { topic: '户籍迁移政策', catalogueItemId: cItems['户籍办理指南'] } }, tok.liaisonA!, 'FORBIDDEN');
      const converted = (await api.ok(CONVERT, { i: { topic: '户籍迁移政策', catalogueItemId: cItems['户籍办理指南'] } }, tok.c!)).convertToProactive;
      expect(converted.converted).toBe(4);
      expect(converted.catalogueItem).toEqual({ id: cItems['户籍办理指南'], name: '户籍办理指南' });
      expect(converted.infoRequests.every((q: any) => q.catalogueItem?.id === cItems['户籍办理指南'] && q.history.at(-1).kind === 'CONVERTED_TO_PROACTIVE')).toBe(true);
      expect((await api.ok(CANDIDATES, {}, tok.c!)).disclosureCandidates.map((c: any) => c.topic)).toEqual(['出入境办理']);
      await api.refused(CONVERT, { i: { topic: '户籍迁移政策', catalogueItemId: cItems['户籍办理指南'] } }, tok.c!, 'BAD_USER_INPUT', 'input.topic');
    });
  });

  describe('tenancy', () => {
    let cRequest: any;
    let consultationId: string;
    let appealId: string;

    beforeAll(async () => {
      setFixedToday('2024-08-01');
      cRequest = await register({ submittedOn: '2024-08-01', applicantName: '租户测试', unitId: id['c-a'], topic: '租户' });
      consultationId = (await api.ok(START, { i: { id: cRequest.id, kind: 'THIRD_PARTY', party: '第三方', startedOn: '2024-08-01' } }, tok.c!)).startConsultation.consultation.id;
      appealId = (await api.ok(APPEAL, { i: { requestId: cRequest.id, kind: 'RECONSIDERATION', filedOn: '2024-08-01' } }, tok.c!)).recordAppeal.appeal.id;
    });

    it('another agency’s token: NOT_FOUND by id, empty lists', async () => {
      for (const t of [tok.x!, tok.d!]) {
        const err = await api.fails(GET, { id: cRequest.id }, t);
        expect(err.extensions.code).toBe('NOT_FOUND');
        const list = await api.ok(LIST, {}, t);
        expect(list.infoRequests.edges.map((e: any) => e.node.agency.code).filter((c: string) => c === 'c')).toEqual([]);
        expect((await api.ok(CANDIDATES, { f: { minApplicants: 2 } }, t)).disclosureCandidates).toEqual([]);
      }
      expect((await api.ok(LIST, {}, tok.x!)).infoRequests.totalCount).toBe(0);
      expect((await api.fails(LIST, { f: { agencyId: id.c } }, tok.x!)).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.agencyId' });
    });

    it('another agency’s token cannot change anything of it, and nothing is written', async () => {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        [ASSIGN, { id: cRequest.id, unitId: id['c-b'] }, 'input.id'],
        [CLASSIFY, { id: cRequest.id, topic: 'x' }, 'input.id'],
        [CORRECTION, { id: cRequest.id, noticeOn: '2024-08-01', text: 'x' }, 'input.id'],
        [CORRECTED, { id: cRequest.id, correctedOn: '2024-08-01' }, 'input.id'],
        [START, { id: cRequest.id, kind: 'OTHER_AGENCY', party: 'x', startedOn: '2024-08-01' }, 'input.id'],
        [END, { consultationId, endedOn: '2024-08-01' }, 'input.consultationId'],
        [EXTEND, { id: cRequest.id, days: 5, reason: 'x', approvedBy: 'x', noticeOn: '2024-08-01' }, 'input.id'],
        [REPLY, { id: cRequest.id, outcome: 'DISCLOSED', repliedOn: '2024-08-01', legalBasis: 'x' }, 'input.id'],
        [APPEAL, { requestId: cRequest.id, kind: 'RECONSIDERATION', filedOn: '2024-08-01' }, 'input.requestId'],
        [DECIDE, { id: appealId, result: 'UPHELD', decidedOn: '2024-08-01' }, 'input.id'],
      ];
      for (const t of [tok.x!, tok.d!]) {
        for (const [query, input, field] of cases) await api.refused(query, { i: input }, t, 'NOT_FOUND', field);
      }
      // a superior viewer reads but changes nothing; a liaison of another unit may not touch consultations
      await api.refused(END, { i: { consultationId, endedOn: '2024-08-01' } }, tok.pView!, 'FORBIDDEN');
      await api.refused(END, { i: { consultationId, endedOn: '2024-08-01' } }, tok.liaisonB!, 'FORBIDDEN');
      await api.refused(REPLY, { i: { id: cRequest.id, outcome: 'DISCLOSED', repliedOn: '2024-08-01', legalBasis: 'x' } }, tok.pView!, 'FORBIDDEN');
    });

    it('nested fields: the superior reads the subtree’s requests with their history, consultations and appeals; a sibling reads none', async () => {
      const NESTED = `{ infoRequests(first: 100, filter: { topic: "租户" }) { totalCount edges { node { number agency { code } unit { code }
        history { kind } consultations { party responseDue request { id } } appeals { kind result request { id } } } } } }`;
      const fromP = await api.ok(NESTED, {}, tok.pView!);
      expect(fromP.infoRequests.edges.map((e: any) => e.node)).toEqual([
        {
          number: cRequest.number,
          agency: { code: 'c' },
          unit: { code: 'c-a' },
          history: [{ kind: 'REGISTERED' }, { kind: 'CONSULTATION_STARTED' }, { kind: 'APPEAL_RECORDED' }],
          consultations: [{ party: '第三方', responseDue: '2024-08-22', request: { id: cRequest.id } }],
          appeals: [{ kind: 'RECONSIDERATION', result: 'PENDING', request: { id: cRequest.id } }],
        },
      ]);
      for (const t of [tok.x!, tok.d!]) expect((await api.ok(NESTED, {}, t)).infoRequests).toEqual({ totalCount: 0, edges: [] });
      // the statements of a list with every nested field depend on the query, not on its rows
      const FULL = `query($f: InfoRequestFilter) { infoRequests(first: 100, filter: $f) { totalCount edges { node { ${REQ} } } } }`;
      const statements = async (f: Record<string, unknown>) => {
        const res = await h.gql(FULL, { f }, tok.pView!);
        expect(res.errors).toBeUndefined();
        return { sql: Number(res.headers.get('x-sql-statements')), rows: res.data!.infoRequests.totalCount as number };
      };
      // (both lists hold requests with a unit, a catalogue item, consultations and appeals)
      const one = await statements({ year: 2024, outcome: 'DISCLOSED' });
      const many = await statements({ year: 2024 });
      expect(one.rows).toBe(3);
      expect(many.rows).toBeGreaterThan(20);
      expect(many.sql).toBe(one.sql);
      // the loaders behind nested fields are confined too: the sibling's ids resolve to nothing
      const rows = await sql<{ n: string }>(h.em(), `select count(*) as n from request_event where request_id = ?`, [cRequest.id]);
      expect(Number(rows[0]!.n)).toBe(3);
    });
  });
});

describe('a calendar correction moves open requests’ due dates in every tenant', () => {
  let h: Harness;
  let tok: Record<string, string>;
  let id: Record<string, string>;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    setFixedToday('2024-11-08');
    h = await startHarness();
    ({ tok, id } = await world(h));
    api = client(h);
  }, 120_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  it('declaring Mon 11-18 a day off moves 11-29 to 12-02, records why, and leaves answered and waiting requests alone', async () => {
    const reg = async (agency: string, token: string, over: Record<string, unknown> = {}) =>
      (
        await api.ok(
          REGISTER,
          { i: { agencyId: id[agency], channel: 'ONLINE', applicantType: 'NATURAL_PERSON', applicantName: '申请人', content: '某信息', submittedOn: '2024-11-01', ...over } },
          token,
        )
      ).registerInfoRequest.infoRequest;
    // received Fri 11-01: 11-04 … 11-29 are #1 … #20
    const open = await reg('c', tok.c!);
    const elsewhere = await reg('x', tok.x!);
    const answered = await reg('c', tok.c!);
    const waiting = await reg('c', tok.c!);
    for (const r of [open, elsewhere, answered, waiting]) expect(r.dueOn).toBe('2024-11-29');
    await api.ok(REPLY, { i: { id: answered.id, outcome: 'DISCLOSED', repliedOn: '2024-11-08', legalBasis: '条例第三十六条' } }, tok.c!);
    await api.ok(CORRECTION, { i: { id: waiting.id, noticeOn: '2024-11-05', text: '请补正' } }, tok.c!);

    const set = await api.ok(
      SET_CALENDAR,
      { i: { year: 2024, entries: [{ date: '2024-11-18', kind: 'HOLIDAY', name: '临时放假' }], confirmed: true, note: '更正' } },
      tok.p!,
    );
    expect(set.setCalendarEntries.change).toEqual({ affectedYears: [2024], recomputed: 2, changed: 2 });
    const moved = (await api.ok(GET, { id: open.id }, tok.c!)).infoRequest;
    expect(moved).toMatchObject({ dueOn: '2024-12-02', deadline: { due: '2024-12-02', provisional: false } });
    expect(moved.deadline.explanation.summary).toContain('临时放假');
    // Recorded by the system in the request's own history, not under the operator's name.
    expect(moved.history.at(-1)).toMatchObject({
      kind: 'DEADLINE_RECOMPUTED',
      happenedOn: '2024-11-08',
      actor: 'system:calendar',
      detail: expect.stringMatching(/2024-11-29.*2024-12-02/),
    });
    expect((await api.ok(GET, { id: elsewhere.id }, tok.x!)).infoRequest.dueOn).toBe('2024-12-02');
    const kept = (await api.ok(GET, { id: answered.id }, tok.c!)).infoRequest;
    expect(kept).toMatchObject({ dueOn: '2024-11-29', state: 'ANSWERED' });
    expect(kept.history.map((e: any) => e.kind)).not.toContain('DEADLINE_RECOMPUTED');
    expect((await api.ok(GET, { id: waiting.id }, tok.c!)).infoRequest).toMatchObject({ dueOn: null, state: 'AWAITING_CORRECTION' });

    // and back
    await api.ok(`mutation { removeCalendarEntry(input: { date: "2024-11-18" }) { change { recomputed changed } } }`, {}, tok.p!);
    expect((await api.ok(GET, { id: open.id }, tok.c!)).infoRequest.dueOn).toBe('2024-11-29');
    // a corrected request later counts with the corrected calendar: the clock's inputs are read afresh
    expect(Number((await sql<{ n: string }>(h.em(), `select count(*) as n from request_event where kind = 'DEADLINE_RECOMPUTED'`))[0]!.n)).toBe(4);
  });
});
