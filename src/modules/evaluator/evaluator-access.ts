import type { EntityManager } from '@mikro-orm/postgresql';
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  Kind,
  parse,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type DocumentNode,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { Principal } from '../../auth/principal';
import { isDatabaseUnavailable } from '../../db/outage';
import { uuidArrayLiteral } from '../../db/sql';
import type { RequestContext } from '../../graphql/context';
import { forbidden, toClientError } from '../../graphql/errors';
import type { Logger } from '../../logger';

/**
 * The access log of evaluator tokens and the guard on what a token may call.
 *
 * Every request made with a token gets an `AccessRecord` (created by the request context when the
 * token is looked up). While the operation runs, the schema's resolvers (wrapped once by
 * `instrumentEvaluatorAccess`) note the operation's name and type, its root fields, the agency ids
 * its arguments name, the agencies of every object the answer resolved (Agency rows by id, other
 * rows by their `agency` / `agencyId`) and the first error. When the request transaction has ended
 * — committed or rolled back — `finishRequestTransaction` writes the record with ONE statement,
 * `app_log_evaluator_access(…)`, on the request pool outside any transaction: so it persists when the
 * operation failed and its transaction was rolled back, and although the request was read-only.
 * Only a token's requests pay for any of this; other requests pass the wrappers with one property
 * check, and scalar fields are not wrapped at all.
 */

/** The mutations a token may call (and only a RECORD token): its round's results. */
export const RECORDING_MUTATIONS: ReadonlySet<string> = new Set(['recordEvaluationScore', 'recordDeductionPoint', 'deleteDeductionPoint']);

/**
 * Types a token never receives, whatever the database would show the evaluator role: liaisons'
 * progress notes on plan tasks (the evaluator role itself reads them, migration EvaluatorView, so
 * statuses and completion derived from them stay right for tokens too; only the notes are withheld).
 * A field of such a type answers [] (lists) or null for a token.
 */
export const TOKEN_HIDDEN_TYPES: ReadonlySet<string> = new Set(['TaskProgress']);

/** Agency ids kept per request at most (a province roll-up touches a few hundred). */
const MAX_AGENCY_IDS = 20_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessRecord {
  /** The token's hash: the log function finds the token by it. */
  hash: string;
  /** When the request arrived. */
  at: Date;
  log: Logger;
  operationName: string | null;
  operationType: string | null;
  /** The request's document as sent: only parsed when the operation never ran, to name it in the log. */
  document: string | null;
  /** Whether any root field ran. */
  executed: boolean;
  fields: Set<string>;
  agencyIds: Set<string>;
  /** The first error code met while resolving, or a refusal of the token itself. */
  outcome: string | null;
  /** Whether the token was accepted (then `last_used_at` is refreshed, at most once a minute). */
  used: boolean;
}

/** Keyed by the request's EntityManager: the one object both the resolvers and the end of the request hold. */
const records = new WeakMap<EntityManager, AccessRecord>();

export function beginAccessRecord(
  em: EntityManager,
  init: { hash: string; at: Date; log: Logger; operationName: string | null; document: string | null },
): AccessRecord {
  const record: AccessRecord = {
    ...init,
    operationType: null,
    executed: false,
    fields: new Set(),
    agencyIds: new Set(),
    outcome: null,
    used: false,
  };
  records.set(em, record);
  return record;
}

/** Removes and returns the request's record (so it is written once). */
export function takeAccessRecord(em: EntityManager): AccessRecord | undefined {
  const record = records.get(em);
  if (record) records.delete(em);
  return record;
}

function errorCode(err: unknown): string {
  const code = (err as GraphQLError)?.extensions?.code;
  if (typeof code === 'string' && code) return code;
  const formatted = toClientError(err, null);
  const mapped = formatted?.extensions?.code;
  return typeof mapped === 'string' ? mapped : 'INTERNAL_SERVER_ERROR';
}

export function noteError(record: AccessRecord, err: unknown): void {
  record.outcome ??= errorCode(err);
}

function addAgency(record: AccessRecord, id: unknown): void {
  if (typeof id === 'string' && UUID.test(id) && record.agencyIds.size < MAX_AGENCY_IDS) record.agencyIds.add(id.toLowerCase());
}

/** Agency ids named by arguments: any key ending in agencyId / agencyIds, at any depth of an input. */
function noteArgs(record: AccessRecord, value: unknown, key: string, depth: number): void {
  if (value == null || depth > 8) return;
  if (Array.isArray(value)) {
    for (const v of value) noteArgs(record, v, key, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) noteArgs(record, v, k, depth + 1);
    return;
  }
  if (/agencyids?$/i.test(key)) addAgency(record, value);
}

/** The agencies of what a field resolved to: an Agency row by its id, any other row by its agency. */
function noteValue(record: AccessRecord, value: unknown, isAgency: boolean, depth = 0): void {
  if (value == null || typeof value !== 'object' || depth > 3) return;
  if (Array.isArray(value)) {
    for (const v of value) noteValue(record, v, isAgency, depth + 1);
    return;
  }
  const row = value as { id?: unknown; agency?: { id?: unknown } | null; agencyId?: unknown };
  if (isAgency) {
    addAgency(record, row.id);
    return;
  }
  if (row.agency && typeof row.agency === 'object') addAgency(record, row.agency.id);
  if (row.agencyId !== undefined) addAgency(record, row.agencyId);
}

/** Why a token may not call this root field, or null. */
function refusal(kind: 'query' | 'mutation', field: string, token: NonNullable<Principal['evaluatorToken']>): GraphQLError | null {
  if (kind === 'query') {
    if (field === 'me') return forbidden('评估令牌不对应账号，请查询 evaluatorSession (an evaluator token is not an account: query evaluatorSession)');
    return null;
  }
  if (!RECORDING_MUTATIONS.has(field)) {
    return forbidden(`评估令牌只能读取，不能执行 ${field} (an evaluator token may not call ${field})`);
  }
  if (token.permission !== 'RECORD') {
    return forbidden(`该评估令牌为只读，不能录入评估结果 (this evaluator token is read-only: it may not call ${field})`);
  }
  return null;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value != null && typeof (value as { then?: unknown }).then === 'function';
}

interface FieldPlan {
  root: 'query' | 'mutation' | null;
  isAgency: boolean;
  /** For a field of a TOKEN_HIDDEN_TYPES type: what a token gets instead ([] or null). */
  hidden: { value: [] | null } | null;
}

function resolveForToken(
  original: GraphQLFieldResolver<unknown, RequestContext>,
  plan: FieldPlan,
  token: NonNullable<Principal['evaluatorToken']>,
  source: unknown,
  args: Record<string, unknown>,
  ctx: RequestContext,
  info: GraphQLResolveInfo,
): unknown {
  const record = records.get(ctx.em);
  if (record) {
    noteArgs(record, args, '', 0);
    if (plan.root) {
      record.executed = true;
      record.operationType ??= info.operation.operation;
      if (info.operation.name) record.operationName = info.operation.name.value;
      record.fields.add(info.fieldName);
    }
  }
  if (plan.root) {
    const refused = refusal(plan.root, info.fieldName, token);
    if (refused) {
      if (record) noteError(record, refused);
      throw refused;
    }
  }
  if (plan.hidden) {
    if (plan.hidden.value === null && isNonNullType(info.returnType)) {
      const refused = forbidden(`评估令牌不能读取 ${info.parentType.name}.${info.fieldName} (internal work: not for evaluator tokens)`);
      if (record) noteError(record, refused);
      throw refused;
    }
    return plan.hidden.value === null ? null : [];
  }
  let result: unknown;
  try {
    result = original(source, args, ctx, info);
  } catch (err) {
    if (record) noteError(record, err);
    throw err;
  }
  if (record) {
    if (isPromiseLike(result)) {
      result.then(
        (value) => noteValue(record, value, plan.isAgency),
        (err: unknown) => noteError(record, err),
      );
    } else {
      noteValue(record, result, plan.isAgency);
    }
  }
  return result;
}

/**
 * Wraps, once at start-up, the resolvers of every root field and of every field that resolves to
 * objects (the objects an answer is made of); scalar fields keep their resolvers untouched. For
 * callers that are not evaluator tokens the wrapper is one property check.
 */
export function instrumentEvaluatorAccess(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const root = type === query ? 'query' : type === mutation ? 'mutation' : null;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!root && !isObjectType(named) && !isInterfaceType(named) && !isUnionType(named)) continue;
      const original = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, RequestContext>;
      const hidden = TOKEN_HIDDEN_TYPES.has(named.name)
        ? { value: isListType(isNonNullType(field.type) ? field.type.ofType : field.type) ? ([] as []) : null }
        : null;
      const plan: FieldPlan = { root, isAgency: named.name === 'Agency', hidden };
      field.resolve = (source, args, ctx: RequestContext, info) => {
        const token = ctx?.principal?.evaluatorToken;
        if (!token) return original(source, args, ctx, info);
        return resolveForToken(original, plan, token, source, args, ctx, info);
      };
    }
  }
  return schema;
}

/**
 * The name and type of an operation that never ran (refused before it started, or invalid), read from
 * the document; 'UNPARSABLE' when it does not parse.
 */
function nameFromDocument(record: AccessRecord): 'UNPARSABLE' | null {
  if (!record.document) return null;
  let document: DocumentNode;
  try {
    document = parse(record.document, { noLocation: true, maxTokens: 20_000 });
  } catch {
    return 'UNPARSABLE';
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = record.operationName ? operations.find((o) => o.name?.value === record.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (op) {
    record.operationName ??= op.name?.value ?? null;
    record.operationType ??= op.operation;
  }
  return null;
}

/**
 * Writes a request's record: one statement on the request pool, outside any transaction (the request
 * transaction has ended). Never throws: a failure is logged with the whole record instead.
 */
export async function writeAccessRecord(
  em: EntityManager,
  record: AccessRecord,
  end: { ok: boolean; failure?: unknown },
): Promise<void> {
  const parsed = record.executed ? null : nameFromDocument(record);
  const outcome =
    record.outcome ??
    (end.failure
      ? isDatabaseUnavailable(end.failure)
        ? 'SERVICE_UNAVAILABLE'
        : 'INTERNAL_SERVER_ERROR'
      : !end.ok
        ? 'ROLLED_BACK'
        : record.executed
          ? 'OK'
          : parsed === 'UNPARSABLE'
            ? 'GRAPHQL_PARSE_FAILED'
            : 'NOT_EXECUTED');
  const fields = [...record.fields].filter((f) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(f));
  try {
    await em.execute(
      'select app_log_evaluator_access(?, ?::timestamptz, ?, ?, ?::text[], ?::uuid[], ?, ?)',
      [
        record.hash,
        record.at.toISOString(),
        record.operationName,
        record.operationType,
        `{${fields.join(',')}}`,
        uuidArrayLiteral([...record.agencyIds]),
        outcome,
        record.used,
      ],
      'all',
      em.getLoggerContext(),
    );
  } catch (err) {
    record.log.error(
      {
        err,
        evaluatorAccess: {
          at: record.at,
          operationName: record.operationName,
          operationType: record.operationType,
          fields,
          agencyIds: [...record.agencyIds],
          outcome,
        },
      },
      'evaluator access log not written',
    );
  }
}
