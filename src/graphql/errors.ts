import { isDatabaseUnavailable, OUTAGE_RETRY_AFTER_SECONDS } from '../db/outage';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  DriverException,
  ForeignKeyConstraintViolationException,
  NotNullConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { Logger } from '../logger';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  /** Too much heavy work (spreadsheets) at once: retry after `extensions.retryAfterSeconds`. */
  | 'SERVICE_BUSY'
  /** The database cannot be reached: HTTP 503 with `Retry-After`; retry later. */
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** An error meant for the client: a code, a clear message and, for input problems, the field. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: { field?: string; [k: string]: unknown } = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const DATABASE_UNAVAILABLE_MESSAGE = '数据库暂时不可用，请稍后重试 (the database is unavailable; retry shortly)';

/** The database cannot be reached: 503 with Retry-After (Apollo applies `extensions.http` to the HTTP answer). */
export const serviceUnavailable = () =>
  new AppError('SERVICE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE, {
    retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS,
    http: { status: 503, headers: new Map([['retry-after', String(OUTAGE_RETRY_AFTER_SECONDS)]]) },
  });

export const unauthenticated = (message = '未登录或登录已失效 (authentication required)') =>
  new AppError('UNAUTHENTICATED', message, { http: { status: 401 } });
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `${what} ${id} not found`, { id });
export const badInput = (field: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field, ...extra });
export const conflict = (message: string, field?: string) =>
  new AppError('CONFLICT', message, field ? { field } : {});

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function firstValidationProblem(errors: ValidationErrorLike[], prefix = ''): { field: string; message: string } | null {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints && Object.keys(e.constraints).length) {
      return { field, message: Object.values(e.constraints)[0]! };
    }
    const nested = firstValidationProblem(e.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/** Unique constraints whose violation points at one input field (rows of other tenants are invisible, so only the index can tell). */
const CONSTRAINT_FIELDS: Record<string, string> = {
  agency_code_unique: 'input.code',
  account_username_unique: 'input.username',
  unit_agency_code_unique: 'input.code',
  unit_agency_name_unique: 'input.name',
};

export function registerConstraintField(constraint: string, field: string): void {
  CONSTRAINT_FIELDS[constraint] = field;
}

/** PostgreSQL error codes that are the caller's fault, not the server's. */
const PG_USER_ERRORS: Record<string, ErrorCode> = {
  '22P02': 'BAD_USER_INPUT', // invalid text representation (e.g. a malformed uuid)
  '22001': 'BAD_USER_INPUT', // value too long
  '22007': 'BAD_USER_INPUT', // invalid datetime
  '22008': 'BAD_USER_INPUT',
  '23514': 'BAD_USER_INPUT', // check constraint
  '42501': 'FORBIDDEN', // row-level security or privilege refusal
};

/**
 * Turns anything thrown inside a resolver into a client-safe error: known errors keep their code,
 * database constraint errors become CONFLICT / BAD_USER_INPUT / FORBIDDEN, and the rest becomes a
 * generic INTERNAL_SERVER_ERROR whose details stay in the log under the request id.
 */
export function toClientError(err: unknown, log: Logger | null, reqId?: string): GraphQLFormattedError | null {
  const original = err instanceof GraphQLError && err.originalError ? err.originalError : err;
  // Errors raised as GraphQLError on purpose (ours, graphql-js, Apollo, graphql-armor) keep their code.
  if (original instanceof GraphQLError) return null;
  const base = err instanceof GraphQLError ? { path: err.path, locations: err.locations } : {};

  const validation = (original as { extensions?: { validationErrors?: ValidationErrorLike[] } })?.extensions
    ?.validationErrors;
  if (validation) {
    const problem = firstValidationProblem(validation);
    const field = problem?.field ?? 'input';
    return {
      ...base,
      message: `${field}: ${problem?.message ?? 'invalid value'}`,
      extensions: { code: 'BAD_USER_INPUT', field },
    };
  }
  if (original instanceof UniqueConstraintViolationException) {
    const constraint = (original as unknown as { constraint?: string }).constraint;
    const field = constraint ? CONSTRAINT_FIELDS[constraint] : undefined;
    return {
      ...base,
      message: `${field ? `${field}: ` : ''}已存在相同的记录 (already exists)`,
      extensions: { code: 'CONFLICT', ...(field ? { field } : {}) },
    };
  }
  if (original instanceof ForeignKeyConstraintViolationException || original instanceof NotNullConstraintViolationException) {
    return { ...base, message: '引用的记录不存在或缺少必填项 (invalid reference)', extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (original instanceof DriverException) {
    const code = (original as unknown as { code?: string }).code;
    const mapped = code ? PG_USER_ERRORS[code] : undefined;
    if (mapped === 'FORBIDDEN')
      return { ...base, message: '无权修改该数据 (not allowed to change this data)', extensions: { code: 'FORBIDDEN' } };
    if (mapped) return { ...base, message: `输入无效 (invalid input)`, extensions: { code: mapped } };
  }
  if (err instanceof GraphQLError && !err.originalError) {
    // Parse/validation/variable-coercion errors from graphql-js itself: keep message and code.
    return null;
  }
  if (isDatabaseUnavailable(original)) {
    log?.warn({ err: original, reqId }, 'database unavailable');
    return { ...base, message: DATABASE_UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS } };
  }
  log?.error({ err: original, reqId }, 'unexpected error in resolver');
  return {
    ...base,
    message: `服务器内部错误 (internal error; request id ${reqId ?? 'unknown'})`,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: reqId },
  };
}
