import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { MikroORM } from '@mikro-orm/postgresql';
import { getDistDirectory, renderAltair } from 'altair-static';
import type { TokenSettings } from '../auth/jwt';
import type { Logger } from '../logger';
import { requestStore, currentRequest } from '../request-store';
import type { RequestContext } from './context';
import { toClientError } from './errors';
import { createRequestContext, finishRequestTransaction } from './request-context';
import { createSchema } from './schema';

export interface AppServer {
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** Stops accepting connections, lets running requests finish, and stops Apollo. */
  close: () => Promise<void>;
}

const MAX_QUERY_CHARS = 20_000;

const EXAMPLE_QUERY = `# 先用 login 取得令牌，在下方 Headers 中设置 Authorization: Bearer <token>
mutation Login {
  login(input: { username: "yanzhou.admin", password: "demo-password-1" }) {
    token
    expiresAt
  }
}

query MyTree {
  me { displayName roles agency { name } }
  agencies(first: 20) {
    totalCount
    edges { node { name kind depth units(first: 50) { totalCount edges { node { name } } } } }
  }
}
`;

/** Ends the request transaction once the response is ready; logs one line per operation. */
function transactionPlugin(exposeStats: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          // What Apollo's cache-control plugin answered for every response (nothing here sets cache
          // hints); the plugin itself is off, see createAppServer.
          if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
          try {
            await finishRequestTransaction(contextValue.em, true);
          } catch (err) {
            contextValue.log.error({ err }, 'commit failed');
            if (body) {
              body.data = null;
              body.errors = [
                { message: `提交失败，未保存任何修改 (commit failed; nothing was saved)`, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
              ];
            }
          }
          if (exposeStats) response.http.headers.set('x-sql-statements', String(contextValue.stats.sql));
          contextValue.log.info(
            {
              op: operationName ?? null,
              account: contextValue.principal?.accountId ?? null,
              ms: Number(process.hrtime.bigint() - started) / 1e6,
              sql: contextValue.stats.sql,
              errors: body?.errors?.map((e) => e.extensions?.code) ?? [],
            },
            'graphql',
          );
        },
      };
    },
  };
}

export async function createAppServer(deps: {
  orm: MikroORM;
  tokens: TokenSettings;
  log: Logger;
  /** Adds an `x-sql-statements` response header (tests and benchmarks count statements per request). */
  exposeStats?: boolean;
}): Promise<AppServer> {
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag, a large nested answer included; GraphQL
  // answers are POSTs marked `cache-control: no-store`, so no client ever revalidates with one.
  app.set('etag', false);
  const httpServer = http.createServer(app);
  const schema = await createSchema();
  const armor = new ApolloArmor({
    maxDepth: { n: 16 },
    maxAliases: { n: 20 },
    // Cost multiplies by literal `first` arguments: roughly the number of fields a query may resolve
    // in the worst case. 1e6 admits a page of 100 agencies with their children and units.
    costLimit: { maxCost: 1_000_000, objectCost: 1, scalarCost: 1, depthCostFactor: 1 },
    // armor's token limit re-parses inside a plugin hook, which turns a syntax error into a 500;
    // the document-size check below bounds the same thing.
    maxTokens: { enabled: false },
    maxDirectives: { n: 30 },
  });
  const protection = armor.protect();

  const apollo = new ApolloServer<RequestContext>({
    schema,
    ...protection,
    validationRules: [...protection.validationRules],
    plugins: [
      ...protection.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // The implicit cache-control plugin hooks `willResolveField`, which makes Apollo wrap EVERY
      // field resolver of the schema for every request (a few percent of a large list's CPU). No
      // type sets cache hints, so all it ever did was `cache-control: no-store`, now set above.
      ApolloServerPluginCacheControlDisabled(),
      transactionPlugin(deps.exposeStats ?? process.env.EXPOSE_SQL_STATS === 'true'),
    ],
    includeStacktraceInErrorResponses: false,
    // Apollo disables introspection when NODE_ENV=production (the default of `npm start`, see
    // src/production-mode.ts); the bundled IDE needs it, and the schema is no secret (it is committed).
    introspection: true,
    formatError: (formatted, error) => {
      const { reqId, log } = currentRequest();
      const replaced = toClientError(error, log, reqId);
      const out = replaced ?? formatted;
      // Never leak stack traces or internal exception details, whatever produced the error.
      if (out.extensions) {
        const { stacktrace: _s, exception: _e, ...rest } = out.extensions as Record<string, unknown>;
        return { ...out, extensions: rest };
      }
      return out;
    },
  });
  await apollo.start();

  app.use((req, res, next) => {
    const reqId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 64)) || randomUUID();
    res.setHeader('x-request-id', reqId);
    requestStore.run({ reqId, log: deps.log.child({ reqId }) }, next);
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.orm.em.getConnection().execute('select 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch (err) {
      currentRequest().log.error({ err }, 'health check failed');
      res.status(503).json({ status: 'error', database: 'unreachable' });
    }
  });

  // The IDE is served from the altair-static package itself: agency intranets have no internet.
  app.use('/ide', express.static(getDistDirectory(), { index: false, maxAge: '1d' }));
  const ideHtml = renderAltair({ baseURL: '/ide/', endpointURL: '/graphql', initialQuery: EXAMPLE_QUERY });
  app.get(['/', '/graphql'], (req, res, next) => {
    if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html' && !req.query.query) {
      res.type('html').send(ideHtml);
      return;
    }
    next();
  });

  app.use(
    '/graphql',
    express.json({ limit: '2mb' }),
    (req, res, next) => {
      const query: unknown = req.body?.query;
      if (typeof query === 'string' && query.length > MAX_QUERY_CHARS) {
        res.status(400).json({
          errors: [{ message: `查询文本过长 (query longer than ${MAX_QUERY_CHARS} characters)`, extensions: { code: 'BAD_REQUEST' } }],
        });
        return;
      }
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const { reqId, log } = currentRequest();
        const ctx = await createRequestContext({ orm: deps.orm, tokens: deps.tokens, req, reqId: reqId ?? randomUUID(), log });
        // Apollo skips willSendResponse on some early failures; never let a request keep its connection.
        res.once('close', () => {
          if (ctx.em.getTransactionContext()) {
            finishRequestTransaction(ctx.em, false).catch((err) => log.error({ err }, 'rollback after close failed'));
          }
        });
        return ctx;
      },
    }),
  );

  return {
    httpServer,
    apollo,
    close: async () => {
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
