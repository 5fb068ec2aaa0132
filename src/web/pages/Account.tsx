/** My account: change my password, and turn two-step sign-in (an authenticator app) on or off. */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { useApp } from '../context.js';
import { Notice, OutcomeLine, PageHeader, useCommand } from '../components/ui.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { errorText } from '../words.js';

export function AccountPage() {
  const app = useApp();
  return (
    <section>
      <PageHeader title="My account" subtitle={`${app.session.name} · signed in as ${app.session.member}`} />
      {app.session.mustChangePassword ? <Notice kind="warning">Your password was reset. Choose a new one before you continue.</Notice> : null}
      <div className="grid-2">
        <ChangePassword />
        <SecondFactor />
      </div>
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
  const { busy, outcome, run: runCommand, setOutcome } = useCommand();

  function run(f: () => Promise<void>, success: string) {
    return runCommand(async () => {
      await f();
      setCode('');
      await app.refreshSession();
      return success;
    });
  }

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
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await api.totpConfirm(code.replace(/\s/g, ''));
              setPending(null);
            }, 'Two-step sign-in is on.');
          }}
        >
          <p>Add ChartGuard to your authenticator app with this key, then enter the code it shows.</p>
          <p>
            Key: <code className="secret" data-testid="totp-secret">{pending.secret}</code>
          </p>
          <p className="small">
            <a href={pending.uri}>Open in an authenticator app on this device</a>
          </p>
          <label className="field">
            <span>Code from the app</span>
            <input inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
          </label>
          <div className="row-end">
            <button type="button" className="button button-quiet" onClick={() => setPending(null)}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={busy}>
              Turn on
            </button>
          </div>
        </form>
      ) : null}
      {enabled ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => api.totpDisable(code.replace(/\s/g, '')), 'Two-step sign-in is off.');
          }}
        >
          <label className="field">
            <span>Current code from the app</span>
            <input inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
          </label>
          <div className="row-end">
            <button type="submit" className="button button-secondary" disabled={busy}>
              Turn off two-step sign-in
            </button>
          </div>
        </form>
      ) : null}
      <OutcomeLine outcome={outcome} />
    </section>
  );
}
