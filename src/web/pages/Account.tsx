/**
 * My account: change my password, turn two-step sign-in (an authenticator app) on or off, and
 * (the account owner) issue new recovery codes. After a password reset only the password form
 * shows: the server answers nothing else until the password is changed.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api.js';
import { useApp } from '../context.js';
import { Notice, OutcomeLine, PageHeader, useCommand } from '../components/ui.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { errorText, rolesText } from '../words.js';
import { useOffer } from '../components/Offered.js';

export function AccountPage() {
  const app = useApp();
  const recoveryCodes = useOffer('account', 'recovery_codes');
  return (
    <section>
      <PageHeader title="My account" subtitle={`${app.session.name} · ${rolesText(app.session.roles)}`} />
      {app.session.mustChangePassword ? (
        <>
          <Notice kind="warning">Your password was reset. Choose a new one before you continue: enter the temporary password as the current one.</Notice>
          <div className="grid-2">
            <ChangePassword />
          </div>
        </>
      ) : app.session.mustEnrollSecondFactor ? (
        <>
          <Notice kind="warning">Your practice requires two-step sign-in. Set up an authenticator app to continue.</Notice>
          <div className="grid-2">
            <SecondFactor />
          </div>
        </>
      ) : (
        <div className="grid-2">
          <ChangePassword />
          <SecondFactor />
          {recoveryCodes?.allowed ? <RecoveryCodes /> : null}
        </div>
      )}
    </section>
  );
}

function ChangePassword() {
  const app = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const { busy, outcome, run, setOutcome } = useCommand();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== again) {
      setOutcome({ kind: 'error', text: 'The two new passwords are not the same.' });
      return;
    }
    await run(async () => {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      await app.refreshSession();
      return 'Your password is changed.';
    });
  }

  return (
    <section className="panel">
      <h2>Password</h2>
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span>Current password</span>
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <label className="field">
          <span>New password</span>
          <input type="password" autoComplete="new-password" minLength={12} value={next} onChange={(e) => setNext(e.target.value)} required aria-describedby="pw-help" />
          <span id="pw-help" className="muted small">
            At least 12 characters. A short sentence is easy to remember and hard to guess.
          </span>
        </label>
        <label className="field">
          <span>New password again</span>
          <input type="password" autoComplete="new-password" minLength={12} value={again} onChange={(e) => setAgain(e.target.value)} required />
        </label>
        <SubmitRow outcome={outcome} busy={busy}>
          Change password
        </SubmitRow>
      </form>
    </section>
  );
}

function SecondFactor() {
  const app = useApp();
  const enabled = app.session.totpEnabled === true;
  const [pending, setPending] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const { busy, outcome, run: runCommand, setOutcome } = useCommand();

  function run(f: () => Promise<void>, success: string) {
    return runCommand(async () => {
      await f();
      setCode('');
      setPassword('');
      await app.refreshSession();
      return success;
    });
  }

  const fields = { code, onCode: setCode, password, onPassword: setPassword, busy };
  return (
    <section className="panel">
      <h2>Two-step sign-in</h2>
      <p className="muted">{enabled ? 'On: signing in asks for a code from your authenticator app.' : 'Off: signing in needs only your password.'}</p>
      {!enabled && !pending ? (
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() =>
            void (async () => {
              setOutcome(null);
              try {
                setPending(await api.totpEnroll());
              } catch (err) {
                setOutcome({ kind: 'error', text: errorText(err) });
              }
            })()
          }
        >
          Set up an authenticator app
        </button>
      ) : null}
      {!enabled && pending ? (
        <ConfirmSecondFactor
          {...fields}
          pending={pending}
          onCancel={() => setPending(null)}
          onSubmit={() =>
            void run(async () => {
              await api.totpConfirm(code.replace(/\s/g, ''), password);
              setPending(null);
            }, 'Two-step sign-in is on.')
          }
        />
      ) : null}
      {enabled ? <DisableSecondFactor {...fields} onSubmit={() => void run(() => api.totpDisable(code.replace(/\s/g, ''), password), 'Two-step sign-in is off.')} /> : null}
      <OutcomeLine outcome={outcome} />
    </section>
  );
}

/** The code and password both second-factor forms ask for. */
interface SecondFactorFields {
  code: string;
  onCode: (v: string) => void;
  password: string;
  onPassword: (v: string) => void;
  busy: boolean;
  onSubmit: () => void;
}

function SecondFactorForm(props: { onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}

function PasswordField(props: SecondFactorFields) {
  return (
    <label className="field">
      <span>Your password</span>
      <input type="password" autoComplete="current-password" value={props.password} onChange={(e) => props.onPassword(e.target.value)} required />
    </label>
  );
}

function CodeField(props: SecondFactorFields & { label: string }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input inputMode="numeric" autoComplete="one-time-code" value={props.code} onChange={(e) => props.onCode(e.target.value)} required />
    </label>
  );
}

function ConfirmSecondFactor(props: SecondFactorFields & { pending: { secret: string; uri: string }; onCancel: () => void }) {
  return (
    <SecondFactorForm onSubmit={props.onSubmit}>
      <p>Add ChartGuard to your authenticator app with this key, then enter the code it shows.</p>
      <p>
        Key: <code className="secret" data-testid="totp-secret">{props.pending.secret}</code>
      </p>
      <p className="small">
        <a href={props.pending.uri}>Open in an authenticator app on this device</a>
      </p>
      <CodeField {...props} label="Code from the app" />
      <PasswordField {...props} />
      <div className="row-end">
        <button type="button" className="button button-quiet" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={props.busy}>
          Turn on
        </button>
      </div>
    </SecondFactorForm>
  );
}

function DisableSecondFactor(props: SecondFactorFields) {
  return (
    <SecondFactorForm onSubmit={props.onSubmit}>
      <CodeField {...props} label="Current code from the app" />
      <p className="muted small">Each code works once: if you just signed in with this one, wait for the next.</p>
      <PasswordField {...props} />
      <div className="row-end">
        <button type="submit" className="button button-secondary" disabled={props.busy}>
          Turn off two-step sign-in
        </button>
      </div>
    </SecondFactorForm>
  );
}

/** The account owner's recovery codes: new ones replace the old, and are shown this once. */
function RecoveryCodes() {
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<readonly string[] | null>(null);
  const { busy, outcome, run } = useCommand();

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      setCodes((await api.recoveryCodes(password)).recoveryCodes);
      setPassword('');
      return 'New recovery codes issued; the old ones no longer work.';
    });
  }

  return (
    <section className="panel">
      <h2>Recovery codes</h2>
      <p className="muted">
        As the account owner, nobody else can reset your password or lift a sign-in slowdown of your account. A recovery code, with your password, signs you in
        when your authenticator app is lost or after repeated failed sign-ins. Each works once.
      </p>
      {codes ? (
        <Notice kind="success">
          Keep these somewhere safe, away from this computer. They are shown only now.
          <ul className="codes" data-testid="recovery-codes">
            {codes.map((c) => (
              <li key={c}>
                <code className="secret">{c}</code>
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span>Your password</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <SubmitRow outcome={outcome} busy={busy}>
          Issue new recovery codes
        </SubmitRow>
      </form>
    </section>
  );
}
