/** CSRF protection of a session's changes: a token derived from the session's, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The CSRF token of a session: derived from its token, so it needs no storage and reveals nothing. */
export function csrfTokenFor(token: string): string {
  return createHash('sha256').update('chartguard-csrf\n').update(token).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
