/** The secrets of sign-in: password hashes, token hashes, readable one-time secrets. */
import { createHash, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify, type Options as ArgonOptions } from '@node-rs/argon2';

/**
 * The password hash, as one object so a test can count its calls (the sign-in of an unknown
 * username must verify exactly as often as a wrong password of a real one).
 */
export const passwordHashing = {
  hash: (password: string, options: ArgonOptions): Promise<string> => argonHash(password, options),
  verify: (hashed: string, password: string): Promise<boolean> => argonVerify(hashed, password).catch(() => false),
};

/** A new session or browser token (256 bits). */
export const randomToken = () => randomBytes(32).toString('base64url');

/** A session or browser token as stored: its SHA-256 only. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 4 groups of 4 characters from an unambiguous alphabet (~79 bits). */
export function readableSecret(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += READABLE[bytes[i]! % READABLE.length];
  }
  return out;
}

/** A readable temporary password: 4 groups of 4 characters from an unambiguous alphabet (~79 bits). */
export function temporaryPassword(): string {
  return readableSecret();
}
