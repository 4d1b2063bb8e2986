import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';

/**
 * Per-request statistics, passed in MikroORM's logger context. A class on purpose: MikroORM deep-copies
 * plain objects of the logger context into every fork and query, but keeps class instances by reference.
 */
export class QueryStats {
  sql = 0;
}

/**
 * MikroORM calls `logQuery` for every statement whether or not debug output is on, so counting here
 * sees ORM finds, QueryBuilder and raw SQL alike. The count feeds request logs and the test that
 * fails when nested queries issue per-row statements.
 */
export class CountingLogger extends DefaultLogger {
  constructor(options: LoggerOptions) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    const stats = (context as { stats?: QueryStats }).stats;
    if (stats) stats.sql += 1;
    super.logQuery(context);
  }
}
