import type { GraphQLFormattedError } from 'graphql';
import http from 'node:http';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { jitGateway } from './jit-executor';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { BREAK, visit, type DocumentNode } from 'graphql';
import { getDistDirectory, renderAltair } from 'altair-static';
import type { TokenSettings } from '../auth/jwt';
import type { Logger } from '../logger';
import { requestStore, currentRequest } from '../request-store';
import { graphqlFastPath, JSON_BODY_LIMIT_BYTES, requestIdOf, runGraphQL, sendJsonError, sendUnexpected, startRequest } from './graphql-http';
import type { RequestContext } from './context';
import { isDatabaseUnavailable, OUTAGE_RETRY_AFTER_SECONDS } from '../db/outage';
import { serviceUnavailable, toClientError, unauthenticated } from './errors';
import { createRequestContext, finishRequestTransaction } from './request-context';
import { createSchema } from './schema';
import { rowMapper } from '../db/row-mapper';
import { Account } from '../modules/account/account.entity';
import { LoginStore } from '../modules/account/login-store';

export interface AppServer {
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** Stops accepting connections, lets running requests finish, stops Apollo and closes the login pool. */
  close: () => Promise<void>;
}

/** The same limit as the fast path's, for body-parser and in its message. */
const JSON_BODY_LIMIT = `${JSON_BODY_LIMIT_BYTES / (1024 * 1024)}mb`;

/** body-parser's error types; their own messages quote the body or name modules, so ours replace them. */
const HTTP_CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'BAD_REQUEST', message: '请求体不是有效的 JSON (malformed JSON body)' },
  'entity.too.large': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: `请求体过大 (request body larger than ${JSON_BODY_LIMIT})`,
  },
  'encoding.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容编码 (unsupported content encoding)' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的字符集 (unsupported charset)' },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', message: '请求被中断 (request aborted)' },
  'request.size.invalid': { status: 400, code: 'BAD_REQUEST', message: '请求体长度不符 (request size did not match content length)' },
};

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

/** Whether the document asks for the schema (`__schema` or `__type`; `__typename` is harmless). */
function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Introspection only for signed-in callers: the bundled IDE works once a token is set, while an
 * anonymous scanner cannot map every mutation and input type. Checked in `didResolveOperation`, which
 * runs for every request after the context (and so the verified principal) exists — a validation
 * rule would be skipped when Apollo finds the document already validated in its document cache.
 */
function introspectionGuardPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document }) {
          if (!contextValue.principal && usesIntrospection(document)) {
            throw unauthenticated('登录后才能查询 schema (introspection requires signing in)');
          }
        },
      };
    },
  };
}

/** Ends the request transaction once the response is ready; logs one line per operation. */
function transactionPlugin(exposeStats: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ contextValue, response, operationName, operation }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          // What Apollo's cache-control plugin answered for every response (nothing here sets cache
          // hints); the plugin itself is off, see createAppServer.
          if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
          // All or nothing: an operation with several mutations is one transaction. If any of them
          // (or any field of their answers) failed, nothing of the request is kept — a client that
          // sees `data: null` must not find half of its changes saved.
          const failedMutation = operation?.operation === 'mutation' && Boolean(body?.errors?.length);
          try {
            await finishRequestTransaction(contextValue.em, !failedMutation);
            if (failedMutation && body) {
              body.data = null;
              body.errors = [
                ...(body.errors ?? []),
                {
                  message: '本次请求中的修改均未保存 (nothing in this request was saved: all its mutations succeed or none does)',
                  extensions: { code: 'ROLLED_BACK' },
                },
              ];
            }
          } catch (err) {
            const outage = isDatabaseUnavailable(err);
            contextValue.log.error({ err }, 'commit failed');
            if (body) {
              body.data = null;
              body.errors = [
                {
                  message: `提交失败，未保存任何修改 (commit failed; nothing was saved)`,
                  extensions: outage
                    ? { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS }
                    : { code: 'INTERNAL_SERVER_ERROR' },
                },
              ];
            }
          }
          // A request that met the outage in a resolver (or its commit) is retryable: say so in HTTP too.
          if (body?.errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
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
  // Login's own small pool, with the request pool's login (see LoginStore for why not the same pool).
  const logins = new LoginStore(
    deps.orm.config.get('clientUrl')!,
    rowMapper(deps.orm.em as EntityManager, Account),
    deps.log,
  );
  // Express hashes every response body for an ETag, a large nested answer included; GraphQL
  // answers are POSTs marked `cache-control: no-store`, so no client ever revalidates with one.
  app.set('etag', false);
  // The hot path (src/graphql/graphql-http.ts) takes plain JSON POSTs to /graphql; Express the rest.
  const fastPath = {
    log: deps.log,
    run: (req: http.IncomingMessage, res: http.ServerResponse, body: unknown) => runGraphQL(apollo, context, req, res, body),
    messages: {
      malformed: HTTP_CLIENT_ERRORS['entity.parse.failed']!.message,
      aborted: HTTP_CLIENT_ERRORS['request.aborted']!.message,
      sizeMismatch: HTTP_CLIENT_ERRORS['request.size.invalid']!.message,
    },
  };
  const httpServer = http.createServer((req, res) => {
    if (!graphqlFastPath(req, res, fastPath)) app(req, res);
  });
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
    // The schema comes with its executor (graphql-jit, see src/graphql/jit-executor.ts).
    gateway: jitGateway(schema),
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
      introspectionGuardPlugin(),
      transactionPlugin(deps.exposeStats ?? process.env.EXPOSE_SQL_STATS === 'true'),
    ],
    includeStacktraceInErrorResponses: false,
    // Apollo disables introspection when NODE_ENV=production (the default of `npm start`, see
    // src/production-mode.ts); the bundled IDE needs it. introspectionGuardPlugin keeps it to
    // signed-in callers.
    introspection: true,
    formatError: (formatted, error) => {
      const { reqId, log } = currentRequest();
      const replaced = toClientError(error, log, reqId);
      let out = replaced ?? formatted;
      // graphql-armor masks `Did you mean "x"?` in validation errors only; enum and input-field
      // suggestions from variable coercion ("Did you mean the enum value ...?") would still list
      // names of the schema to anonymous callers.
      if (/Did you mean/.test(out.message)) out = { ...out, message: out.message.replace(/\s*Did you mean [^?]*\?/g, '').trim() };
      out = withCoercionField(out);
      // Never leak stack traces or internal exception details, whatever produced the error.
      if (out.extensions) {
        const { stacktrace: _s, exception: _e, ...rest } = out.extensions as Record<string, unknown>;
        return { ...out, extensions: rest };
      }
      return out;
    },
  });
  await apollo.start();

  const context = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<RequestContext> => {
    const { reqId, log } = currentRequest();
    let ctx: RequestContext;
    try {
      ctx = await createRequestContext({ orm: deps.orm, tokens: deps.tokens, req, body, reqId: reqId ?? requestIdOf(req), log });
    } catch (err) {
      // No connection, or it broke while opening the transaction: a retryable 503, not a 500.
      if (isDatabaseUnavailable(err)) {
        log.warn({ err }, 'database unavailable');
        throw serviceUnavailable();
      }
      throw err;
    }
    ctx.logins = logins;
    // Apollo skips willSendResponse on some early failures; never let a request keep its connection.
    res.once('close', () => {
      if (ctx.em.getTransactionContext()) {
        finishRequestTransaction(ctx.em, false).catch((err) => log.error({ err }, 'rollback after close failed'));
      }
    });
    return ctx;
  };

  app.use((req, res, next) => {
    requestStore.run(startRequest(req, res, deps.log), next);
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.orm.em.getConnection().execute('select 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch (err) {
      currentRequest().log.error({ err }, 'health check failed');
      res.status(503).setHeader('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
      res.json({ status: 'error', database: 'unreachable' });
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
    (req, res, next) => {
      // A POST that is not JSON (a form post, text/plain) would reach Apollo without a parsed body,
      // which answers with a plain-text 500; refuse it here as the client error it is.
      if (req.method === 'POST' && !req.is('application/json')) {
        sendJsonError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', '请求体必须是 JSON (request body must be application/json)');
        return;
      }
      next();
    },
    express.json({ limit: JSON_BODY_LIMIT }),
    // Express 5 hands a rejected promise to the error handler below.
    (req, res) => runGraphQL(apollo, context, req, res, (req as { body?: unknown }).body),
  );

  // After every route: an unknown path gets a JSON 404, not Express's HTML page.
  app.use((_req, res) => {
    sendJsonError(res, 404, 'NOT_FOUND', '没有这个地址 (no such route)');
  });

  // Express's default error handler answers with an HTML page and, outside production, the stack
  // trace with absolute paths. Body-parser errors (malformed JSON, too large, bad charset) carry a
  // 4xx status and become a JSON error with a fixed message; anything else is logged and answered
  // like an unexpected resolver error. Express recognises an error handler by its four parameters.
  app.use((err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown };
    const rawStatus = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
    const status = rawStatus >= 400 && rawStatus < 600 ? rawStatus : 500;
    if (status < 500) {
      const known = HTTP_CLIENT_ERRORS[String(e.type)];
      if (known) sendJsonError(res, known.status, known.code, known.message);
      else sendJsonError(res, status, 'BAD_REQUEST', '请求无效 (bad request)');
      return;
    }
    const { reqId, log } = currentRequest();
    sendUnexpected(req, res, err, reqId, log);
  });

  return {
    httpServer,
    apollo,
    close: async () => {
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await logins.close();
    },
  };
}

/**
 * Variable-coercion errors of graphql-js (`Variable "$i" got invalid value "X" at "i.outcome"; Value
 * "X" does not exist in "RequestOutcome" enum.`) name the offending field only in their text; like
 * every other input error they also carry it as `extensions.field` (the variable's path as sent).
 */
function withCoercionField(out: GraphQLFormattedError): GraphQLFormattedError {
  const ext = (out.extensions ?? {}) as Record<string, unknown>;
  if (ext.code !== 'BAD_USER_INPUT' || typeof ext.field === 'string') return out;
  const m = /^Variable "\$([^"]+)" got invalid value .*? at "([^"]+)"/s.exec(out.message) ?? /^Variable "\$([^"]+)"/.exec(out.message);
  if (!m) return out;
  return { ...out, extensions: { ...ext, field: m[2] ?? m[1] } };
}
