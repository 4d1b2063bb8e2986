import path from 'node:path';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded';

export interface DatabaseHandle {
  url: string;
  embedded: EmbeddedServer | null;
  stop: () => Promise<void>;
}

export const EMBEDDED_DB_NAME = 'openness';

/** `DATABASE_URL` wins; otherwise a persistent embedded server under the data folder. */
export async function openDatabase(config: AppConfig, log: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: null, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, 'pg'),
    port: config.embeddedPort,
    log,
  });
  await server.createDatabase(EMBEDDED_DB_NAME);
  return { url: server.url(EMBEDDED_DB_NAME), embedded: server, stop: () => server.stop() };
}
