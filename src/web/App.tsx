/**
 * The signed-in shell: navigation between the areas a practice works in, and the page
 * for the current path.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useApp } from './context.js';
import { Brand, Link, Notice } from './components/ui.js';
import type { Me } from './api.js';
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

/** The navigation: each link opens one area of the app, shown only when /api/me says the member can use it. */
type Area = keyof Me['areas'];
const NAV: readonly { to: string; label: string; area: Area }[] = [
  { to: '/clients', label: 'Clients', area: 'clients' },
  { to: '/calendar', label: 'Calendar', area: 'calendar' },
  { to: '/billing', label: 'Billing', area: 'billing' },
  { to: '/messages', label: 'Messages', area: 'messages' },
  { to: '/tasks', label: 'Tasks', area: 'tasks' },
  { to: '/reports', label: 'Reports', area: 'reports' },
  { to: '/activity', label: 'Activity log', area: 'activity_log' },
  { to: '/access', label: 'Access review', area: 'access_review' },
  { to: '/team', label: 'Team', area: 'team' },
  { to: '/settings', label: 'Settings', area: 'settings' },
];

/** The area a path belongs to (a client's pages and notes are the clients area's); null for the account and unknown paths. */
function areaOf(path: string): Area | null {
  if (path.startsWith('/clients') || path.startsWith('/notes/')) return 'clients';
  return NAV.find((n) => n.to === path)?.area ?? null;
}

function route(path: string): ReactNode {
  let p: Record<string, string> | null;
  if (path === '/clients') return <ClientsPage />;
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
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </section>
  );
}

/** An area the member's roles do not include, opened by its address: the core's reason, in words. */
function NotInRole(props: { label: string; offer: Me['areas'][Area] }) {
  return (
    <section>
      <h1 tabIndex={-1}>{props.label}</h1>
      <Notice kind="info">{`This area is not part of your role. ${props.offer.reasons.map((r) => r.text).join(' ')}`}</Notice>
      <p>
        <Link to="/">Go to the start page</Link>
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
  const areas = app.me?.areas;
  const nav = areas ? NAV.filter((n) => areas[n.area].visible) : [];
  // The start page is the first area the member can use (the account for a member with none).
  const home = nav[0]?.to ?? '/account';
  const area = areaOf(path);
  const hidden = area && areas && !areas[area].visible ? areas[area] : null;

  useEffect(() => {
    if (path === '/') navigate(home, { replace: true });
  }, [path, home]);

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
          href={home}
          onClick={(e) => {
            e.preventDefault();
            navigate(home);
          }}
        >
          <span className="brand-mark" aria-hidden="true" />
          ChartGuard
        </a>
        <div className="who">
          <Link to="/account" className="who-name">
            <span className="visually-hidden">Signed in as </span>
            <span>{app.session.name}</span>
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
          {nav.map((n) => {
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
        {hidden ? <NotInRole label={NAV.find((n) => n.area === area)?.label ?? ''} offer={hidden} /> : path === '/' ? null : route(path)}
      </main>
    </div>
  );
}
