import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { signAccessToken } from '../../src/auth/jwt';
import { createSchema } from '../../src/graphql/schema';
import { rootLogger } from '../../src/logger';
import { Account } from '../../src/modules/account/account.entity';
import { today } from '../../src/modules/calendar/clock';
import { addDays } from '../../src/modules/calendar/date-utils';
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
  /** The operation's name: later examples take values from its answer (`{{Name.path.to.value}}`). */
  name: string | null;
  /** The demo account to run it as: `# as <account>` in the block, else the one the text names before it. */
  account: string;
  /** The JSON variables block that follows the example, as written (with `{{…}}` references). */
  variables: string | null;
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

const README = path.join(__dirname, '..', '..', 'README.md');

function readmeExamples(): Example[] {
  const readme = fs.readFileSync(README, 'utf8');
  const examples: Example[] = [];
  for (const m of readme.matchAll(/```graphql\n([\s\S]*?)```(?:\s*```json\n([\s\S]*?)```)?/g)) {
    const before = readme.slice(Math.max(0, m.index! - 1500), m.index!);
    const named = [...before.matchAll(/`([a-z]+\.(?:admin|viewer|liaison|head|leader))`/g)].pop();
    const as = /^\s*#\s*as\s+([a-z]+\.[a-z0-9]+)/m.exec(m[1]!);
    const line = readme.slice(0, m.index!).split('\n').length + 1;
    for (const operation of operations(m[1]!)) {
      const def = parse(operation).definitions[0];
      const name = def?.kind === 'OperationDefinition' ? (def.name?.value ?? null) : null;
      examples.push({ line, operation, name, account: as?.[1] ?? named?.[1] ?? 'jining.admin', variables: m[2] ?? null });
    }
  }
  return examples;
}

/**
 * The values of a variables block: `{{today}}` is today's date (`{{today+30}}` thirty days on),
 * `{{base64:<file>}}` a committed file's content, and `{{Name.path}}` a value from the answer of the
 * earlier example named `Name` (array positions are numbers: `{{Items.catalogueItems.edges.0.node.id}}`).
 * A reference that is the whole string keeps the value's type; one inside a longer string is text.
 */
function fill(value: unknown, answers: Map<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => fill(v, answers));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, answers)]));
  if (typeof value !== 'string') return value;
  const whole = /^\{\{([^}]+)\}\}$/.exec(value);
  if (whole) return resolve(whole[1]!, answers);
  return value.replace(/\{\{([^}]+)\}\}/g, (_m, key: string) => String(resolve(key, answers)));
}

function resolve(key: string, answers: Map<string, unknown>): unknown {
  const days = /^today(?:\+(\d+))?$/.exec(key);
  if (days) return addDays(today(), Number(days[1] ?? 0));
  if (key.startsWith('base64:')) return fs.readFileSync(path.join(path.dirname(README), key.slice(7))).toString('base64');
  const [op, ...steps] = key.split('.');
  if (!answers.has(op!)) throw new Error(`{{${key}}}: no earlier example named ${op}`);
  let at: unknown = answers.get(op!);
  for (const step of steps) at = at == null ? undefined : (at as Record<string, unknown>)[step];
  if (at === undefined || at === null) throw new Error(`{{${key}}}: nothing there in the answer of ${op}`);
  return at;
}

/**
 * The README is a contract: every GraphQL example in it is valid against the schema and runs as
 * written, in the order of the text, against a freshly seeded demo, as the demo account it names —
 * with its variables block, whose `{{…}}` references say where each id comes from. None may leave a
 * value to guess ("…").
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
    expect(examples.length).toBeGreaterThanOrEqual(30);
  });

  it('leaves nothing to guess: no "…" in an example, and variables for every operation that declares them', () => {
    const vague = examples.filter((e) => e.operation.includes('…') || (e.variables ?? '').includes('…')).map((e) => e.line);
    const missing = examples.filter((e) => e.operation.includes('$') && !e.variables).map((e) => e.line);
    const names = examples.map((e) => e.name).filter((n): n is string => n !== null);
    expect({ vague, missing, duplicateNames: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ vague: [], missing: [], duplicateNames: [] });
  });

  it.each(examples.map((e) => [`line ${e.line}: ${e.operation.slice(0, 60).replace(/\s+/g, ' ')}`, e] as const))(
    '%s is valid against the schema',
    (_title, e) => {
      expect(validate(schema, parse(e.operation)).map((err) => err.message)).toEqual([]);
    },
  );

  // In README order: later examples use what earlier ones created (a draft, its review, …).
  const answers = new Map<string, unknown>();
  it.each(examples.map((e) => [`line ${e.line} as ${e.account}: ${e.operation.slice(0, 50).replace(/\s+/g, ' ')}`, e] as const))(
    '%s runs on the demo data as written',
    async (_title, e) => {
      const variables = e.variables ? (fill(JSON.parse(e.variables), answers) as Record<string, unknown>) : {};
      const res = await h.gql(e.operation, variables, /^\s*mutation\s*\{\s*login\(/.test(e.operation) ? null : await token(e.account));
      expect(res.errors).toBeUndefined();
      expect(res.data).not.toBeNull();
      if (e.name) answers.set(e.name, res.data);
    },
  );
});
