/**
 * How a member came to have an access to a client: the path a decision is explained with
 * (client-access.ts computes it; member-profile.ts keeps the ones the roles give).
 */
import type { MemberId } from './practice.js';

/** How a member came to have an access: the reason it can be explained with. */
export type AccessPath =
  | { readonly kind: 'account_owner' }
  | { readonly kind: 'primary_clinician' }
  | { readonly kind: 'supervision'; readonly supervisee: MemberId }
  | { readonly kind: 'role'; readonly role: string }
  | { readonly kind: 'clinical_grant'; readonly expiresAt: number | null }
  | { readonly kind: 'shared_with_all' };

export interface ClientAccess {
  /** Profile and administrative data within the member's role; null: none. */
  readonly administrative: AccessPath | null;
  /** The full clinical record; null: none. */
  readonly clinical: AccessPath | null;
}
