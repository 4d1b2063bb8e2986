import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from '../logger';
import { requestStore } from '../request-store';

/**
 * GraphQL over HTTP on `node:http` — the one place a parsed request body meets Apollo — and the
 * request's hot path.
 *
 * Nearly every request is a POST to /graphql with a small JSON body of known length. Through
 * Express it passed the router, a type check, body-parser and the Apollo integration: a tenth of the
 * CPU of a small request (`me`). `graphqlFastPath` takes exactly those requests straight from the
 * HTTP server; anything else (another route, GET, a compressed or chunked body, another charset, a
 * body over the limit, a request the fast path does not recognise at all) goes to Express as before,
 * whose body-parser handles and refuses the unusual cases. Both routes end in `runGraphQL`, so the
 * GraphQL answer, its headers and its errors are the same whichever way a request came.
 */

/** The largest JSON body accepted (`express.json({ limit })` uses the same number). */
export const JSON_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** The longest query text accepted, checked before Apollo parses it. */
export const MAX_QUERY_CHARS = 20_000;

/** Sends a JSON answer the way Express's `res.json` does (type with charset, length). */
export function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(payload);
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** The GraphQL error shape, for answers that never reach Apollo (bad bodies, unknown routes, crashes). */
export function sendJsonError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extra } }] }, { 'cache-control': 'no-store' });
}

/** The request's id: the caller's `x-request-id` (bounded), or a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return (typeof given === 'string' && given.slice(0, 64)) || randomUUID();
}

/** Gives a request its id (echoed as `x-request-id`) and a logger carrying it: where both routes start. */
export function startRequest(req: IncomingMessage, res: ServerResponse, log: Logger): { reqId: string; log: Logger } {
  const reqId = requestIdOf(req);
  res.setHeader('x-request-id', reqId);
  return { reqId, log: log.child({ reqId }) };
}

/** An error nothing else answered: logged with the request, answered as a JSON 500 that names the request id. */
export function sendUnexpected(req: IncomingMessage, res: ServerResponse, err: unknown, reqId: string | undefined, log: Logger): void {
  log.error({ err, method: req.method, path: req.url }, 'unexpected error outside GraphQL');
  sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', `服务器内部错误 (internal error; request id ${reqId ?? 'unknown'})`, { requestId: reqId });
}

/** Builds the request's context (the tenancy gate is entered here); Apollo calls it once per request. */
export type ContextFunction<C> = (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<C>;

/** Answers one GraphQL request whose body is already parsed. */
export async function runGraphQL<C extends BaseContext>(
  apollo: ApolloServer<C>,
  context: ContextFunction<C>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const query = (body as { query?: unknown } | null | undefined)?.query;
  if (typeof query === 'string' && query.length > MAX_QUERY_CHARS) {
    sendJsonError(res, 400, 'BAD_REQUEST', `查询文本过长 (query longer than ${MAX_QUERY_CHARS} characters)`);
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: q < 0 ? '' : url.slice(q), body },
    context: () => context(req, res, body),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** `application/json`, optionally with `charset=utf-8`: what body-parser would decode as plain UTF-8. */
const PLAIN_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** body-parser's strict mode: a JSON body must be an object or an array. */
const FIRST_CHAR = /^[\x20\x09\x0a\x0d]*(.)/;

/**
 * Takes the request if it is a plain JSON POST to /graphql of known length within the limit, and
 * answers it; returns false (having touched nothing) for any other request. Bad bodies are refused
 * with body-parser's statuses and the same messages the Express route gives.
 */
export function graphqlFastPath(
  req: IncomingMessage,
  res: ServerResponse,
  deps: {
    log: Logger;
    run: (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<void>;
    messages: { malformed: string; aborted: string; sizeMismatch: string };
  },
): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql') return false;
  const type = req.headers['content-type'];
  if (type === undefined || !PLAIN_JSON.test(type)) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const declared = req.headers['content-length'];
  if (declared === undefined || !/^\d{1,9}$/.test(declared)) return false;
  const length = Number(declared);
  if (length > JSON_BODY_LIMIT_BYTES) return false;

  const { reqId, log } = startRequest(req, res, deps.log);
  const chunks: Buffer[] = [];
  let received = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received <= length) chunks.push(chunk);
  });
  req.on('error', () => {
    // The client went away mid-body (body-parser's `request.aborted`): answer if anyone still listens.
    failed = true;
    if (!res.headersSent && !res.writableEnded) sendJsonError(res, 400, 'BAD_REQUEST', deps.messages.aborted);
  });
  req.on('end', () => {
    if (failed) return;
    if (received !== length) {
      sendJsonError(res, 400, 'BAD_REQUEST', deps.messages.sizeMismatch);
      return;
    }
    let text = Buffer.concat(chunks, received).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let body: unknown;
    if (text.length === 0) body = {};
    else {
      const first = FIRST_CHAR.exec(text)?.[1];
      try {
        if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
        body = JSON.parse(text);
      } catch {
        sendJsonError(res, 400, 'BAD_REQUEST', deps.messages.malformed);
        return;
      }
    }
    requestStore.run({ reqId, log }, () => {
      deps.run(req, res, body).catch((err: unknown) => {
        if (!res.headersSent) sendUnexpected(req, res, err, reqId, log);
        else {
          log.error({ err, method: req.method, path: req.url }, 'unexpected error outside GraphQL');
          res.destroy();
        }
      });
    });
  });
  return true;
}
