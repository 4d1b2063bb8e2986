import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  execute,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLInputObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Gateway = ApolloServerOptionsWithGateway<Record<string, unknown>>['gateway'];
type GatewayRequest = Parameters<NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>>[0];

/**
 * An operation of a parsed document: how often it ran, and once decided (at its second use), what it
 * runs on — graphql-jit's function, or graphql-js (`jit: null`).
 */
interface Plan {
  uses: number;
  decided: boolean;
  jit: CompiledQuery | null;
}

/** How many operations ran on each engine (for tests and diagnostics). */
export interface JitStats {
  compiled: number;
  interpreted: number;
}

/**
 * A document is compiled at its second use: compiling costs more than one run (≈ 0.4 ms for `me`,
 * ≈ 9–11 ms for the assessment roll-up or the introspection query, measured), so a document seen
 * once — a one-off query, or a flood of distinct ones — never pays it.
 */
export const COMPILE_AT_USE = 2;

/**
 * Executes operations with graphql-jit: a document is compiled once into a JavaScript function
 * specialised to its selection, which then runs without graphql-js's per-field work — for every
 * field of every row graphql-js builds an arguments object, a path entry and a field lookup, ≈ 26
 * ms of the 80 ms of CPU a province's 7,000-row compliance answer took (and ≈ 30–45 ms of its
 * latency, measured). Resolvers, scalars, the evaluator instrumentation and the error formatting
 * are the same; graphql-js still parses and validates (Apollo, graphql-armor).
 *
 * Where graphql-jit 0.8 differs from graphql-js, graphql-js decides:
 * - variables are coerced by graphql-js first, so bad variables are refused with exactly its errors
 *   (Apollo turns those into BAD_USER_INPUT with status 400); only then does the compiled function
 *   run, coercing them again itself;
 * - graphql-jit does not fill in the default values of input-object fields a variable leaves out
 *   (it refuses `{}` for `input X { a: Boolean! = false }`), so an operation whose variables'
 *   input types have such defaults — most mutation inputs — runs on graphql-js, as does any
 *   operation graphql-jit cannot compile;
 * - its errors are read-only objects of its own, which plugins that rewrite messages (graphql-armor)
 *   cannot change: they are handed on as graphql-js `GraphQLError`s with the same message,
 *   locations, path, extensions and original error.
 *
 * Compiled functions are kept per parsed document (Apollo's document store hands out the same
 * `DocumentNode` for the same query text), in a WeakMap: they go when the store evicts the
 * document, so the cache is bounded by Apollo's. A document's first run is on graphql-js (see
 * COMPILE_AT_USE).
 *
 * Plugged in through Apollo's gateway interface, its documented way to bring another executor.
 */
export function jitGateway(schema: GraphQLSchema): Gateway & { stats: JitStats } {
  const plans = new WeakMap<DocumentNode, Map<string, Plan>>();
  const stats: JitStats = { compiled: 0, interpreted: 0 };

  function planFor(document: DocumentNode, operation: OperationDefinitionNode, operationName: string | undefined): Plan {
    let byName = plans.get(document);
    if (!byName) plans.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let plan = byName.get(key);
    if (!plan) byName.set(key, (plan = { uses: 0, decided: false, jit: null }));
    plan.uses += 1;
    if (!plan.decided && plan.uses >= COMPILE_AT_USE) {
      plan.decided = true;
      if (!variablesWithInputDefaults(schema, operation)) {
        const compiled = compileQuery(schema, document, operationName, {
          // Apollo serialises the answer; the compiled serialiser would only be unused code.
          customJSONSerializer: false,
          // @skip / @include on fragment spreads evaluated per path, as graphql-js does.
          useExperimentalPathBasedSkipInclude: true,
        });
        if (isCompiledQuery(compiled)) plan.jit = compiled;
      }
    }
    return plan;
  }

  const executor = async (rc: GatewayRequest): Promise<ExecutionResult> => {
    const variables = rc.request.variables ?? {};
    const operation = rc.operation as OperationDefinitionNode;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const plan = planFor(rc.document, operation, rc.operationName ?? undefined);
    if (plan.jit) {
      stats.compiled += 1;
      return asGraphQLErrors((await plan.jit.query(undefined, rc.context, variables)) as ExecutionResult);
    }
    stats.interpreted += 1;
    return execute({ schema, document: rc.document, contextValue: rc.context, variableValues: variables, operationName: rc.operationName });
  };

  return {
    stats,
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return { schema, executor };
    },
    async stop() {},
  };
}

/** Whether any variable's input type (at any depth) has a field with a default value. */
function variablesWithInputDefaults(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const seen = new Set<GraphQLInputObjectType>();
  const visit = (type: GraphQLInputObjectType): boolean => {
    if (seen.has(type)) return false;
    seen.add(type);
    return Object.values(type.getFields()).some((f) => {
      if (f.defaultValue !== undefined) return true;
      const named = getNamedType(f.type);
      return isInputObjectType(named) && visit(named);
    });
  };
  return (operation.variableDefinitions ?? []).some((v) => {
    const named = getNamedType(typeFromAST(schema, v.type as never));
    return named !== undefined && isInputObjectType(named) && visit(named);
  });
}

/** graphql-jit's errors as graphql-js `GraphQLError`s (see jitGateway). */
function asGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const converted = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions });
    // The locations graphql-jit computed from the document (graphql-js would derive them from nodes).
    (converted as { locations?: unknown }).locations = e.locations;
    return converted;
  });
  return { ...result, errors };
}
