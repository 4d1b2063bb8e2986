import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectLean, type Lean } from '../../db/row-mapper';
import { uuidArrayLiteral } from '../../db/sql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { InfoRequest, RequestAppeal, RequestConsultation, RequestEvent } from './request.entity';

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

/**
 * Information requests: every loader is one statement per batch, whatever the number of requests
 * asked for. Row-level security decides what each returns (the caller's subtree; evaluators none).
 */
export function createRequestLoaders(em: EntityManager) {
  const byRequest = <T extends { id: string; request: { id: string } }>(entity: new () => T, order: string) =>
    new DataLoader<string, Lean<T>[]>(async (ids) => {
      const rows = await selectLean(em, entity, `where t.request_id = any(?::uuid[]) order by t.request_id, ${order}`, [uuidArrayLiteral(ids)]);
      const grouped = groupBy(rows, (r) => r.request.id);
      return ids.map((id) => grouped.get(id) ?? []);
    });

  return {
    byId: byIdLoader(em, InfoRequest),
    consultationById: byIdLoader(em, RequestConsultation),
    appealById: byIdLoader(em, RequestAppeal),
    /** Everything that happened to a request, in order. */
    eventsByRequest: byRequest(RequestEvent, 't.recorded_at, t.created_at, t.id'),
    consultationsByRequest: byRequest(RequestConsultation, 't.started_on, t.created_at, t.id'),
    appealsByRequest: byRequest(RequestAppeal, 't.filed_on, t.created_at, t.id'),
  };
}
