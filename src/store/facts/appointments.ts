/**
 * Appointments as a command reads them: a claim's (core/claims.ts `ClaimableAppointment`).
 * Loaded in system mode inside the command's transaction, like every command's facts.
 */
import type { ClaimableAppointment } from '../../core/index.js';
import type { Queryable } from '../db/database.js';

export async function loadAppointments(tx: Queryable, practice: string, ids: readonly string[]): Promise<Map<string, ClaimableAppointment>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ id: string; client_id: string; clinician: string; bill_as: string | null; fee: string; claimed: boolean }>(
    `select a.id, a.client_id, a.clinician, a.bill_as, a.fee::text as fee,
            exists (select 1 from chartguard.claims k where k.practice_id = a.practice_id and k.appointment_id = a.id and k.status <> 'denied') as claimed
       from chartguard.appointments a where a.practice_id = $1 and a.id = any($2::text[])`,
    [practice, [...ids]],
  );
  // Cancelling (cancel_appointment) is another change's; until it stores a cancellation, none is.
  return new Map(
    rows.map((r) => [r.id, { id: r.id, client: r.client_id, clinician: r.clinician, billAs: r.bill_as, fee: Number(r.fee), cancelled: false, claimed: r.claimed }]),
  );
}
