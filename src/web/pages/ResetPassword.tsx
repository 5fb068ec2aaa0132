/**
 * Choosing a new password after an emailed reset (/reset/<token>): the member types it twice
 * and is signed in; a member with a second factor is sent to sign in with it and their code.
 * The link works once, for one hour.
 */
import { useState, type FormEvent } from 'react';
import { api, type Session } from '../api.js';
import { isLinkProblem, LinkProblem } from '../components/LinkProblem.js';
import { credentialsProblem, PasswordTwice } from '../components/NewCredentials.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { useCommand, useLoad } from '../components/ui.js';
import { SignInCard } from '../session.js';

type Details = Awaited<ReturnType<typeof api.passwordReset>>;

export function ResetPasswordPage(props: { token: string; onSignedIn: (s: Session) => void }) {
  const [details] = useLoad(() => api.passwordReset(props.token), [props.token]);
  const [gone, setGone] = useState<unknown>(null);
  const [changed, setChanged] = useState(false);
  let body;
  if (gone) body = <LinkProblem error={gone} what="password_reset" />;
  else if (changed) body = <SignInWithCode />;
  else if (details.state === 'loading') body = <p className="muted">Opening the link…</p>;
  else if (details.state === 'error') body = <LinkProblem error={details.error} what="password_reset" />;
  else body = <ResetForm token={props.token} details={details.data} onSignedIn={props.onSignedIn} onChanged={() => setChanged(true)} onGone={setGone} />;
  return <SignInCard>{body}</SignInCard>;
}

/** The password is changed, but the link does not stand in for the second factor. */
function SignInWithCode() {
  return (
    <section className="stack" aria-live="polite">
      <h1 tabIndex={-1}>Your password is changed</h1>
      <p>Sign in with your new password and a code from your authenticator app.</p>
      <p>
        <a href="/">Go to sign-in</a>
      </p>
    </section>
  );
}

function ResetForm(props: { token: string; details: Details; onSignedIn: (s: Session) => void; onChanged: () => void; onGone: (e: unknown) => void }) {
  const [passwords, setPasswords] = useState({ password: '', again: '' });
  const { busy, outcome, run, setOutcome } = useCommand();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = credentialsProblem({ username: '', ...passwords });
    if (problem) return setOutcome({ kind: 'error', text: problem });
    let done: { session: Session | null } | null = null;
    await run(async () => {
      try {
        done = await api.completePasswordReset(props.token, passwords.password);
      } catch (err) {
        if (isLinkProblem(err)) props.onGone(err);
        throw err;
      }
      return 'Your new password is set.';
    });
    const finished = done as { session: Session | null } | null;
    if (finished?.session) props.onSignedIn(finished.session);
    else if (finished) props.onChanged();
  }

  return (
    <form onSubmit={submit} className="stack">
      <h1 tabIndex={-1}>Choose a new password</h1>
      <p>
        {props.details.memberName}, choose a new password for {props.details.practiceName}.
        <span className="muted block small">You sign in as {props.details.username}.</span>
      </p>
      {/* For password managers: whose password this is. */}
      <input type="text" name="username" autoComplete="username" value={props.details.username} readOnly hidden />
      <PasswordTwice value={passwords} onChange={setPasswords} label="New password" />
      <SubmitRow outcome={outcome} busy={busy}>
        Set my password
      </SubmitRow>
    </form>
  );
}
