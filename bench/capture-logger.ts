import type { LogContext, LoggerOptions } from '@mikro-orm/core';
import { CountingLogger } from '../src/db/counting-logger';

/** One statement as MikroORM ran it: the text with `?` placeholders and its parameters. */
export interface CapturedStatement {
  query: string;
  params: unknown[];
  failed: boolean;
}

/** Request ids (the `x-request-id` header) whose statements are being recorded. */
const recording = new Map<string, CapturedStatement[]>();

export function startCapture(reqId: string): void {
  recording.set(reqId, []);
}

export function takeCapture(reqId: string): CapturedStatement[] {
  const out = recording.get(reqId) ?? [];
  recording.delete(reqId);
  return out;
}

/**
 * Bench-only logger (passed to `initOrm` as `loggerFactory`): the service's own CountingLogger, plus
 * a copy of every statement of the requests being recorded. MikroORM calls `logQuery` once per
 * statement after it ran, with the request's logger context (`reqId` from the request id) and — with
 * `debug` off — the query text with `?` placeholders and its parameters; the platform's
 * `formatQuery` turns them into exactly the text MikroORM sent to PostgreSQL.
 */
export class CaptureLogger extends CountingLogger {
  constructor(options: LoggerOptions) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    const reqId = (context as { reqId?: unknown }).reqId;
    if (typeof reqId === 'string' && recording.size > 0) {
      const list = recording.get(reqId);
      if (list) {
        list.push({
          query: context.query,
          params: Array.isArray(context.params) ? [...context.params] : [],
          failed: context.level === 'error',
        });
      }
    }
    super.logQuery(context);
  }
}
