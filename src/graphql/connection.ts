import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Max, Min, MaxLength } from 'class-validator';
import { badInput } from './errors';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: '每页条数 (page size), 1–100' })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: '游标 (cursor): the endCursor of the previous page' })
  @MaxLength(500)
  after?: string | null;
}

@ObjectType({ description: '分页信息 (page info) of a Relay connection' })
export class PageInfo {
  @Field(() => Boolean, { description: '是否有下一页 (whether more items follow)' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: '本页最后一条的游标 (cursor of the last edge)' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted when first read (see `toConnection`): GraphQL reads it only when a query selects it. */
  readonly totalCount: number | Promise<number>;
}

/** Builds `XConnection` / `XEdge` types for a node type (Relay cursor connections). */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string, zh: string) {
  @ObjectType(`${name}Edge`, { description: `${zh}边 (${name} edge)` })
  class EdgeType {
    @Field(() => String, { description: '游标 (cursor)' })
    cursor!: string;

    @Field(() => node, { description: `${zh} (the ${name})` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `${zh}列表 (${name} connection)` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: '边 (edges)' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: '分页信息 (page info)' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: '符合条件的总数 (total number of matching items)' })
    totalCount!: number;
  }
  return ConnectionClass;
}

/** Keyset cursor: the sort value and id of the last row, so pages stay stable under inserts. */
export type CursorKey = [string | number, string];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, field = 'after'): CursorKey | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      typeof parsed[1] === 'string'
    ) {
      return parsed as CursorKey;
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(field, '游标无效 (malformed cursor)');
}

/**
 * An edge whose cursor is encoded only when asked for: nested lists rarely select `cursor`, and
 * encoding one per row (JSON + base64) was a visible share of a large nested query.
 */
class LazyEdge<T> implements Edge<T> {
  private encoded: string | undefined;

  constructor(
    readonly node: T,
    private readonly key: CursorKey,
  ) {}

  get cursor(): string {
    return (this.encoded ??= encodeCursor(this.key));
  }
}

/**
 * Turns `first + 1` fetched rows into a connection. `totalCount` is a number, or a function that
 * counts: it is called the first time the field is read, so a query that does not select
 * `totalCount` — most nested lists — costs no count statement. Counts of sibling connections still
 * batch into one statement through their DataLoader (src/graphql/paged-loader.ts).
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  totalCount: number | (() => Promise<number>),
  keyOf: (row: T) => CursorKey,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges: Edge<T>[] = page.map((node) => new LazyEdge(node, keyOf(node)));
  const last = edges[edges.length - 1];
  let total: number | Promise<number> | undefined = typeof totalCount === 'number' ? totalCount : undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      get endCursor() {
        return last ? last.cursor : null;
      },
    },
    get totalCount() {
      return (total ??= (totalCount as () => Promise<number>)());
    },
  };
}
