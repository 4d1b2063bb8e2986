import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { signAccessToken } from '../../src/auth/jwt';
import { createSchema } from '../../src/graphql/schema';
import { rootLogger } from '../../src/logger';
import { Account } from '../../src/modules/account/account.entity';
import { seedAnnualReportDemo, seedYanzhouReportDemo } from '../../seeds/annual-report-seeder';
import { seedAssessmentDemo } from '../../seeds/assessment-seeder';
import { seedCatalogueDemo } from '../../seeds/catalogue-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { seedPlanDemo } from '../../seeds/plan-seeder';
import { seedPublicationDemo } from '../../seeds/publication-seeder';
import { seedRequestDemo } from '../../seeds/request-seeder';
import { startHarness, type Harness } from '../support/harness';

interface Example {
  line: number;
  operation: string;
  /** The demo account the README names before the example (the one to run it as). */
  account: string;
}

/** The top-level operations of a ```graphql block (a block may show several steps). */
function operations(block: string): string[] {
  const text = block.replace(/^\s*#.*$/gm, '');
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '{') {
      if (depth === 0 && start < 0) start = i;
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) {
        out.push(text.slice(start, i + 1).trim());
        start = -1;
      }
    } else if (depth === 0 && start < 0 && /[a-z]/.test(ch)) {
      start = i; // `query` / `mutation` with a name or variables before its selection
    }
  }
  return out;
}

function readmeExamples(): Example[] {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const examples: Example[] = [];
  for (const m of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const before = readme.slice(Math.max(0, m.index! - 1500), m.index!);
    const named = [...before.matchAll(/`([a-z]+\.(?:admin|viewer|liaison|head|leader))`/g)].pop();
    const line = readme.slice(0, m.index!).split('\n').length + 1;
    for (const operation of operations(m[1]!)) examples.push({ line, operation, account: named?.[1] ?? 'jining.admin' });
  }
  return examples;
}

/**
 * The README is a contract: every GraphQL example in it is valid against the schema, and every
 * example that needs nothing but the demo data (no ids to fill in, no variables) runs as written
 * against a freshly seeded demo, as the demo account the text names before it, without errors.
 */
describe('README examples', () => {
  let h: Harness;
  let schema: GraphQLSchema;
  const examples = readmeExamples();
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    schema = await createSchema();
    h = await startHarness();
    const log = rootLogger.child({ test: 'readme-examples' });
    log.level = 'silent';
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    await seedCatalogueDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log);
    await seedPlanDemo(h.orm, log);
    await seedAssessmentDemo(h.orm, log);
    await seedRequestDemo(h.orm, log);
    await seedYanzhouReportDemo(h.orm, log);
    await seedAnnualReportDemo(h.orm, log);
  }, 240_000);
  afterAll(() => h.close());

  async function token(username: string): Promise<string> {
    let t = tokens.get(username);
    if (!t) {
      const a = await h.em().findOneOrFail(Account, { username });
      t = signAccessToken(h.tokens, { accountId: a.id, agencyId: a.agency.id }).token;
      tokens.set(username, t);
    }
    return t;
  }

  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });

  it.each(examples.map((e) => [`line ${e.line}: ${e.operation.slice(0, 60).replace(/\s+/g, ' ')}`, e] as const))(
    '%s is valid against the schema',
    (_title, e) => {
      expect(validate(schema, parse(e.operation)).map((err) => err.message)).toEqual([]);
    },
  );

  const runnable = examples.filter((e) => !e.operation.includes('…') && !e.operation.includes('$'));
  it.each(runnable.map((e) => [`line ${e.line} as ${e.account}: ${e.operation.slice(0, 50).replace(/\s+/g, ' ')}`, e] as const))(
    '%s runs on the demo data without errors',
    async (_title, e) => {
      const res = await h.gql(e.operation, {}, /^\s*mutation\s*\{\s*login\(/.test(e.operation) ? null : await token(e.account));
      expect(res.errors).toBeUndefined();
      expect(res.data).not.toBeNull();
    },
  );
});
