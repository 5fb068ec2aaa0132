/**
 * What every page needs to know about the signed-in member: the session, their practice-wide
 * decisions (/api/me), and names for the member and client ids the API answers with.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, type ClientSummary, type Me, type Session, type TeamMember } from './api.js';
import { ClientNames } from './client-names.js';
import { setTimeZone } from './words.js';

export interface AppState {
  readonly session: Session;
  readonly me: Me | null;
  readonly team: readonly TeamMember[];
  readonly clients: readonly ClientSummary[];
  /** A member's display name (their id when the team list is not visible to this member). */
  memberName(id: string | null | undefined): string;
  /** A client's name when the member can see it, otherwise its id. */
  clientName(id: string | null | undefined): string;
  /** Fetches clients and team again (after a command changed them). */
  refresh(): Promise<void>;
  /** Fetches the session again (after a password or second-factor change). */
  refreshSession(): Promise<void>;
  signOut(): Promise<void>;
}

const Ctx = createContext<AppState | null>(null);

export function useApp(): AppState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useApp outside AppProvider');
  return v;
}

/** Clients offered in pickers (booking, payments): the API's largest page. */
const CLIENT_CHOICES = 200;

export function AppProvider(props: { session: Session; onSignOut: () => Promise<void>; onSession: (s: Session) => void; children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [team, setTeam] = useState<readonly TeamMember[]>([]);
  const [clients, setClients] = useState<readonly ClientSummary[]>([]);
  // Client names, asked for as pages show the ids (never the whole directory); `named` renders again.
  const [named, setNamed] = useState(0);
  const [clientNames] = useState(() => new ClientNames(() => setNamed((n) => n + 1)));
  const [ready, setReady] = useState(false);

  // After a password reset the server answers nothing but the password change, and where the
  // practice requires two-step sign-in nothing but setting it up: nothing to load until then.
  const mustChange = props.session.mustChangePassword === true || props.session.mustEnrollSecondFactor === true;
  const refresh = useCallback(async () => {
    if (mustChange) return;
    const [m, t, c] = await Promise.allSettled([api.me(), api.team(), api.clients(null, CLIENT_CHOICES)]);
    if (m.status === 'fulfilled') {
      // Times read in the practice's time zone from here on (UTC when the practice names none).
      setTimeZone(m.value.timeZone);
      setMe(m.value);
    }
    if (t.status === 'fulfilled') setTeam(t.value.members);
    // A client that had no name to show may have one now (access changed).
    clientNames.forgetNameless();
    if (c.status === 'fulfilled') {
      clientNames.learn(c.value.items);
      setClients(c.value.items);
    }
  }, [mustChange, clientNames]);

  // Pages render once the member and the team are known.
  useEffect(() => {
    void refresh().finally(() => setReady(true));
  }, [refresh, props.session.member]);

  const value = useMemo<AppState>(() => {
    const names = new Map(team.map((m) => [m.id, m.name]));
    names.set(props.session.member, props.session.name);
    return {
      session: props.session,
      me,
      team,
      clients,
      memberName: (id) => (id ? (names.get(id) ?? id) : 'ChartGuard'),
      clientName: (id) => (id ? clientNames.name(id) : ''),
      refresh,
      refreshSession: async () => props.onSession(await api.session()),
      signOut: props.onSignOut,
    };
    // `named` changes when names arrive: a new value, so pages render them.
  }, [props.session, props.onSignOut, props.onSession, me, team, clients, clientNames, named, refresh]);

  if (!ready) return <p className="boot muted">Loading ChartGuard…</p>;
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}
