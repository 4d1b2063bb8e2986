import { createHash, randomUUID } from 'node:crypto';
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { signAccessToken } from '../../src/auth/jwt';
import { initOrm } from '../../src/db/orm';
import { serviceDatabaseUrl } from '../../src/db/service-login';
import { enterScope } from '../../src/db/tenant-gate';
import { createSchema } from '../../src/graphql/schema';
import { Account } from '../../src/modules/account/account.entity';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { EvaluationRound, RoundKind } from '../../src/modules/assessment/evaluation.entity';
import { evaluatorTokenPrincipal, hashEvaluatorToken, loadEvaluatorTokenRow } from '../../src/modules/evaluator/evaluator-auth';
import { RECORDING_MUTATIONS } from '../../src/modules/evaluator/evaluator-access';
import { EvaluatorAccess, EvaluatorToken } from '../../src/modules/evaluator/evaluator-token.entity';
import { selectLean } from '../../src/db/row-mapper';
import { seedCatalogueDemo } from '../../seeds/catalogue-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { seedPlanDemo } from '../../seeds/plan-seeder';
import { seedPublicationDemo } from '../../seeds/publication-seeder';
import { TEST_SERVICE_PASSWORD } from '../support/pg-env';
import { startHarness, type Harness } from '../support/harness';

/**
 * Evaluator tokens (`Bearer oet_…`): issued by an agency's openness office for one evaluation round,
 * a subtree and a window; READ or RECORD. The attacks: use outside the subtree, the window or the
 * permission; reading internal work; calling any mutation; a revoked or expired token; issuing
 * without the right; reading another agency's access log.
 */
describe('evaluator tokens', () => {
  let h: Harness;
  const day = 86_400_000;
  const admins: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const rounds: Record<string, string> = {};

  async function jwtOf(username: string): Promise<string> {
    const a = await h.em().findOneOrFail(Account, { username });
    return signAccessToken(h.tokens, { accountId: a.id, agencyId: a.agency.id }).token;
  }
  async function ok(query: string, token: string, variables: Record<string, unknown> = {}) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }
  async function fails(query: string, token: string, variables: Record<string, unknown> = {}) {
    const res = await h.gql(query, variables, token);
    expect(res.errors?.length).toBeGreaterThan(0);
    return { ...res.errors![0]!.extensions, message: res.errors![0]!.message, status: res.status } as Record<string, any>;
  }

  const ISSUE = `mutation Issue($i: IssueEvaluatorTokenInput!) { issueEvaluatorToken(input: $i) {
    token evaluatorToken { id label permission status tokenPrefix validFrom validUntil issuedBy scopeAgency { code } agency { code } round { id } } } }`;

  async function issue(admin: string, input: Record<string, unknown>): Promise<{ token: string; id: string; node: any }> {
    const data = await ok(ISSUE, admin, {
      i: { permission: 'READ', label: '某评估公司 张三', validUntil: new Date(Date.now() + 30 * day).toISOString(), ...input },
    });
    return { token: data.issueEvaluatorToken.token, id: data.issueEvaluatorToken.evaluatorToken.id, node: data.issueEvaluatorToken.evaluatorToken };
  }

  /** A checksum of every table a token must not change (its own log and last_used_at excepted). */
  async function snapshot(): Promise<Record<string, string>> {
    const conn = h.em().getConnection();
    const tables = (await conn.execute(`select tablename from pg_tables where schemaname = 'public' and tablename not in ('evaluator_access', 'evaluator_token') order by 1`)) as Array<{ tablename: string }>;
    const out: Record<string, string> = {};
    for (const { tablename } of tables) {
      const [row] = await conn.execute(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as m from "${tablename}" t`);
      out[tablename] = row.m;
    }
    return out;
  }

  beforeAll(async () => {
    h = await startHarness();
    const log = rootLogger.child({ test: 'evaluator-tokens' });
    log.level = 'silent';
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    await seedCatalogueDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log);
    await seedPlanDemo(h.orm, log);
    setFixedToday('2026-07-15');
    for (const u of ['province.admin', 'jining.admin', 'jining.viewer', 'yanzhou.admin', 'yanzhou.liaison', 'weihai.admin']) admins[u] = await jwtOf(u);
    for (const code of ['sd', 'sd-jining', 'sd-jining-yanzhou', 'sd-weihai']) ids[code] = (await h.agency(code)).id;
    const em = h.em();
    const round = (agency: string, kind: RoundKind, title: string) =>
      em.create(EvaluationRound, { agency: ids[agency]!, year: 2026, kind, title, evaluator: '某评估公司' });
    const r = {
      jiningMid: round('sd-jining', RoundKind.MID_YEAR, '济宁2026年中评估'),
      jiningEnd: round('sd-jining', RoundKind.YEAR_END, '济宁2026年底评估'),
      provinceMid: round('sd', RoundKind.MID_YEAR, '全省2026年中评估'),
    };
    await em.flush();
    for (const [k, v] of Object.entries(r)) rounds[k] = v.id;
    // The organiser's scheme for 2026, so deduction points have an indicator to refer to.
    const conn = em.getConnection();
    const scheme = randomUUID();
    await conn.execute(
      `insert into assessment_scheme (id, agency_id, year, version, title, share, created_by) values (?, ?, 2026, 1, '济宁2026考核方案', 10, 'test')`,
      [scheme, ids['sd-jining']],
    );
    await conn.execute(
      `insert into assessment_indicator (id, scheme_id, agency_id, code, position, name, kind, weight) values (?, ?, ?, 'D1', 1, '栏目更新', 'MANUAL', 10)`,
      [randomUUID(), scheme, ids['sd-jining']],
    );
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  describe('issuing', () => {
    it('shows the token once and stores only its SHA-256', async () => {
      const { token, id, node } = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid });
      expect(token).toMatch(/^oet_[A-Za-z0-9_-]{43}$/);
      expect(node).toMatchObject({
        permission: 'READ',
        status: 'ACTIVE',
        tokenPrefix: token.slice(0, 8),
        issuedBy: 'jining.admin',
        scopeAgency: { code: 'sd-jining' },
        agency: { code: 'sd-jining' },
        round: { id: rounds.jiningMid },
      });
      const [row] = await h.em().getConnection().execute(`select * from evaluator_token where id = ?`, [id]);
      expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(token.slice(4));
      // Never again: no field carries the secret or its hash …
      const listed = await ok(`{ evaluatorTokens(first: 100) { edges { node { id tokenPrefix label } } } evaluatorToken(id: "${id}") { id tokenPrefix } }`, admins['jining.admin']!);
      expect(JSON.stringify(listed)).not.toContain(token.slice(8));
      expect(JSON.stringify(listed)).not.toContain(row.token_hash);
      const hashField = await fails(`{ evaluatorTokens(first: 1) { edges { node { tokenHash } } } }`, admins['jining.admin']!);
      expect(hashField.code).toBe('GRAPHQL_VALIDATION_FAILED');
      // … and the token works as a bearer.
      expect((await ok(`{ evaluatorSession { label permission round { id } scopeAgency { code } } }`, token)).evaluatorSession).toEqual({
        label: '某评估公司 张三',
        permission: 'READ',
        round: { id: rounds.jiningMid },
        scopeAgency: { code: 'sd-jining' },
      });
    });

    it('refuses a scope outside the issuer’s subtree or the round’s, bad windows, non-administrators and tokens — writing nothing', async () => {
      const count = async () => Number((await h.em().getConnection().execute(`select count(*)::int as n from evaluator_token`))[0].n);
      const before = await count();
      const bad = (admin: string, input: Record<string, unknown>) =>
        fails(ISSUE, admins[admin] ?? admin, {
          i: { roundId: rounds.jiningMid, permission: 'READ', label: '评估', validUntil: new Date(Date.now() + 30 * day).toISOString(), ...input },
        });
      expect(await bad('jining.admin', { scopeAgencyId: ids['sd-weihai'] })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.scopeAgencyId' });
      expect(await bad('jining.admin', { scopeAgencyId: ids.sd })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.scopeAgencyId' });
      // The province may issue for 济宁's round, but only inside 济宁.
      expect(await bad('province.admin', { scopeAgencyId: ids['sd-weihai'] })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.scopeAgencyId' });
      const from = new Date(Date.now() + day);
      expect(await bad('jining.admin', { validFrom: from.toISOString(), validUntil: new Date(from.getTime() - 1000).toISOString() })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.validUntil',
      });
      expect(await bad('jining.admin', { validUntil: new Date(Date.now() + 367 * day).toISOString() })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.validUntil' });
      expect(await bad('jining.admin', { validFrom: new Date(Date.now() - 3 * day).toISOString(), validUntil: new Date(Date.now() - day).toISOString() })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.validUntil',
      });
      expect(await bad('jining.admin', { roundId: randomUUID() })).toMatchObject({ code: 'NOT_FOUND' });
      expect(await bad('jining.admin', { label: '   ' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.label' });
      for (const who of ['jining.viewer', 'yanzhou.liaison']) expect((await bad(who, {})).code).toBe('FORBIDDEN');
      // A subordinate office may give read access to its own subtree for its superior's round, but
      // never let an evaluator record the superior's results.
      expect(await bad('yanzhou.admin', { permission: 'RECORD' })).toMatchObject({ code: 'FORBIDDEN' });
      const sub = await issue(admins['yanzhou.admin']!, { roundId: rounds.jiningMid });
      expect(sub.node.scopeAgency.code).toBe('sd-jining-yanzhou');
      expect(await bad(sub.token, {})).toMatchObject({ code: 'FORBIDDEN' });
      expect(await fails(`mutation($i: RevokeEvaluatorTokenInput!) { revokeEvaluatorToken(input: $i) { evaluatorToken { id } } }`, sub.token, { i: { id: sub.id } })).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await count()).toBe(before + 1);
    });
  });

  describe('reading', () => {
    let jiningToken: string;
    let weihaiToken: string;
    let viewer: string;

    beforeAll(async () => {
      viewer = admins['jining.viewer']!;
      jiningToken = (await issue(admins['jining.admin']!, { roundId: rounds.jiningMid })).token;
      // A province round, evaluated in 威海 only: 济宁's material lies outside this token's subtree.
      weihaiToken = (await issue(admins['province.admin']!, { roundId: rounds.provinceMid, scopeAgencyId: ids['sd-weihai'] })).token;
    });

    const PUBS = `{ publications(first: 100) { totalCount edges { node { id title status agency { code } review { notes } signOffs { reason } history { action reason } } } } }`;

    it('published publications and catalogues in force of its subtree; drafts, review comments, sign-offs and history never', async () => {
      const all = (await ok(PUBS, viewer)).publications;
      const seen = (await ok(PUBS, jiningToken)).publications;
      expect(seen.totalCount).toBeGreaterThan(0);
      expect(seen.totalCount).toBe(all.edges.filter((e: any) => e.node.status === 'PUBLISHED').length);
      for (const { node } of seen.edges) expect(node).toMatchObject({ status: 'PUBLISHED', review: null, signOffs: [], history: [] });
      expect(JSON.stringify(all)).toContain('答复中含代表联系方式');
      expect(JSON.stringify(seen)).not.toContain('答复中含代表联系方式');
      const draft = all.edges.find((e: any) => e.node.status === 'DRAFT').node;
      expect((await fails(`query($id: ID!) { publication(id: $id) { title } }`, jiningToken, { id: draft.id })).code).toBe('NOT_FOUND');

      const CATS = `{ catalogues(first: 50) { edges { node { id status agency { code } items(first: 1) { totalCount } } } } }`;
      const cats = (await ok(CATS, jiningToken)).catalogues.edges.map((e: any) => e.node);
      expect(cats.length).toBeGreaterThan(0);
      expect(cats.every((c: any) => c.status !== 'DRAFT')).toBe(true);
      expect(cats.some((c: any) => c.status === 'IN_FORCE' && c.items.totalCount > 0)).toBe(true);
      const viewerCats = (await ok(CATS, viewer)).catalogues.edges.map((e: any) => e.node);
      const draftCat = viewerCats.find((c: any) => c.status === 'DRAFT');
      if (draftCat) expect((await fails(`query($id: ID!) { catalogue(id: $id) { id } }`, jiningToken, { id: draftCat.id })).code).toBe('NOT_FOUND');
    });

    it('compliance and completion figures as for the superior', async () => {
      const Q = `{ complianceRollup(filter: { from: "2024-01-01", to: "2024-12-31" }) { rows { agency { code } subtree { dueInPeriod onTime late overdue } } }
                   completionRollup(filter: { year: 2024 }) { rows { agency { code } subtree { tasks done overdue } } } }`;
      expect(await ok(Q, jiningToken)).toEqual(await ok(Q, viewer));
    });

    it('no accounts, no `me`, no progress notes or the office’s decisions on tasks — statuses stay right', async () => {
      expect((await ok(`{ accounts(first: 50) { totalCount } }`, jiningToken)).accounts.totalCount).toBe(0);
      expect(await fails(`{ me { username } }`, jiningToken)).toMatchObject({ code: 'FORBIDDEN' });
      expect((await fails(`{ me { username } }`, jiningToken)).message).toContain('evaluatorSession');
      const Q = `{ workPlans(first: 5, filter: { year: 2024 }) { edges { node { agency { code } tasks(first: 50) { edges { node { number status { status } reviews { reason } progress { text } } } } } } } }`;
      const pick = (d: any) => d.workPlans.edges.find((e: any) => e.node.agency.code === 'sd-jining-yanzhou').node.tasks.edges.map((e: any) => e.node);
      const all = pick(await ok(Q, viewer));
      const seen = pick(await ok(Q, jiningToken));
      expect(all.some((t: any) => t.progress.length > 0)).toBe(true);
      expect(all.some((t: any) => t.reviews.length > 0)).toBe(true);
      expect(seen.every((t: any) => t.progress.length === 0 && t.reviews.length === 0)).toBe(true);
      expect(seen.map((t: any) => [t.number, t.status.status])).toEqual(all.map((t: any) => [t.number, t.status.status]));
      // Nor the tokens and their log.
      expect((await fails(`{ evaluatorTokens(first: 5) { totalCount } }`, jiningToken)).code).toBe('FORBIDDEN');
      expect((await fails(`{ evaluatorAccessLog(first: 5) { totalCount } }`, jiningToken)).code).toBe('FORBIDDEN');
    });

    it('nothing outside its subtree: a sibling agency’s material is not found', async () => {
      const published = (await ok(PUBS, viewer)).publications.edges.map((e: any) => e.node).find((p: any) => p.status === 'PUBLISHED');
      expect((await ok(PUBS, weihaiToken)).publications.totalCount).toBe(0);
      expect((await fails(`query($id: ID!) { publication(id: $id) { title } }`, weihaiToken, { id: published.id })).code).toBe('NOT_FOUND');
      expect((await fails(`query($id: ID!) { agency(id: $id) { name } }`, weihaiToken, { id: ids['sd-jining'] })).code).toBe('NOT_FOUND');
      expect((await ok(`{ agencies(first: 50) { edges { node { code } } } }`, weihaiToken)).agencies.edges.map((e: any) => e.node.code)).toEqual(['sd-weihai']);
      // Not even inside the issuer's subtree above the token's scope.
      const yanzhou = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid, scopeAgencyId: ids['sd-jining-yanzhou'] });
      expect((await fails(`query($id: ID!) { agency(id: $id) { name } }`, yanzhou.token, { id: ids['sd-jining'] })).code).toBe('NOT_FOUND');
      expect((await ok(`{ agencies(first: 50) { edges { node { code } } } }`, yanzhou.token)).agencies.edges.map((e: any) => e.node.code)).toEqual(['sd-jining-yanzhou']);
    });
  });

  describe('changing things', () => {
    let schemaMutations: Array<{ name: string; query: string; variables: Record<string, unknown> }>;

    /** A value of an input type that passes GraphQL's own coercion (required fields only). */
    function sample(type: GraphQLInputType, depth = 0): unknown {
      if (isNonNullType(type)) return sample(type.ofType, depth);
      if (isListType(type)) return [];
      if (isEnumType(type)) return type.getValues()[0]!.value;
      if (isInputObjectType(type)) {
        const out: Record<string, unknown> = {};
        for (const f of Object.values(type.getFields())) {
          if (isNonNullType(f.type) && f.defaultValue === undefined && depth < 6) out[f.name] = sample(f.type, depth + 1);
        }
        return out;
      }
      if (isScalarType(type)) {
        switch (type.name) {
          case 'ID':
            return randomUUID();
          case 'Int':
          case 'Float':
            return 1;
          case 'Boolean':
            return false;
          case 'Date':
            return '2026-07-01';
          case 'DateTimeISO':
          case 'DateTime':
            return new Date().toISOString();
          default:
            return 'x';
        }
      }
      return null;
    }

    beforeAll(async () => {
      const schema = await createSchema();
      schemaMutations = Object.values(schema.getMutationType()!.getFields()).map((field) => {
        const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
        const vars = args.map((a, i) => `$a${i}: ${String(a.type)}`).join(', ');
        const call = args.map((a, i) => `${a.name}: $a${i}`).join(', ');
        const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
        return {
          name: field.name,
          query: `mutation M${vars ? `(${vars})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`,
          variables: Object.fromEntries(args.map((a, i) => [`a${i}`, sample(a.type)])),
        };
      });
    });

    it('every mutation of the schema is refused to a READ token, and to a RECORD token all but its round’s recording — nothing written', async () => {
      expect(schemaMutations.length).toBeGreaterThan(30);
      for (const name of RECORDING_MUTATIONS) expect(schemaMutations.map((m) => m.name)).toContain(name);
      const read = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid });
      const record = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid, permission: 'RECORD' });
      const before = await snapshot();
      for (const m of schemaMutations) {
        const asRead = await h.gql(m.query, m.variables, read.token);
        expect([m.name, asRead.errors?.[0]?.extensions?.code]).toEqual([m.name, 'FORBIDDEN']);
        expect(asRead.data).toBeNull();
        const asRecord = await h.gql(m.query, m.variables, record.token);
        if (!RECORDING_MUTATIONS.has(m.name)) expect([m.name, asRecord.errors?.[0]?.extensions?.code]).toEqual([m.name, 'FORBIDDEN']);
        // The recording ones get as far as their own checks: random ids are not found.
        else expect([m.name, asRecord.errors?.[0]?.extensions?.code]).toEqual([m.name, 'NOT_FOUND']);
      }
      expect(await snapshot()).toEqual(before);
    });

    const SCORE = `mutation Score($i: RecordEvaluationScoreInput!) { recordEvaluationScore(input: $i) { score { score recordedBy agency { code } } } }`;
    const POINT = `mutation Point($i: RecordDeductionPointInput!) { recordDeductionPoint(input: $i) { deductionPoint { id points recordedBy agency { code } } } }`;
    const DELETE = `mutation Delete($i: DeleteDeductionPointInput!) { deleteDeductionPoint(input: $i) { deletedId } }`;

    it('a RECORD token records its round’s results inside its scope only; a READ token records nothing', async () => {
      const record = await issue(admins['jining.admin']!, {
        roundId: rounds.jiningMid,
        permission: 'RECORD',
        label: '评估公司 李四',
        scopeAgencyId: ids['sd-jining-yanzhou'],
      });
      const read = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid, scopeAgencyId: ids['sd-jining-yanzhou'] });
      const score = (roundId: string, agency: string) => ({ i: { roundId, agencyId: ids[agency], score: 88.5, note: '栏目齐全' } });

      expect((await ok(SCORE, record.token, score(rounds.jiningMid!, 'sd-jining-yanzhou'))).recordEvaluationScore.score).toEqual({
        score: 88.5,
        recordedBy: '评估公司 李四',
        agency: { code: 'sd-jining-yanzhou' },
      });
      const point = (await ok(POINT, record.token, { i: { roundId: rounds.jiningMid, agencyId: ids['sd-jining-yanzhou'], indicatorCode: 'D1', points: 2, finding: '栏目长期未更新' } }))
        .recordDeductionPoint.deductionPoint;
      expect(point).toMatchObject({ points: 2, recordedBy: '评估公司 李四', agency: { code: 'sd-jining-yanzhou' } });
      // The READ token reads the round's results …
      const ROUND = `query($id: ID!) { evaluationRound(id: $id) { scores { score agency { code } } } }`;
      expect((await ok(ROUND, read.token, { id: rounds.jiningMid })).evaluationRound.scores).toEqual([{ score: 88.5, agency: { code: 'sd-jining-yanzhou' } }]);

      const before = await snapshot();
      // … and changes none of them.
      expect((await fails(SCORE, read.token, score(rounds.jiningMid!, 'sd-jining-yanzhou'))).code).toBe('FORBIDDEN');
      expect((await fails(DELETE, read.token, { i: { id: point.id } })).code).toBe('FORBIDDEN');
      // Another round, or an agency outside the token's scope: refused.
      expect((await fails(SCORE, record.token, score(rounds.jiningEnd!, 'sd-jining-yanzhou'))).code).toMatch(/FORBIDDEN|NOT_FOUND/);
      expect((await fails(SCORE, record.token, score(rounds.jiningMid!, 'sd-jining'))).code).toMatch(/FORBIDDEN|NOT_FOUND|BAD_USER_INPUT/);
      expect((await fails(SCORE, record.token, score(rounds.jiningMid!, 'sd-weihai'))).code).toMatch(/FORBIDDEN|NOT_FOUND|BAD_USER_INPUT/);
      expect(await snapshot()).toEqual(before);

      expect((await ok(DELETE, record.token, { i: { id: point.id } })).deleteDeductionPoint.deletedId).toBe(point.id);
    });

    it('the database itself: a READ token’s request writes nothing; a RECORD token’s only its round’s rows in its scope', async () => {
      const read = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid });
      const record = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid, permission: 'RECORD', scopeAgencyId: ids['sd-jining-yanzhou'] });
      const orm: MikroORM = await initOrm(serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD), { pool: { min: 0, max: 1 } });
      try {
        /** What injected SQL could do inside the token's request transaction, under the real gate. */
        const attempt = async (token: string, statement: string, params: unknown[]) => {
          const em = orm.em.fork() as EntityManager;
          await em.begin();
          try {
            const row = await loadEvaluatorTokenRow(em, hashEvaluatorToken(token));
            await enterScope(em, evaluatorTokenPrincipal(row!));
            const result = await em.execute(statement, params);
            return (result as any).affectedRows ?? (result as any).length ?? 'ok';
          } catch (err) {
            return (err as { code?: string }).code ?? String(err);
          } finally {
            await em.rollback();
          }
        };
        const insert = `insert into evaluation_score (id, round_id, agency_id, score, recorded_by) values (gen_random_uuid(), ?, ?, 50, 'sql')`;
        expect(await attempt(read.token, insert, [rounds.jiningMid, ids['sd-jining-yanzhou']])).toBe('42501');
        expect(await attempt(read.token, `update evaluation_score set score = 1`, [])).toBe(0);
        expect(await attempt(record.token, insert, [rounds.jiningMid, ids['sd-jining-yanzhou']])).not.toBe('42501');
        expect(await attempt(record.token, insert, [rounds.jiningEnd, ids['sd-jining-yanzhou']])).toBe('42501');
        expect(await attempt(record.token, insert, [rounds.jiningMid, ids['sd-jining']])).toBe('42501');
        expect(await attempt(record.token, `insert into evaluator_access (id, token_id, agency_id, at, outcome) select gen_random_uuid(), id, agency_id, now(), 'OK' from evaluator_token`, [])).toBe('42501');
        expect(await attempt(record.token, `select app_log_evaluator_access(?, now(), 'x', 'query', '{}', '{}', 'OK', true)`, [hashEvaluatorToken(record.token)])).toBe('42501');
      } finally {
        await orm.close(true);
      }
    });
  });

  describe('windows and revocation', () => {
    const PING = `query Ping { agencies(first: 1) { totalCount } }`;

    it('an expired token is refused at once (401), as is one not yet valid', async () => {
      const short = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid, validUntil: new Date(Date.now() + 2500).toISOString() });
      await ok(PING, short.token);
      await new Promise((r) => setTimeout(r, 2800));
      expect(await fails(PING, short.token)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect((await fails(PING, short.token)).message).toContain('expired');
      const later = await issue(admins['jining.admin']!, {
        roundId: rounds.jiningMid,
        validFrom: new Date(Date.now() + 3600_000).toISOString(),
        validUntil: new Date(Date.now() + 7200_000).toISOString(),
      });
      expect(later.node.status).toBe('NOT_YET_VALID');
      expect(await fails(PING, later.token)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect((await fails(PING, later.token)).message).toContain('not valid yet');
      const statuses = await ok(`query($r: ID!) { evaluatorTokens(first: 100, filter: { roundId: $r, status: EXPIRED }) { edges { node { id status } } } }`, admins['jining.admin']!, {
        r: rounds.jiningMid,
      });
      expect(statuses.evaluatorTokens.edges.map((e: any) => e.node)).toEqual([{ id: short.id, status: 'EXPIRED' }]);
    });

    it('a revoked token is refused from its next request on; revoking twice is a conflict', async () => {
      const t = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid });
      await ok(PING, t.token);
      const REVOKE = `mutation($i: RevokeEvaluatorTokenInput!) { revokeEvaluatorToken(input: $i) { evaluatorToken { id status revokedAt revokedBy } } }`;
      expect((await fails(REVOKE, admins['weihai.admin']!, { i: { id: t.id } })).code).toBe('NOT_FOUND');
      const revoked = (await ok(REVOKE, admins['jining.admin']!, { i: { id: t.id } })).revokeEvaluatorToken.evaluatorToken;
      expect(revoked).toMatchObject({ status: 'REVOKED', revokedBy: 'jining.admin' });
      expect(await fails(PING, t.token)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect((await fails(PING, t.token)).message).toContain('revoked');
      expect(await fails(REVOKE, admins['jining.admin']!, { i: { id: t.id } })).toMatchObject({ code: 'CONFLICT', field: 'input.id' });
    });

    it('malformed and unknown tokens are refused', async () => {
      expect(await fails(PING, 'oet_short')).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect(await fails(PING, `oet_${'A'.repeat(43)}`)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    });
  });

  describe('the access log', () => {
    const LOG = `query Log($f: EvaluatorAccessFilter, $after: String) { evaluatorAccessLog(first: 50, after: $after, filter: $f) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { at operationName operationType fields agencyIds outcome agencies { code } token { id label } } } } }`;

    it('records every request — when, operation, agencies touched, outcome — for the issuing agency and its superiors only', async () => {
      const t = await issue(admins['jining.admin']!, { roundId: rounds.jiningMid, label: '日志测试' });
      const started = new Date(Date.now() - 1000);
      await ok(`query Pubs { publications(first: 10) { edges { node { title } } } }`, t.token);
      await ok(`query Agency($id: ID!) { agency(id: $id) { name } }`, t.token, { id: ids['sd-jining-yanzhou'] });
      expect((await fails(`mutation Sneaky($i: CreateWorkPlanInput!) { createWorkPlan(input: $i) { plan { id } } }`, t.token, { i: { agencyId: ids['sd-jining'], year: 2031 } })).code).toBe('FORBIDDEN');
      expect((await fails(`query Broken { nothingHere }`, t.token)).code).toBe('GRAPHQL_VALIDATION_FAILED');
      await ok(REVOKE_Q, admins['jining.admin']!, { i: { id: t.id } });
      await fails(`query AfterRevocation { agencies(first: 1) { totalCount } }`, t.token);

      const log = (await ok(LOG, admins['jining.admin']!, { f: { tokenId: t.id } })).evaluatorAccessLog;
      const rows = [...log.edges.map((e: any) => e.node)].reverse();
      expect(rows.map((r: any) => [r.operationName, r.operationType, r.fields, r.outcome])).toEqual([
        ['Pubs', 'query', ['publications'], 'OK'],
        ['Agency', 'query', ['agency'], 'OK'],
        ['Sneaky', 'mutation', ['createWorkPlan'], 'FORBIDDEN'],
        ['Broken', 'query', [], 'NOT_EXECUTED'],
        ['AfterRevocation', 'query', [], 'UNAUTHENTICATED'],
      ]);
      for (const r of rows) {
        expect(r.token).toEqual({ id: t.id, label: '日志测试' });
        expect(new Date(r.at).getTime()).toBeGreaterThanOrEqual(started.getTime());
      }
      // Publications: their agencies (兖州's are the published ones); the agency asked for by id; the agency a refused mutation named.
      expect(rows[0].agencyIds).toContain(ids['sd-jining-yanzhou']);
      expect(rows[0].agencies.map((a: any) => a.code)).toContain('sd-jining-yanzhou');
      expect(rows[1].agencyIds).toEqual([ids['sd-jining-yanzhou']]);
      expect(rows[2].agencyIds).toEqual([ids['sd-jining']]);
      expect(rows[4].agencyIds).toEqual([]);

      // Paging and time filters.
      const page1 = (await ok(LOG.replace('first: 50', 'first: 2'), admins['jining.admin']!, { f: { tokenId: t.id } })).evaluatorAccessLog;
      expect(page1.totalCount).toBe(5);
      const page2 = (await ok(LOG.replace('first: 50', 'first: 2'), admins['jining.admin']!, { f: { tokenId: t.id }, after: page1.pageInfo.endCursor })).evaluatorAccessLog;
      expect([...page1.edges, ...page2.edges].map((e: any) => e.node.operationName)).toEqual(log.edges.slice(0, 4).map((e: any) => e.node.operationName));
      expect((await ok(LOG, admins['jining.admin']!, { f: { tokenId: t.id, to: started.toISOString() } })).evaluatorAccessLog.totalCount).toBe(0);

      // The issuing agency's superior reads it; a sibling agency sees neither the log nor the token.
      expect((await ok(LOG, admins['province.admin']!, { f: { tokenId: t.id } })).evaluatorAccessLog.totalCount).toBe(5);
      expect((await ok(LOG, admins['weihai.admin']!, { f: { tokenId: t.id } })).evaluatorAccessLog.totalCount).toBe(0);
      expect((await ok(`{ evaluatorAccessLog(first: 50) { totalCount } evaluatorTokens(first: 50) { totalCount } }`, admins['weihai.admin']!))).toEqual({
        evaluatorAccessLog: { totalCount: 0 },
        evaluatorTokens: { totalCount: 0 },
      });
      expect((await fails(`query($id: ID!) { evaluatorToken(id: $id) { id } }`, admins['weihai.admin']!, { id: t.id })).code).toBe('NOT_FOUND');
      // Units' staff do not audit tokens.
      expect((await fails(LOG, admins['yanzhou.liaison']!, { f: { tokenId: t.id } })).code).toBe('FORBIDDEN');

      const [row] = await h.em().getConnection().execute(`select last_used_at from evaluator_token where id = ?`, [t.id]);
      expect(row.last_used_at).not.toBeNull();
    });

    it('lean rows of tokens and log rows carry what the hydrated entities do (uuid[] and text[] included)', async () => {
      for (const entity of [EvaluatorToken, EvaluatorAccess] as const) {
        const em = h.em();
        const managed = (await em.find(entity as never, {}, { orderBy: { id: 'asc' } as never })) as Record<string, any>[];
        const lean = (await selectLean(em, entity as never, 'order by t.id')) as Record<string, any>[];
        expect(managed.length).toBeGreaterThan(0);
        expect(lean).toHaveLength(managed.length);
        lean.forEach((r, i) => {
          for (const [key, value] of Object.entries(r)) {
            const expected = managed[i]![key];
            if (value && typeof value === 'object' && 'id' in value && !Array.isArray(value)) expect([key, value.id]).toEqual([key, expected.id]);
            else expect([key, value]).toEqual([key, expected]);
          }
        });
      }
      const [access] = (await selectLean(h.em(), EvaluatorAccess, `where cardinality(t.agency_ids) > 0 limit 1`)) as Array<Record<string, any>>;
      expect(Array.isArray(access!.agencyIds) && Array.isArray(access!.fields)).toBe(true);
    });
  });
});

const REVOKE_Q = `mutation Revoke($i: RevokeEvaluatorTokenInput!) { revokeEvaluatorToken(input: $i) { evaluatorToken { id } } }`;
