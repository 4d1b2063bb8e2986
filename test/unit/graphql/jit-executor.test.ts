import { buildSchema, execute, GraphQLError, parse, validate, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { COMPILE_AT_USE, jitGateway } from '../../../src/graphql/jit-executor';

/**
 * The executor behind Apollo (src/graphql/jit-executor.ts) against graphql-js on the same schema and
 * documents: same data, same errors — where graphql-jit 0.8 differs, graphql-js decides.
 */
const SDL = `
  enum Level { LOW HIGH }
  input Filter { level: Level, flag: Boolean! = false, nested: Inner }
  input Inner { n: Int = 3 }
  input Plain { level: Level!, text: String }
  type Item { id: ID!, name: String!, level: Level!, parent: Item, broken: String, brokenRequired: String! }
  type Query {
    items(first: Int = 2): [Item!]!
    byFilter(filter: Filter!): String!
    byPlain(plain: Plain!): String!
    fails: String
  }
  type Mutation { touch(id: ID!): Item! }
`;

class CodedError extends Error {
  extensions = { code: 'NOT_FOUND', field: 'id' };
}

function makeSchema(): GraphQLSchema {
  const schema = buildSchema(SDL);
  const items = [
    { id: '1', name: '甲', level: 'LOW' },
    { id: '2', name: '乙', level: 'HIGH' },
    { id: '3', name: '丙', level: 'LOW' },
  ];
  const q = schema.getQueryType()!.getFields();
  q.items!.resolve = (_s, args: { first: number }) => items.slice(0, args.first);
  q.byFilter!.resolve = (_s, args) => JSON.stringify(args);
  q.byPlain!.resolve = (_s, args) => JSON.stringify(args);
  q.fails!.resolve = () => {
    throw new CodedError('no such thing');
  };
  const item = schema.getType('Item') as unknown as { getFields(): Record<string, { resolve?: unknown }> };
  item.getFields().parent!.resolve = (s: { id: string }) => (s.id === '1' ? null : items[0]);
  item.getFields().broken!.resolve = () => {
    throw new Error('broken field');
  };
  item.getFields().brokenRequired!.resolve = () => null;
  schema.getMutationType()!.getFields().touch!.resolve = (_s, args: { id: string }) => {
    const found = items.find((i) => i.id === args.id);
    if (!found) throw new CodedError(`item ${args.id} not found`);
    return found;
  };
  return schema;
}

/**
 * Runs `query` through the executor until it is compiled (its first use runs on graphql-js) and
 * once more, and on graphql-js itself. `engine` is what the last run used.
 */
async function both(schema: GraphQLSchema, query: string, variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && (!operationName || d.name?.value === operationName),
  )!;
  const gateway = jitGateway(schema);
  const { executor } = await gateway.load({ apollo: {} as never });
  const rc = { request: { variables }, document, operation, operationName: operationName ?? null, context: {} };
  const runs: ExecutionResult[] = [];
  for (let i = 0; i < COMPILE_AT_USE + 1; i++) runs.push((await executor!(rc as never)) as ExecutionResult);
  const viaJs = (await execute({ schema, document, variableValues: variables, operationName, contextValue: {} })) as ExecutionResult;
  const compiledRuns = gateway.stats.compiled;
  return { first: runs[0]!, viaJit: runs.at(-1)!, viaJs, engine: compiledRuns > 0 ? 'jit' : 'graphql-js', compiledRuns };
}

/** What a client sees of a result. */
const wire = (r: ExecutionResult) => JSON.parse(JSON.stringify(r));

describe('jit executor', () => {
  const schema = makeSchema();

  it('answers like graphql-js: aliases, fragments, @skip / @include on fields and fragment spreads, literal defaults', async () => {
    const query = `query Q($skip: Boolean!, $with: Boolean!) {
      a: items { id ...F @skip(if: $skip) }
      b: items(first: 3) { name level parent { id } ... on Item @include(if: $with) { id } }
    }
    fragment F on Item { name parent { name } }`;
    for (const vars of [{ skip: true, with: false }, { skip: false, with: true }]) {
      const { first, viaJit, viaJs, engine, compiledRuns } = await both(schema, query, vars);
      expect(engine).toBe('jit');
      // Compiled from the second use on; the first ran on graphql-js.
      expect(compiledRuns).toBe(2);
      expect(wire(viaJit)).toEqual(wire(viaJs));
      expect(wire(first)).toEqual(wire(viaJs));
    }
  });

  it('fills input-object defaults a variable leaves out (graphql-jit alone would refuse them)', async () => {
    const { viaJit, viaJs, engine } = await both(schema, 'query($f: Filter!) { byFilter(filter: $f) }', { f: { level: 'HIGH', nested: {} } });
    expect(engine).toBe('graphql-js');
    expect(viaJit.errors).toBeUndefined();
    expect(wire(viaJit)).toEqual(wire(viaJs));
    expect(JSON.parse((viaJit.data as { byFilter: string }).byFilter)).toEqual({ filter: { level: 'HIGH', flag: false, nested: { n: 3 } } });
  });

  it('refuses bad variables with graphql-js’s own errors', async () => {
    const { viaJit, viaJs } = await both(schema, 'query($p: Plain!) { byPlain(plain: $p) }', { p: { level: 'MIDDLE', text: 4 } });
    expect(viaJit.data).toBeUndefined();
    expect(viaJit.errors!.length).toBeGreaterThan(0);
    expect(wire(viaJit)).toEqual(wire(viaJs));
  });

  it('runs inputs without defaults compiled, with the same answer', async () => {
    const { viaJit, viaJs, engine } = await both(schema, 'query($p: Plain!) { byPlain(plain: $p) }', { p: { level: 'LOW', text: '文' } });
    expect(engine).toBe('jit');
    expect(wire(viaJit)).toEqual(wire(viaJs));
  });

  it('hands errors on as graphql-js GraphQLErrors: message, path, locations, extensions, original error — and writable', async () => {
    const { viaJit, viaJs, engine } = await both(schema, '{ fails items { id broken } }');
    expect(engine).toBe('jit');
    expect(wire(viaJit)).toEqual(wire(viaJs));
    for (const e of viaJit.errors!) {
      expect(e).toBeInstanceOf(GraphQLError);
      e.message = `${e.message}.`; // graphql-armor rewrites messages in place
    }
    const coded = viaJit.errors!.find((e) => e.path?.[0] === 'fails')!;
    expect(coded.originalError).toBeInstanceOf(CodedError);
    expect(coded.extensions).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });

  it('bubbles a null in a non-null field up like graphql-js', async () => {
    const { viaJit, viaJs, engine } = await both(schema, '{ items { id brokenRequired } }');
    expect(engine).toBe('jit');
    expect(wire(viaJit)).toEqual(wire(viaJs));
  });

  it('runs mutations in order, an error keeping the others', async () => {
    const query = 'mutation M { one: touch(id: "1") { id } missing: touch(id: "9") { id } three: touch(id: "3") { name } }';
    const { viaJit, viaJs, engine } = await both(schema, query, undefined, 'M');
    expect(engine).toBe('jit');
    expect(wire(viaJit)).toEqual(wire(viaJs));
  });
});
