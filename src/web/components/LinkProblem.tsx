/** What a one-time link says when it opens nothing: unknown, used already, or expired, and where to go next. */
import { ApiError } from '../api.js';
import { errorText } from '../words.js';

const HEADING: Record<string, string> = {
  link_used: 'This link was already used',
  link_expired: 'This link has expired',
  link_unknown: 'This link is not valid',
};

/** The link's own failure (`link_*`), as a heading and a sentence; any other error in words. */
const ASK: Record<'setup' | 'invitation' | 'password_reset', string> = {
  setup: 'whoever runs ChartGuard for your practice',
  invitation: 'whoever invited you',
  password_reset: 'whoever manages your practice’s team (they reset your password again)',
};

export function LinkProblem(props: { error: unknown; what: 'setup' | 'invitation' | 'password_reset' }) {
  const code = props.error instanceof ApiError ? props.error.code : 'error';
  const ask = ASK[props.what];
  return (
    <section className="stack" aria-live="polite">
      <h1 tabIndex={-1}>{HEADING[code] ?? 'This link could not be opened'}</h1>
      <p>{errorText(props.error)}</p>
      {code === 'link_expired' || code === 'link_unknown' ? <p className="muted">A new link comes from {ask}.</p> : null}
      <p>
        <a href="/">Go to sign-in</a>
      </p>
    </section>
  );
}

/** Whether an error is the link's own (the page then shows LinkProblem instead of the form). */
export function isLinkProblem(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'link_used' || e.code === 'link_expired' || e.code === 'link_unknown');
}
