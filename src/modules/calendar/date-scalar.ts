import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isIsoDate } from './date-utils';

const MESSAGE = '日期格式应为YYYY-MM-DD (expected a calendar date YYYY-MM-DD)';

function invalid(value: unknown): GraphQLError {
  return new GraphQLError(`${MESSAGE}: ${JSON.stringify(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * `Date`: a China-local calendar date as `YYYY-MM-DD`. Kept as a string end to end (PostgreSQL `date`
 * columns arrive as strings too), so no time zone can shift it by a day.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: '日期 (calendar date in China, YYYY-MM-DD)',
  serialize(value) {
    if (typeof value === 'string' && isIsoDate(value)) return value;
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
    throw invalid(value);
  },
  parseValue(value) {
    if (isIsoDate(value)) return value;
    throw invalid(value);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING && isIsoDate(ast.value)) return ast.value;
    throw invalid(ast.kind === Kind.STRING ? ast.value : ast.kind);
  },
});
