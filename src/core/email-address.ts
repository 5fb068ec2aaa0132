/**
 * What counts as an email address: one `@`, a local part of at most 64 characters, a domain
 * of dot-separated labels with a dot in it, no spaces or control characters, 254 characters
 * at most (RFC 5321's limits). Deliberately plain: it refuses what is surely a typo, and the
 * invitation that follows proves the address.
 *
 * @example
 * isEmailAddress('olivia@riverside.example') // true
 * isEmailAddress('olivia@localhost')         // false: no dot in the domain
 */
export const EMAIL_MAX = 254;

const EMAIL = /^[^\s@\u0000-\u001f\u007f]{1,64}@(?:[^\s@.\u0000-\u001f\u007f]+\.)+[^\s@.\u0000-\u001f\u007f]{2,}$/u;

export function isEmailAddress(value: string): boolean {
  return value.length <= EMAIL_MAX && EMAIL.test(value);
}
