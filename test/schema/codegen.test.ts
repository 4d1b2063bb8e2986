import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const root = path.join(__dirname, '..', '..');

describe('codegen', () => {
  it('test/generated/operations.ts is what codegen.yml produces now (run `npm run codegen`)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codegen-'));
    const out = path.join(dir, 'operations.ts');
    const config = fs
      .readFileSync(path.join(root, 'codegen.yml'), 'utf8')
      .replace('test/generated/operations.ts:', `${JSON.stringify(out)}:`);
    const configFile = path.join(dir, 'codegen.yml');
    fs.writeFileSync(configFile, config);
    // The codegen CLI is ESM-only inside; run it as its own process rather than through jest's CJS loader.
    execFileSync(process.execPath, [path.join(root, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js'), '--config', configFile, '--silent'], {
      cwd: root,
      stdio: 'pipe',
    });
    expect(fs.readFileSync(path.join(root, 'test', 'generated', 'operations.ts'), 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
