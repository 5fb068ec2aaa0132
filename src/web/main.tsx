/** Boots the app: resume the session if there is one, otherwise ask to sign in. */
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, setCsrfToken, whenSignedOut, type Session } from './api.js';
import { App } from './App.js';
import { AppProvider } from './context.js';
import { AcceptInvitationPage } from './pages/AcceptInvitation.js';
import { ResetPasswordPage } from './pages/ResetPassword.js';
import { SetupPage } from './pages/Setup.js';
import { IntakeFormPage } from './pages/IntakeForm.js';
import { linkPage, navigate, usePath } from './router.js';
import { IdleGuard, SignIn } from './session.js';
import './styles.css';

type Boot = { state: 'checking' } | { state: 'signed-out'; notice: string | null } | { state: 'signed-in'; session: Session };

function Root() {
  const [boot, setBoot] = useState<Boot>({ state: 'checking' });

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setBoot({ state: 'signed-in', session });
  }, []);

  const signedOut = useCallback((notice: string | null) => {
    setCsrfToken('');
    setBoot({ state: 'signed-out', notice });
  }, []);

  useEffect(() => {
    api.session().then(signedIn, () => signedOut(null));
    whenSignedOut(() => signedOut('Your session has ended. Sign in again to continue.'));
    return () => whenSignedOut(null);
  }, [signedIn, signedOut]);

  const signOut = useCallback(async () => {
    await api.signOut().catch(() => undefined);
    signedOut('You have signed out.');
  }, [signedOut]);

  const timeout = useCallback(() => {
    void api.signOut().catch(() => undefined);
    signedOut('You were signed out after a period without activity, to protect client information.');
  }, [signedOut]);

  // A setup, invitation or password-reset link opens its page whoever is signed in; finishing it signs its member in.
  const link = linkPage(usePath());
  if (link) {
    const done = (s: Session) => {
      signedIn(s);
      navigate('/clients', { replace: true });
    };
    if (link.kind === 'intake') return <IntakeFormPage token={link.token} />;
    if (link.kind === 'setup') return <SetupPage token={link.token} onSignedIn={done} />;
    if (link.kind === 'password_reset') return <ResetPasswordPage token={link.token} onSignedIn={done} />;
    return <AcceptInvitationPage token={link.token} onSignedIn={done} />;
  }
  if (boot.state === 'checking') return <p className="boot muted">Loading ChartGuard…</p>;
  if (boot.state === 'signed-out') return <SignIn onSignedIn={signedIn} notice={boot.notice} />;
  return (
    <AppProvider session={boot.session} onSignOut={signOut} onSession={signedIn}>
      <IdleGuard timeoutSeconds={boot.session.idleTimeoutSeconds} onTimeout={timeout} />
      <App />
    </AppProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
