/**
 * ObjectType options for the rows of long lists (`@ObjectType('X', { description, ...LIST_ROW })`):
 * type-graphql then leaves plain fields to the default resolver, which reads them straight off the
 * row, instead of wrapping each in its middleware dispatcher — a closure call and an object per field
 * per row, thousands of times in a province's answer. Sound here because the schema has no
 * middlewares or field roles.
 */
export const LIST_ROW = { simpleResolvers: true } as const;
