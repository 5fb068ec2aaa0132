/**
 * The core's closed vocabularies (roles, permissions, areas, note kinds, reports, refusal
 * codes) are `as const` lists with a type derived from each; `oneOf` makes the guard that
 * tells a word from outside (a request, a scenario) is one of them.
 *
 * @example
 * export const isRole = oneOf(ROLES); // (value: unknown) => value is Role
 */
export function oneOf<T extends string>(list: readonly T[]): (value: unknown) => value is T {
  return (value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);
}
