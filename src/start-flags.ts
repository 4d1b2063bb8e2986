import fs from 'node:fs';
import path from 'node:path';

/**
 * The node flags `npm start` runs the service with (package.json's start script), e.g. the young
 * generation's size. Whatever starts the service in another way to stand for it — the bench's
 * process under test, the boot test — passes the same flags, or it measures another service.
 */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((w) => w.startsWith('--'));
}
