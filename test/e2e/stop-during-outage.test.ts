import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { TEST_ENV, TEST_SERVICE_PASSWORD, withDatabase } from '../support/pg-env';
import { freePort } from '../support/free-port';

const root = path.join(__dirname, '..', '..');

/** Start-up of the child (no initdb, no seed: migrations are already applied) on a busy machine. */
const START_BUDGET_MS = 120_000;
/**
 * How long the stop may take. The service bounds each step by a few seconds (HTTP drain, each pool);
 * the budget is generous because two cores are shared with other test workers, and still well under
 * the 20 s after which the old shutdown gave up and exited with 1.
 */
const STOP_BUDGET_MS = 15_000;

/**
 * The scenario: the database goes away under a running service (connections cut, new ones refused —
 * this test's own database closed to connections, as in database-outage.test.ts), then the
 * supervisor stops it. The service must stop accepting requests, give up on the pools quickly, log
 * "stopped" and exit 0, instead of hanging on connections that will never answer.
 */
describe('SIGTERM while the database is unreachable', () => {
  const adminUrl = process.env[TEST_ENV.adminUrl]!;
  const dbName = `openness_t_stop_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openness-stop-'));
  let child: ChildProcess | null = null;

  const admin = async (work: (c: Client) => Promise<unknown>) => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await work(c);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await admin((c) => c.query(`create database "${dbName}" template "${process.env[TEST_ENV.template]!}"`));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await admin(async (c) => {
      await c.query(`alter database "${dbName}" with allow_connections true`);
      await c.query(`drop database if exists "${dbName}" with (force)`);
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the service on `databaseUrl` as `npm start` would (no seed), resolving once it is ready. */
  async function startService(databaseUrl: string) {
    const port = await freePort();
    const { DATABASE_URL: _external, ...rest } = process.env;
    const p = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: root,
      env: {
        ...rest,
        DATABASE_URL: databaseUrl,
        DATABASE_SERVICE_PASSWORD: TEST_SERVICE_PASSWORD,
        JWT_SECRET: 'stop-test-secret-0123456789-0123456789-abcdef',
        SEED_DEMO: 'false',
        DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = p;
    const lines: string[] = [];
    let partial = '';
    let onReady: () => void = () => undefined;
    const onData = (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts.filter((l) => l.trim())) {
        lines.push(line);
        if (line.includes('"msg":"ready"')) onReady();
      }
    };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      onReady = resolve;
      setTimeout(() => reject(new Error(`not ready in time:\n${lines.join('\n')}`)), START_BUDGET_MS).unref();
      void exited.then((code) => reject(new Error(`exited with ${code}:\n${lines.join('\n')}`)));
    });
    const url = `http://127.0.0.1:${port}/graphql`;
    const login = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { login(input: { username: "nobody", password: "whatever-1" }) { token } }` }),
      });
    /** SIGTERM; resolves with the exit code, or 'timeout' after STOP_BUDGET_MS. */
    const stop = async () => {
      p.kill('SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_BUDGET_MS).unref());
      return Promise.race([exited, timer]);
    };
    return { url, lines, login, stop };
  }

  it('connections refused: stops accepting requests, logs "stopped" and exits 0 promptly', async () => {
    const service = await startService(withDatabase(adminUrl, dbName));
    // The pools hold live connections: the login's own pool and the request pool.
    expect((await service.login()).status).toBe(401);
    try {
      await admin(async (c) => {
        await c.query(`alter database "${dbName}" with allow_connections false`);
        await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [dbName]);
      });
      // A request during the outage (it answers 503), so the pools have met the broken connections.
      // Anything else shows the service's log, which names the error.
      const during = await service.login();
      expect({ status: during.status, body: during.status === 503 ? '' : `${await during.text()}\n${service.lines.join('\n')}` }).toEqual({ status: 503, body: '' });

      const code = await service.stop();
      expect({ code, output: code === 0 ? '' : service.lines.join('\n') }).toEqual({ code: 0, output: '' });
      expect(service.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
      await expect(fetch(service.url, { method: 'POST', body: '{}' })).rejects.toThrow();
    } finally {
      // Whatever happened above, the next test starts with a database that accepts connections.
      await admin((c) => c.query(`alter database "${dbName}" with allow_connections true`));
    }
  }, START_BUDGET_MS + STOP_BUDGET_MS + 30_000);

  it('database not answering, a request waiting on it: still stops, logs "stopped" and exits 0 promptly', async () => {
    // A proxy in front of the test server that can go silent: connections stay open, nothing comes
    // back — what a hung server or a network that drops packets looks like to the service.
    const target = new URL(withDatabase(adminUrl, dbName));
    let silent = false;
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      sockets.add(client);
      client.on('error', () => undefined);
      if (silent) return;
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      upstream.on('error', () => undefined);
      client.on('data', (d) => void (silent || upstream.write(d)));
      upstream.on('data', (d) => void (silent || client.write(d)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const viaProxy = new URL(target);
    viaProxy.port = String((proxy.address() as net.AddressInfo).port);
    try {
      const service = await startService(viaProxy.toString());
      expect((await service.login()).status).toBe(401);
      silent = true;
      // A login now waits on the database for good (its answer never comes; the client gives up later).
      const waiting = service.login().then(
        (r) => r.status,
        () => 'no answer',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));

      const code = await service.stop();
      expect({ code, output: code === 0 ? '' : service.lines.join('\n') }).toEqual({ code: 0, output: '' });
      expect(service.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
      expect(await waiting).toBe('no answer');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  }, START_BUDGET_MS + STOP_BUDGET_MS + 30_000);
});
