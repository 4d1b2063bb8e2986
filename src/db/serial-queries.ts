import type { Client } from 'pg';

type Callback = (err: Error | null, result?: unknown) => void;
type QueryMethod = (this: Client, config: unknown, values?: unknown, callback?: Callback) => unknown;

/**
 * One statement at a time on each database connection.
 *
 * A request runs all its statements on the single connection of its transaction, and its
 * DataLoaders dispatch in the same tick (agencies → their units and their catalogues at once), as
 * do services that `Promise.all` several finds. pg 8 then queues the extra statements inside the
 * client and warns ("Calling client.query() when the client is already executing a query is
 * deprecated…"); pg 9 refuses them. Wrapping the client's `query` is the one place every statement
 * passes through — ORM finds, QueryBuilder, raw SQL through `sql()`, BEGIN/COMMIT and savepoints —
 * so nothing can bypass the queue. The order stays first come, first served, as in pg's own queue;
 * a statement is only handed to the driver once the previous one has completed.
 *
 * Installed on every pooled connection by the pool's `afterCreate` hook (src/db/mikro-orm.config.ts).
 */
export function serialiseQueries(client: Client): void {
  let tail: Promise<unknown> = Promise.resolve();
  // Looked up per call rather than captured, so a wrapper installed on the prototype later (the
  // test that proves statements never overlap) still sees every statement.
  const driverQuery = (): QueryMethod => Object.getPrototypeOf(client).query as QueryMethod;

  /** Reserves the next turn; `release` ends it (exactly once matters little: the promise settles once). */
  const nextTurn = (): { previous: Promise<unknown>; release: () => void } => {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => (release = resolve));
    return { previous, release };
  };

  const serial = function query(config: unknown, values?: unknown, callback?: Callback): unknown {
    const done = typeof values === 'function' ? (values as Callback) : callback;
    const params = typeof values === 'function' ? undefined : values;

    // Submittables (query streams, cursors) hold the connection until they end.
    if (config && typeof (config as { submit?: unknown }).submit === 'function') {
      const { previous, release } = nextTurn();
      const events = config as { once?: (event: string, fn: () => void) => void };
      if (typeof events.once === 'function') for (const e of ['end', 'error', 'close']) events.once(e, release);
      else release();
      void previous.then(() => driverQuery().call(client, config, values, callback));
      return config;
    }

    if (done) {
      const { previous, release } = nextTurn();
      void previous.then(() => {
        try {
          driverQuery().call(client, config, params, (err, result) => {
            release();
            done(err, result);
          });
        } catch (err) {
          release();
          done(err as Error);
        }
      });
      return undefined;
    }

    const run = tail.then(() => driverQuery().call(client, config, params));
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
  (client as unknown as { query: typeof serial }).query = serial;
}
