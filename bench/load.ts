/**
 * Load generation: HTTP/1.1 keep-alive on loopback (the same client for the service and the
 * baseline), interleaved so that drift in machine load affects both sides equally:
 * - concurrency 1: strictly alternating requests, ABBA order (neither side always goes first);
 * - concurrency N: alternating blocks of requests, each block run by N workers; throughput of a side
 *   is its requests divided by the wall time of its own blocks.
 */
import http from 'node:http';

export interface Sample {
  ms: number;
  /** Statements per request as the server reports them (`x-sql-statements`). */
  sql: number | null;
  /** Time spent in SQL as the baseline reports it (`x-sql-ms`). */
  sqlMs: number | null;
  bytes: number;
}

export type Send = () => Promise<Sample>;

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export class RequestFailed extends Error {}

/**
 * POSTs `body` and resolves with the timing; `check` may reject the answer (GraphQL errors). A
 * request sent on a kept-alive socket that the server closed as idle at that very moment fails with
 * ECONNRESET before any answer ("socket hang up"); it is sent again once on a fresh socket, as
 * Node's documentation advises (`request.reusedSocket`) — nothing was processed the first time.
 */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  check?: (status: number, text: string) => string | null,
): Promise<Sample & { text: string }> {
  try {
    return await postOnce(url, body, headers, timeoutMs, check);
  } catch (err) {
    if (!(err instanceof IdleSocketClosed)) throw err;
    return postOnce(url, body, headers, timeoutMs, check);
  }
}

class IdleSocketClosed extends Error {}

function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  check?: (status: number, text: string) => string | null,
): Promise<Sample & { text: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const u = new URL(url);
    const req = http.request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          const problem = check ? check(res.statusCode ?? 0, text) : res.statusCode === 200 ? null : `HTTP ${res.statusCode}: ${text.slice(0, 500)}`;
          if (problem) {
            reject(new RequestFailed(problem));
            return;
          }
          const sql = res.headers['x-sql-statements'];
          const sqlMs = res.headers['x-sql-ms'];
          resolve({ ms, sql: sql ? Number(sql) : null, sqlMs: sqlMs ? Number(sqlMs) : null, bytes: text.length, text });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new RequestFailed(`timeout after ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      reject(req.reusedSocket && err.code === 'ECONNRESET' ? new IdleSocketClosed(err.message) : err);
    });
    req.end(body);
  });
}

/** GraphQL answers 200 with `errors` for resolver failures; both count as a failed request. */
export function graphqlCheck(status: number, text: string): string | null {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 800)}`;
  // Cheap test first: the data sets never contain this key, so parse only when it appears.
  if (text.includes('"errors":')) {
    const parsed = JSON.parse(text) as { errors?: unknown[] };
    if (parsed.errors?.length) return `GraphQL errors: ${JSON.stringify(parsed.errors).slice(0, 800)}`;
  }
  return null;
}

export function stats(values: number[]): Stats {
  if (values.length === 0) return { n: 0, p50: NaN, p95: NaN, max: NaN, mean: NaN };
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))]!;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: v.length, p50: r(at(50)), p95: r(at(95)), max: r(v[v.length - 1]!), mean: r(v.reduce((a, b) => a + b, 0) / v.length) };
}

export interface PairC1 {
  a: Sample[];
  b: Sample[];
  capped: boolean;
}

/** Alternating requests at concurrency 1, up to `n` each or until `capMs` has passed. */
export async function alternateC1(a: Send, b: Send, n: number, capMs: number): Promise<PairC1> {
  const out: PairC1 = { a: [], b: [], capped: false };
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    if (performance.now() - started > capMs) {
      out.capped = true;
      break;
    }
    // ABBA: pairs alternate which side goes first.
    if (i % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  return out;
}

export interface SideThroughput {
  requests: number;
  seconds: number;
  rps: number;
  latency: Stats;
}

/** `count` requests by `concurrency` workers; with `maxMs`, workers take no new request after that time. */
async function block(send: Send, count: number, concurrency: number, maxMs = Infinity): Promise<{ samples: Sample[]; seconds: number }> {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count && (next === 0 || performance.now() - started < maxMs)) {
      next += 1;
      samples.push(await send());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { samples, seconds: (performance.now() - started) / 1000 };
}

/**
 * Alternating blocks at `concurrency`, up to `n` requests per side or until `capMs` has passed. A
 * block holds n/8 requests (at least 2 per worker) or lasts at most a sixth of the cap, so slow
 * scenarios still alternate several times within the cap.
 */
export async function alternateBlocks(
  a: Send,
  b: Send,
  n: number,
  concurrency: number,
  capMs: number,
): Promise<{ a: SideThroughput; b: SideThroughput; capped: boolean }> {
  const size = Math.max(concurrency * 2, Math.ceil(n / 8));
  const acc = { a: { samples: [] as Sample[], seconds: 0 }, b: { samples: [] as Sample[], seconds: 0 } };
  const started = performance.now();
  let capped = false;
  let round = 0;
  while (acc.a.samples.length < n) {
    if (performance.now() - started > capMs && acc.a.samples.length > 0) {
      capped = true;
      break;
    }
    const count = Math.min(size, n - acc.a.samples.length);
    const order: Array<['a' | 'b', Send]> = round % 2 === 0 ? [['a', a], ['b', b]] : [['b', b], ['a', a]];
    for (const [side, send] of order) {
      const r = await block(send, count, concurrency, capMs / 6);
      acc[side].samples.push(...r.samples);
      acc[side].seconds += r.seconds;
    }
    round += 1;
  }
  const side = (s: { samples: Sample[]; seconds: number }): SideThroughput => ({
    requests: s.samples.length,
    seconds: Math.round(s.seconds * 100) / 100,
    rps: Math.round((s.samples.length / s.seconds) * 10) / 10,
    latency: stats(s.samples.map((x) => x.ms)),
  });
  return { a: side(acc.a), b: side(acc.b), capped };
}

/** Runs `count` calls of `send` with `concurrency` workers (no measurement beyond the samples). */
export async function run(send: Send, count: number, concurrency: number): Promise<Sample[]> {
  return (await block(send, count, concurrency)).samples;
}
