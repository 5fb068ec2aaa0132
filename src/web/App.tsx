/**
 * The signed-in shell: navigation between the areas a practice works in, and the page
 * for the current path.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useApp } from './context.js';
import { Brand, Link } from './components/ui.js';
import { match, usePath, navigate } from './router.js';
import { rolesText } from './words.js';
import { ClientsPage } from './pages/Clients.js';
import { ClientPage } from './pages/Client.js';
import { NotePage } from './pages/Notes.js';
import { CalendarPage } from './pages/Calendar.js';
import { BillingPage } from './pages/Billing.js';
import { MessagesPage } from './pages/Messages.js';
import { TasksPage } from './pages/Tasks.js';
import { ActivityPage } from './pages/Activity.js';
import { ReportsPage } from './pages/Reports.js';
import { TeamPage } from './pages/Team.js';
import { AccessReviewPage } from './pages/AccessReview.js';
import { AccountPage } from './pages/Account.js';
import { SettingsPage } from './pages/Settings.js';
import { NotificationBell } from './components/NotificationBell.js';
import type { PracticePermission } from '../core/permissions.js';

/** The areas; one with a `permission` shows only to who holds it. */
const NAV: readonly { to: string; label: string; permission?: PracticePermission }[] = [
  { to: '/clients', label: 'Clients' },
  { to: '/calendar', label: 'Calendar' },
  { to: '/billing', label: 'Billing' },
  { to: '/messages', label: 'Messages' },
  { to: '/tasks', label: 'Tasks' },
  { to: '/reports', label: 'Reports' },
  { to: '/activity', label: 'Activity log' },
  { to: '/access', label: 'Access review' },
  { to: '/team', label: 'Team' },
  { to: '/settings', label: 'Settings', permission: 'settings.manage' },
];

function route(path: string): ReactNode {
  let p: Record<string, string> | null;
  if (path === '/' || path === '/clients') return <ClientsPage />;
  if ((p = match('/clients/:id', path))) return <ClientPage id={p.id!} tab="overview" />;
  if ((p = match('/clients/:id/:tab', path))) return <ClientPage id={p.id!} tab={p.tab!} />;
  if ((p = match('/notes/:id', path))) return <NotePage id={p.id!} />;
  if (path === '/calendar') return <CalendarPage />;
  if (path === '/billing') return <BillingPage />;
  if (path === '/messages') return <MessagesPage />;
  if (path === '/tasks') return <TasksPage />;
  if (path === '/reports') return <ReportsPage />;
  if (path === '/activity') return <ActivityPage />;
  if (path === '/access') return <AccessReviewPage />;
  if (path === '/team') return <TeamPage />;
  if (path === '/account') return <AccountPage />;
  if (path === '/settings') return <SettingsPage />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <Link to="/clients">Go to clients</Link>
      </p>
    </section>
  );
}

export function App() {
  const app = useApp();
  // The server answers nothing else until these are done: after a password reset, the new
  // password; where the practice requires two-step sign-in, setting up an authenticator app.
  if (app.session.mustChangePassword || app.session.mustEnrollSecondFactor) return <FirstThingsFirst />;
  return <Shell />;
}

/** Only the account page (the password form, or setting up two-step sign-in) and signing out. */
function FirstThingsFirst() {
  const app = useApp();
  return (
    <div className="shell">
      <header className="topbar">
        <Brand />
        <div className="who">
          <span className="who-name">{app.session.name}</span>
          <button type="button" className="button button-quiet" onClick={() => void app.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <AccountPage />
      </main>
    </div>
  );
}

function Shell() {
  const app = useApp();
  const path = usePath();
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  // Moving between pages puts keyboard focus on the new page's heading.
  useEffect(() => {
    setMenuOpen(false);
    const h = mainRef.current?.querySelector<HTMLElement>('h1');
    if (h && document.activeElement !== document.body) h.focus({ preventScroll: true });
  }, [path]);

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="icon-button menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen((o) => !o)}>
          <span aria-hidden="true">☰</span>
          <span className="visually-hidden">Menu</span>
        </button>
        <a
          className="brand"
          href="/clients"
          onClick={(e) => {
            e.preventDefault();
            navigate('/clients');
          }}
        >
          <span className="brand-mark" aria-hidden="true" />
          ChartGuard
        </a>
        <div className="who">
          <Link to="/account" className="who-name">
            {app.session.name}
          </Link>
          <span className="who-roles muted">{rolesText(app.session.roles)}</span>
          <NotificationBell />
          <button type="button" className="button button-quiet" onClick={() => void app.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="nav" className={menuOpen ? 'nav nav-open' : 'nav'} aria-label="Areas">
        <ul>
          {NAV.filter((n) => !n.permission || app.me?.permissions[n.permission]?.allowed === true).map((n) => {
            const current = path === n.to || (n.to === '/clients' && (path === '/' || path.startsWith('/clients/') || path.startsWith('/notes/')));
            return (
              <li key={n.to}>
                <Link to={n.to} aria-current={current ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" ref={mainRef} className="main" tabIndex={-1}>
        {route(path)}
      </main>
    </div>
  );
}
