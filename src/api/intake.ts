/** The public intake form's inputs and answers (003; src/store/auth/intake-forms.ts). */
import { z } from 'zod';
import { line, MemberId, text } from './strings.js';

/** At most this many answers, each of at most this many characters: a form, not a file store. */
export const INTAKE_ANSWERS_MAX = 40;
export const INTAKE_ANSWER_LENGTH = 4000;

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD.')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(d) && d >= '1900-01-01';
  }, 'Not a date (YYYY-MM-DD, from 1900).');

export const IntakeParam = z.strictObject({ token: line(128).describe('The token of an intake form link (the last part of the link).') });

export const IntakeForm = z.strictObject({
  name: line(200).describe('The person’s name.'),
  contact: line(200).optional().describe('How the practice reaches them: a phone number or email address.'),
  dateOfBirth: IsoDate.optional(),
  answers: z
    .array(z.strictObject({ question: line(64).describe('The question’s key.'), answer: text(INTAKE_ANSWER_LENGTH, 0) }))
    .max(INTAKE_ANSWERS_MAX)
    .optional()
    .describe('The form’s questions and what the person wrote.'),
  choice: line(64).optional().describe('The practice form: the key of the chosen practitioner (one of the form’s `choices`).'),
  website: line(200, 0).optional().describe('Leave empty: a field people never see (a form that fills it is taken for a robot and nothing is kept).'),
});

export const IntakeFormOut = z.strictObject({
  practiceName: z.string(),
  practitionerName: z.string().nullable().describe('Whose form it is; null for the practice form.'),
  choices: z.array(z.strictObject({ key: z.string(), name: z.string() })).describe('The practice form: the practitioners it offers, by display name.'),
});
export const IntakeReceivedOut = z.strictObject({ received: z.literal(true) });

export const PracticeFormLink = z.strictObject({
  offers: z.array(MemberId).max(200).nullable().optional().describe('The practitioners the practice form offers; null or absent: every active clinician.'),
});
export const IntakeLinkOut = z.strictObject({
  issued: z.boolean().describe('Whether a link was issued (its address is shown only when issued or rotated).'),
  enabled: z.boolean(),
  rotatedAt: z.string().nullable(),
  offers: z.array(z.string()).nullable(),
});
export const IntakeLinkIssuedOut = z.strictObject({ link: z.string().describe('The form’s address, shown this once (only its hash is kept).') });
