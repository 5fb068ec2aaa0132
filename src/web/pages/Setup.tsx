/**
 * A new practice's setup page (/setup/<token>, the link `chartguard start --no-demo` or
 * `chartguard practice create` printed): the owner names the practice and chooses how they
 * sign in. Then their recovery codes, shown this once, and into the app, signed in.
 */
import { useState, type FormEvent } from 'react';
import { CLINICIAN_ROLES, type ClinicianRole } from '../../core/roles.js';
import { api, type Session } from '../api.js';
import { isLinkProblem, LinkProblem } from '../components/LinkProblem.js';
import { credentialsProblem, HelpedField, NewCredentials, NO_CREDENTIALS, type Credentials } from '../components/NewCredentials.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { Notice, useCommand, useLoad } from '../components/ui.js';
import { SignInCard } from '../session.js';
import { ROLE_LABEL } from '../words.js';

type Details = Awaited<ReturnType<typeof api.setupDetails>>;
type Done = Awaited<ReturnType<typeof api.setUpPractice>>;

export function SetupPage(props: { token: string; onSignedIn: (s: Session) => void }) {
  const [details] = useLoad(() => api.setupDetails(props.token), [props.token]);
  const [done, setDone] = useState<Done | null>(null);
  const [gone, setGone] = useState<unknown>(null);
  let body;
  if (gone) body = <LinkProblem error={gone} what="setup" />;
  else if (done) body = <RecoveryCodesOnce done={done} onContinue={() => props.onSignedIn(done.session)} />;
  else if (details.state === 'loading') body = <p className="muted">Opening the setup link…</p>;
  else if (details.state === 'error') body = <LinkProblem error={details.error} what="setup" />;
  else body = <SetupForm token={props.token} details={details.data} onDone={setDone} onGone={setGone} />;
  return <SignInCard>{body}</SignInCard>;
}

interface Owner {
  readonly practiceName: string;
  readonly name: string;
  readonly email: string;
  readonly clinicianRole: ClinicianRole | '';
}

function SetupForm(props: { token: string; details: Details; onDone: (d: Done) => void; onGone: (e: unknown) => void }) {
  const [owner, setOwner] = useState<Owner>({ practiceName: props.details.practiceName ?? '', name: props.details.ownerName ?? '', email: props.details.ownerEmail ?? '', clinicianRole: '' });
  const [credentials, setCredentials] = useState<Credentials>(NO_CREDENTIALS);
  const { busy, outcome, run, setOutcome } = useCommand();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = credentialsProblem(credentials);
    if (problem) return setOutcome({ kind: 'error', text: problem });
    let done: Done | null = null;
    await run(async () => {
      try {
        done = await api.setUpPractice(props.token, { ...owner, clinicianRole: owner.clinicianRole || null, username: credentials.username.trim(), password: credentials.password });
      } catch (err) {
        if (isLinkProblem(err)) props.onGone(err);
        throw err;
      }
      return 'The practice is set up.';
    });
    if (done) props.onDone(done);
  }

  return (
    <form onSubmit={submit} className="stack">
      <h1 tabIndex={-1}>Set up your practice</h1>
      <p className="muted">You will be its account owner: the one person who manages everything, restricted clients included.</p>
      <OwnerFields value={owner} onChange={setOwner} />
      <NewCredentials value={credentials} onChange={setCredentials} />
      <SubmitRow outcome={outcome} busy={busy}>
        Set up the practice
      </SubmitRow>
    </form>
  );
}

function OwnerFields(props: { value: Owner; onChange: (o: Owner) => void }) {
  const set = (field: keyof Owner) => (e: { target: { value: string } }) => props.onChange({ ...props.value, [field]: e.target.value });
  return (
    <>
      <label className="field">
        <span>Practice name</span>
        <input name="practice-name" autoComplete="organization" maxLength={200} value={props.value.practiceName} onChange={set('practiceName')} required autoFocus />
      </label>
      <HelpedField label="Your name" help="How the team sees you." name="name" autoComplete="name" maxLength={200} value={props.value.name} onChange={set('name')} required />
      <label className="field">
        <span>Your email</span>
        <input name="email" type="email" autoComplete="email" maxLength={254} value={props.value.email} onChange={set('email')} required />
      </label>
      <label className="field">
        <span>Do you also see clients?</span>
        <select name="clinician-role" value={props.value.clinicianRole} onChange={set('clinicianRole')}>
          <option value="">No, I run the practice</option>
          {CLINICIAN_ROLES.map((r) => (
            <option key={r} value={r}>
              Yes: {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

/** The owner's recovery codes, shown this once: continuing needs saying they are kept. */
function RecoveryCodesOnce(props: { done: Done; onContinue: () => void }) {
  const [saved, setSaved] = useState(false);
  return (
    <section className="stack">
      <h1 tabIndex={-1}>{props.done.session.practiceName} is ready</h1>
      <Notice kind="warning">
        These are your recovery codes. With your password, each one signs you in once when your authenticator app is lost or your account is slowed down after
        failed sign-ins. Nobody else can do that for the account owner. Keep them somewhere safe, away from this computer: they are shown only now.
      </Notice>
      <ul className="codes" data-testid="recovery-codes">
        {props.done.recoveryCodes.map((c) => (
          <li key={c}>
            <code className="secret">{c}</code>
          </li>
        ))}
      </ul>
      <label className="field-inline">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} /> I have kept these codes somewhere safe
      </label>
      <button type="button" className="button button-primary" disabled={!saved} onClick={props.onContinue}>
        Continue to ChartGuard
      </button>
    </section>
  );
}
