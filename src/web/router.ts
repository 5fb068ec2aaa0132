/**
 * A small path router: the server answers every unknown path with the app (SPA fallback),
 * so the address bar holds real paths. `navigate` pushes; `useLocation` re-renders on change.
 */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  window.addEventListener('popstate', fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('popstate', fn);
  };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const fn of listeners) fn();
  window.scrollTo(0, 0);
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The address's query string ("?member=ana"), re-rendering when it changes. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** Matches "/clients/:id/privacy" against a path; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    const seg = s[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

/** The pages a link opens, with or without a session: a practice's setup, an invitation, a password reset, a public intake form. */
export type LinkPage = { readonly kind: 'setup' | 'invitation' | 'password_reset' | 'intake'; readonly token: string };

const LINK_PAGES = [
  ['/setup/:token', 'setup'],
  ['/invite/:token', 'invitation'],
  ['/reset/:token', 'password_reset'],
  ['/intake/:token', 'intake'],
] as const;

export function linkPage(path: string): LinkPage | null {
  for (const [pattern, kind] of LINK_PAGES) {
    const m = match(pattern, path);
    if (m) return { kind, token: m.token! };
  }
  return null;
}
