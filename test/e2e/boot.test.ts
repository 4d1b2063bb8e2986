import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/free-port';
import { startNodeFlags } from '../../src/start-flags';

const root = path.join(__dirname, '..', '..');

/** How long one start may take before the test gives up (see boot()). */
const BOOT_BUDGET_MS = 240_000;

/** Starts the service exactly as `npm start` does (embedded database, demo seed) and waits until it is ready. */
function boot(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, [...startNodeFlags(), '-r', '@swc-node/register', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    // Generous on purpose: on a busy CI machine (other suites keep both cores busy) initdb, the
    // migrations and the demo seed of a first start have taken over a minute; a quiet start takes 4 s.
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${lines.join('\n')}`)), BOOT_BUDGET_MS);
    // Output arrives in chunks that may cut a line anywhere: keep the unfinished tail for the next one.
    let partial = '';
    const onData = (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete) {
        if (!line.trim()) continue;
        lines.push(line);
        if (line.includes('"msg":"ready"')) {
          clearTimeout(timer);
          resolve({ child, lines });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${lines.join('\n')}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm start on an empty data folder', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openness-boot-'));
  let env: NodeJS.ProcessEnv;
  let url: string;

  beforeAll(async () => {
    fs.chmodSync(dataDir, 0o755);
    const port = await freePort();
    const { DATABASE_URL: _external, ...rest } = process.env;
    env = { ...rest, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'info' };
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts, seeds the demo data, serves logins, survives a restart and stops cleanly', async () => {
    const first = await boot(env);
    try {
      expect(first.lines.some((l) => l.includes('demo data seeded'))).toBe(true);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const gql = async (query: string, token?: string) =>
        (await (
          await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify({ query }),
          })
        ).json()) as { data: any; errors?: unknown[] };
      const login = await gql(`mutation { login(input: { username: "yanzhou.admin", password: "demo-password-1" }) { token } }`);
      const token = login.data.login.token as string;
      const me = await gql(`{ me { agency { name catalogue(year: 2024) { status items(first: 100) { totalCount } } } } }`, token);
      expect(me.errors).toBeUndefined();
      expect(me.data.me.agency.name).toBe('济宁市公安局兖州分局');
      expect(me.data.me.agency.catalogue.items.totalCount).toBeGreaterThanOrEqual(25);
    } finally {
      expect(await stop(first.child)).toBe(0);
    }
    expect(fs.existsSync(path.join(dataDir, 'dev-jwt-secret'))).toBe(true);
    // The embedded superuser's generated password (no longer the fixed 'postgres'), owner-only.
    expect(fs.statSync(path.join(dataDir, 'superuser-db-password')).mode & 0o777).toBe(0o600);

    const second = await boot(env);
    try {
      expect(second.lines.some((l) => l.includes('"seeded":false'))).toBe(true);
      expect(second.lines.some((l) => l.includes('migrations applied'))).toBe(false);
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
  }, 2 * BOOT_BUDGET_MS + 60_000);
});
