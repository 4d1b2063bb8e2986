/**
 * Production mode unless the environment says otherwise. graphql-js decides ONCE, when its modules
 * are first loaded, whether to run its development checks (`instanceOf` compares constructor names
 * across realms on every type check: several percent of a large query's CPU); graphql-armor picks
 * its build and Express its settings the same way. So this module must be imported before anything
 * that loads them: it is the first import of src/main.ts (and of the benchmark). Jest sets
 * NODE_ENV=test itself and never loads this file; `NODE_ENV=development npm start` keeps the checks.
 */
process.env.NODE_ENV ??= 'production';

export {};
