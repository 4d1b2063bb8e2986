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

  it('only login and the national calendar (operator change, system recomputation) use the system EntityManager', () => {
    const users = src.filter((f) => /from '.*db\/system'/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(users.sort()).toEqual(
      ['src/main.ts', 'src/modules/account/account.service.ts', 'src/modules/calendar/calendar-system.ts'].sort(),
    );
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
