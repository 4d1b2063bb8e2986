import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

function files(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) return files(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

/**
 * The tenancy gate only holds if nothing else talks to the database outside it. These checks keep
 * the exceptions few and named.
 */
describe('access outside the tenancy gate', () => {
  const src = files('src');

  it('only the national calendar (operator change, system recomputation) uses the system EntityManager', () => {
    const users = src.filter((f) => /from '.*db\/system'/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(users.sort()).toEqual(['src/main.ts', 'src/modules/calendar/calendar-system.ts'].sort());
  });

  it('no other module holds the owner’s connection; login opens its own only to call the login functions', () => {
    const pools = src.filter((f) => /\bnew (Pool|Client)\(/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    // embedded.ts administers the embedded cluster itself (creating the database, its superuser password)
    // before any pool exists.
    expect(pools.sort()).toEqual(['src/db/embedded.ts', 'src/modules/account/login-store.ts']);
    const store = fs.readFileSync(path.join(root, 'src/modules/account/login-store.ts'), 'utf8');
    const called = new Set([...store.matchAll(/\b(app_\w+)\(/g)].map((m) => m[1]));
    expect([...called].sort()).toEqual(['app_login_account', 'app_login_check', 'app_login_failed', 'app_login_succeeded', 'app_principal']);
    expect(store).not.toMatch(/\b(from|into|update|delete)\s+"?(account|login_throttle\w*)\b/i);
  });

  it('only the tenant gate switches roles or scope settings', () => {
    const offenders = src.filter((f) => {
      if (f === 'src/db/tenant-gate.ts') return false;
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      return /\b(set|reset)\s+(local\s+)?role\b|set_config\s*\(\s*'(role|app\.)/i.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('modules never use the global EntityManager (orm.em) directly', () => {
    const offenders = files('src/modules').filter((f) => /\borm\.em\b/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
