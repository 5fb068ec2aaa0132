/**
 * An invitation to a practice's team (/invite/<token>): the invited member chooses a username
 * and password, and is signed in. The link works once, for seven days.
 */
import { useState, type FormEvent } from 'react';
import { api, type Session } from '../api.js';
import { isLinkProblem, LinkProblem } from '../components/LinkProblem.js';
import { credentialsProblem, NewCredentials, NO_CREDENTIALS, type Credentials } from '../components/NewCredentials.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { useCommand, useLoad } from '../components/ui.js';
import { SignInCard } from '../session.js';

type Details = Awaited<ReturnType<typeof api.invitation>>;

export function AcceptInvitationPage(props: { token: string; onSignedIn: (s: Session) => void }) {
  const [details] = useLoad(() => api.invitation(props.token), [props.token]);
  const [gone, setGone] = useState<unknown>(null);
  let body;
  if (gone) body = <LinkProblem error={gone} what="invitation" />;
  else if (details.state === 'loading') body = <p className="muted">Opening the invitation…</p>;
  else if (details.state === 'error') body = <LinkProblem error={details.error} what="invitation" />;
  else body = <AcceptForm token={props.token} details={details.data} onSignedIn={props.onSignedIn} onGone={setGone} />;
  return <SignInCard>{body}</SignInCard>;
}

function AcceptForm(props: { token: string; details: Details; onSignedIn: (s: Session) => void; onGone: (e: unknown) => void }) {
  const [credentials, setCredentials] = useState<Credentials>(NO_CREDENTIALS);
  const { busy, outcome, run, setOutcome } = useCommand();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = credentialsProblem(credentials);
    if (problem) return setOutcome({ kind: 'error', text: problem });
    let session: Session | null = null;
    await run(async () => {
      try {
        session = await api.acceptInvitation(props.token, credentials.username.trim(), credentials.password);
      } catch (err) {
        if (isLinkProblem(err)) props.onGone(err);
        throw err;
      }
      return 'Welcome to the team.';
    });
    if (session) props.onSignedIn(session);
  }

  return (
    <form onSubmit={submit} className="stack">
      <h1 tabIndex={-1}>Join {props.details.practiceName}</h1>
      <p>
        {props.details.memberName}, you are invited to the team. Choose how you will sign in.
        {props.details.email ? <span className="muted block small">Invitation for {props.details.email}</span> : null}
      </p>
      <NewCredentials value={credentials} onChange={setCredentials} />
      <SubmitRow outcome={outcome} busy={busy}>
        Join the team
      </SubmitRow>
    </form>
  );
}
