import { startHarness, type Harness } from '../support/harness';

/**
 * Attacks on the HTTP layer below GraphQL: each must get the GraphQL error shape with a code and a 4xx
 * status, never Express's HTML page, a stack trace or a path on the server's disk.
 */
describe('HTTP-level errors are JSON with a code', () => {
  let h: Harness;
  let base: string;

  beforeAll(async () => {
    h = await startHarness();
    base = h.url.replace(/\/graphql$/, '');
  });
  afterAll(() => h.close());

  async function expectJsonError(res: Response, status: number, code: string): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toMatch(/<html|<pre|stacktrace|\bat .*:\d+:\d+|node_modules|\/work\/|\/home\/|\.ts:\d+/i);
    const body = JSON.parse(text) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors).toHaveLength(1);
    expect(typeof body.errors[0]!.message).toBe('string');
    expect(body.errors[0]!.extensions.code).toBe(code);
  }

  it('answers a malformed JSON body with 400 BAD_REQUEST', async () => {
    const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ me { id } "' });
    await expectJsonError(res, 400, 'BAD_REQUEST');
  });

  it('answers a text/plain POST with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await expectJsonError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a form POST with 415 too', async () => {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    });
    await expectJsonError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body over the JSON limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(3 * 1024 * 1024) } });
    const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await expectJsonError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown charset with 415', async () => {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=klingon' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await expectJsonError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown routes with 404 NOT_FOUND', async () => {
    await expectJsonError(await fetch(`${base}/nope`), 404, 'NOT_FOUND');
    await expectJsonError(await fetch(`${base}/nope`, { method: 'POST' }), 404, 'NOT_FOUND');
    await expectJsonError(await fetch(`${base}/ide/does-not-exist.js`), 404, 'NOT_FOUND');
    await expectJsonError(await fetch(`${base}/../../etc/passwd`), 404, 'NOT_FOUND');
  });

  it('answers a malformed URL escape without an HTML page', async () => {
    const res = await fetch(`${base}/ide/%E0%A4%A`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('still serves GraphQL and the health check', async () => {
    const res = await h.gql('{ __typename }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ __typename: 'Query' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
