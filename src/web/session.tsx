/**
 * Signing in (password, then a second factor when the API asks for one, or a recovery code)
 * and the warning before automatic logoff: activity keeps the session alive; a quiet minute
 * before the server's idle timeout, a dialog offers to stay signed in.
 *
 * After repeated failures the server slows a username down (429 with the wait): the form says
 * how long, and offers to sign in at once with a code of the authenticator app or a recovery code.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { api, ApiError, type Session } from './api.js';
import { Brand, Dialog, Notice } from './components/ui.js';
import { errorText } from './words.js';

/** What a failed sign-in says, and whether the form moves on to the second step or offers it. */
function signInFailure(err: unknown, needTotp: boolean, recovery: boolean): { error: string | null; needTotp?: true; slowedDown?: boolean } {
  if (err instanceof ApiError && err.code === 'totp_required' && !needTotp) return { error: null, needTotp: true };
  // The server says how long to wait; a second factor signs in at once.
  if (err instanceof ApiError && err.status === 429) return { error: err.message || errorText(err), slowedDown: !needTotp };
  if (err instanceof ApiError && err.status === 401 && !needTotp) return { error: errorText(new ApiError(401, 'invalid_credentials', '')) };
  if (err instanceof ApiError && err.status === 401 && needTotp) {
    return { error: recovery ? 'That recovery code (or the password) did not work. Each recovery code works once.' : errorText(new ApiError(401, 'invalid_totp', '')) };
  }
  return { error: errorText(err) };
}

export function SignIn(props: { onSignedIn: (s: Session) => void; notice?: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [recovery, setRecovery] = useState(false);
  const [slowedDown, setSlowedDown] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const code = totp.replace(/\s/g, '');
      const s = await api.signIn(username.trim(), password, !needTotp ? undefined : recovery ? { recoveryCode: totp.trim() } : { totp: code });
      props.onSignedIn(s);
    } catch (err) {
      const failure = signInFailure(err, needTotp, recovery);
      if (failure.needTotp) setNeedTotp(true);
      else setError(failure.error);
      if (failure.slowedDown !== undefined) setSlowedDown(failure.slowedDown);
    } finally {
      setBusy(false);
    }
  }

  /** Leaves the second step, or switches between its two kinds of code: the code typed so far and any error go. */
  function restart(change: () => void) {
    change();
    setTotp('');
    setError(null);
  }

  return (
    <SignInCard notice={props.notice}>
      <form onSubmit={submit} className="stack">
        {!needTotp ? (
          <Credentials username={username} onUsername={setUsername} password={password} onPassword={setPassword} />
        ) : (
          <SecondStep
            recovery={recovery}
            value={totp}
            onChange={setTotp}
            inputRef={totpRef}
            onSwitch={() => {
              restart(() => setRecovery((r) => !r));
              totpRef.current?.focus();
            }}
          />
        )}
        {error ? <Notice kind="error">{error}</Notice> : null}
        <SignInButtons
          needTotp={needTotp}
          busy={busy}
          slowedDown={slowedDown}
          onCodeNow={() => {
            setNeedTotp(true);
            setSlowedDown(false);
            setError(null);
          }}
          onOtherAccount={() =>
            restart(() => {
              setNeedTotp(false);
              setRecovery(false);
            })
          }
        />
      </form>
    </SignInCard>
  );
}

/** The card of the pages before signing in: sign-in, a setup link, an invitation. */
export function SignInCard(props: { notice?: string | null | undefined; children: ReactNode }) {
  return (
    <main className="signin">
      <div className="signin-card">
        <Brand large />
        <p className="muted">Client records, in the right hands.</p>
        {props.notice ? <Notice kind="info">{props.notice}</Notice> : null}
        {props.children}
      </div>
    </main>
  );
}

/** Sign in; after a slowdown, go on with a code at once; in the second step, start again with another account. */
function SignInButtons(props: { needTotp: boolean; busy: boolean; slowedDown: boolean; onCodeNow: () => void; onOtherAccount: () => void }) {
  return (
    <>
      {props.slowedDown && !props.needTotp ? (
        <button type="button" className="button button-secondary" onClick={props.onCodeNow}>
          Sign in now with a code or a recovery code
        </button>
      ) : null}
      <button type="submit" className="button button-primary" disabled={props.busy}>
        {props.needTotp ? 'Verify and sign in' : 'Sign in'}
      </button>
      {props.needTotp ? (
        <button type="button" className="button button-quiet" onClick={props.onOtherAccount}>
          Use a different account
        </button>
      ) : null}
    </>
  );
}

function Credentials(props: { username: string; onUsername: (v: string) => void; password: string; onPassword: (v: string) => void }) {
  return (
    <>
      <label className="field">
        <span>Username</span>
        <input name="username" autoComplete="username" value={props.username} onChange={(e) => props.onUsername(e.target.value)} required autoFocus />
      </label>
      <label className="field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" value={props.password} onChange={(e) => props.onPassword(e.target.value)} required />
      </label>
    </>
  );
}

/** The second step's field, a code of the authenticator app or a recovery code, and the switch between the two. */
function SecondStep(props: { recovery: boolean; value: string; onChange: (v: string) => void; inputRef: RefObject<HTMLInputElement | null>; onSwitch: () => void }) {
  return (
    <>
      {props.recovery ? <RecoveryCodeField {...props} /> : <AppCodeField {...props} />}
      <button type="button" className="button button-quiet" onClick={props.onSwitch}>
        {props.recovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
      </button>
    </>
  );
}

type CodeFieldProps = { value: string; onChange: (v: string) => void; inputRef: RefObject<HTMLInputElement | null> };

function RecoveryCodeField(props: CodeFieldProps) {
  return (
    <>
      <p>Second step: enter one of your recovery codes. Each one works once.</p>
      <label className="field">
        <span>Recovery code</span>
        <input ref={props.inputRef} name="recovery-code" autoComplete="off" spellCheck={false} value={props.value} onChange={(e) => props.onChange(e.target.value)} required />
      </label>
    </>
  );
}

function AppCodeField(props: CodeFieldProps) {
  return (
    <>
      <p>Second step: enter the code from your authenticator app.</p>
      <label className="field">
        <span>Six-digit code</span>
        <input
          ref={props.inputRef}
          name="totp"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          required
        />
      </label>
    </>
  );
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const;

/**
 * Watches for activity. Activity sends a keepalive at most every fifth of the timeout;
 * inactivity opens the warning `warnSeconds` before the end, and at the end signs out.
 */
export function IdleGuard(props: { timeoutSeconds: number; onTimeout: () => void }) {
  const timeoutMs = Math.max(5, props.timeoutSeconds) * 1000;
  const onTimeout = useRef(props.onTimeout);
  onTimeout.current = props.onTimeout;
  const warnMs = Math.min(60_000, timeoutMs / 3);
  const lastActivity = useRef(Date.now());
  const lastKeepalive = useRef(Date.now());
  const [remaining, setRemaining] = useState<number | null>(null);
  const warning = remaining !== null;
  const warningRef = useRef(false);
  warningRef.current = warning;

  useEffect(() => {
    const onActivity = () => {
      if (warningRef.current) return; // while warning, only the dialog's button counts
      lastActivity.current = Date.now();
      if (Date.now() - lastKeepalive.current > timeoutMs / 5) {
        lastKeepalive.current = Date.now();
        api.keepalive().catch(() => undefined);
      }
    };
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, onActivity, { passive: true });
    const timer = window.setInterval(() => {
      const left = timeoutMs - (Date.now() - lastActivity.current);
      if (left <= 0) {
        window.clearInterval(timer);
        onTimeout.current();
      } else if (left <= warnMs) setRemaining(Math.ceil(left / 1000));
      else if (warningRef.current) setRemaining(null);
    }, 1000);
    return () => {
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, onActivity);
      window.clearInterval(timer);
    };
  }, [timeoutMs, warnMs]);

  async function stay() {
    lastActivity.current = Date.now();
    lastKeepalive.current = Date.now();
    setRemaining(null);
    try {
      await api.keepalive();
    } catch {
      onTimeout.current();
    }
  }

  if (!warning) return null;
  const mins = Math.floor(remaining / 60);
  const secs = remaining % 60;
  return (
    <Dialog
      title="Are you still there?"
      onClose={() => void stay()}
      footer={
        <>
          <button type="button" className="button button-quiet" onClick={props.onTimeout}>
            Sign out now
          </button>
          <button type="button" className="button button-primary" onClick={() => void stay()} autoFocus>
            Stay signed in
          </button>
        </>
      }
    >
      <p>
        To protect client information, you will be signed out in{' '}
        <strong aria-live="polite">
          {mins > 0 ? `${mins} min ` : ''}
          {secs} s
        </strong>{' '}
        unless you choose to stay.
      </p>
    </Dialog>
  );
}
