import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AgencyResolver, UnitResolver } from '../modules/agency/agency.resolver';
import { AccountResolver } from '../modules/account/account.resolver';

/** Every module adds its resolvers here; nothing is discovered by file globbing. */
export const RESOLVERS = [AgencyResolver, UnitResolver, AccountResolver] as const;

export async function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
    emitSchemaFile: false,
  });
}

/** The committed `schema/schema.graphql`: sorted so that regenerating it gives a stable diff. */
export function printCommittedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
