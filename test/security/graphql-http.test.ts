import http from 'node:http';
import { Role } from '../../src/modules/account/account.entity';
import { startHarness, type Harness } from '../support/harness';

/**
 * POST /graphql has two routes into Apollo (src/graphql/graphql-http.ts): plain JSON bodies of known
 * length go straight from node:http, everything else through Express and body-parser. A client must
 * not be able to tell which one answered: the same request sent both ways (the Express way forced by
 * a chunked body, which has no declared length) gets the same status, body and headers.
 */
describe('GraphQL over HTTP: the fast path answers exactly as the Express route', () => {
  let h: Harness;
  let token: string;
  let port: number;

  beforeAll(async () => {
    h = await startHarness();
    port = Number(new URL(h.url).port);
    await h.tree({ code: 'fp', units: [] });
    token = (await h.account({ username: 'fp.admin', agency: 'fp', roles: [Role.AGENCY_ADMIN] })).token;
  });
  afterAll(() => h.close());

  interface Answer {
    status: number;
    headers: http.IncomingHttpHeaders;
    text: string;
  }

  /** Sends `body` with a declared length (fast path) or chunked (Express). */
  function send(body: string | Buffer, opts: { chunked: boolean; headers?: Record<string, string> }): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
      if (opts.chunked) headers['transfer-encoding'] = 'chunked';
      else headers['content-length'] = String(buf.length);
      const req = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (opts.chunked) {
        // Two chunks, so the body really arrives in pieces.
        const half = Math.floor(buf.length / 2);
        req.write(buf.subarray(0, half));
        req.end(buf.subarray(half));
      } else req.end(buf);
    });
  }

  /** What a client sees of an answer; the request id differs per request and the date per second. */
  function visible(a: Answer) {
    return {
      status: a.status,
      body: a.text,
      contentType: a.headers['content-type'],
      cacheControl: a.headers['cache-control'],
      retryAfter: a.headers['retry-after'],
      length: a.headers['content-length'],
      hasRequestId: typeof a.headers['x-request-id'] === 'string',
    };
  }

  async function bothWays(body: string | Buffer, headers: Record<string, string> = {}) {
    const fast = await send(body, { chunked: false, headers });
    const express = await send(body, { chunked: true, headers });
    expect(visible(fast)).toEqual({ ...visible(express), length: String(Buffer.byteLength(express.text)) });
    return fast;
  }

  const auth = () => ({ authorization: `Bearer ${token}` });

  it('answers a query, a variable error, a resolver error and a syntax error the same way', async () => {
    const ok = await bothWays(JSON.stringify({ query: '{ me { username agency { code } } }' }), auth());
    expect(JSON.parse(ok.text)).toEqual({ data: { me: { username: 'fp.admin', agency: { code: 'fp' } } } });
    expect(ok.headers['cache-control']).toBe('no-store');

    const badVar = await bothWays(JSON.stringify({ query: 'query Q($n: Int!) { agencies(first: $n) { totalCount } }', variables: { n: 'x' } }), auth());
    expect(badVar.status).toBe(400);
    expect(JSON.parse(badVar.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const syntax = await bothWays(JSON.stringify({ query: '{ me { ' }), auth());
    expect(JSON.parse(syntax.text).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');

    const anonymous = await bothWays(JSON.stringify({ query: '{ me { username } }' }));
    expect(JSON.parse(anonymous.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses malformed, non-object and over-long bodies with the same errors', async () => {
    for (const body of ['{"query": "{ me { id } "', '123', '"a string"', 'null', '   ']) {
      const a = await bothWays(body, auth());
      expect(a.status).toBe(400);
      expect(JSON.parse(a.text).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    const long = await bothWays(JSON.stringify({ query: `{ me { username ${' '.repeat(20_001)} } }` }), auth());
    expect(long.status).toBe(400);
    expect(JSON.parse(long.text).errors[0].message).toMatch(/query longer than 20000/);
  });

  it('answers an empty body and a batch the same way', async () => {
    const empty = await bothWays('', auth());
    expect(empty.status).toBe(400);
    const batch = await bothWays(JSON.stringify([{ query: '{ me { username } }' }]), auth());
    expect(batch.status).toBe(400);
  });

  it('reads a UTF-8 body with a byte-order mark and Chinese text, with or without charset', async () => {
    const query = JSON.stringify({ query: '{ me { username } } # 政务公开' });
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(query, 'utf8')]);
    const a = await bothWays(withBom, auth());
    expect(JSON.parse(a.text)).toEqual({ data: { me: { username: 'fp.admin' } } });
    const b = await bothWays(query, { ...auth(), 'content-type': 'application/json; charset=UTF-8' });
    expect(JSON.parse(b.text)).toEqual({ data: { me: { username: 'fp.admin' } } });
  });

  it('echoes the caller’s request id (bounded) on the fast path', async () => {
    const a = await send(JSON.stringify({ query: '{ me { username } }' }), { chunked: false, headers: { ...auth(), 'x-request-id': 'r'.repeat(80) } });
    expect(a.headers['x-request-id']).toBe('r'.repeat(64));
  });

  it('leaves compressed bodies to body-parser', async () => {
    // An unsupported encoding is body-parser's 415; the fast path never tries to read it.
    const a = await send(JSON.stringify({ query: '{ me { username } }' }), { chunked: false, headers: { ...auth(), 'content-encoding': 'klingon' } });
    expect(a.status).toBe(415);
    expect(JSON.parse(a.text).errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
