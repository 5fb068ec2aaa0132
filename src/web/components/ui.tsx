/**
 * Small building blocks: links, dialogs (native <dialog>, so focus and Escape work
 * without help), status lines, badges and a loader hook.
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { navigate } from '../router.js';
import { ChoiceField } from './ChoiceField.js';
import { errorText } from '../words.js';
import type { Decision, Page } from '../api.js';
import { decisionText } from '../words.js';

export function Link(props: { to: string; children: ReactNode; className?: string; 'aria-current'?: 'page' | undefined }) {
  return (
    <a
      href={props.to}
      className={props.className}
      aria-current={props['aria-current']}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; error: unknown };

/** Loads once per key; `reload` fetches again without flashing the loading state. */
export function useLoad<T>(load: () => Promise<T>, key: readonly unknown[]): [Loaded<T>, () => Promise<void>] {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  const run = useCallback(async () => {
    try {
      const data = await loadRef.current();
      setValue({ state: 'ok', data });
    } catch (error) {
      setValue({ state: 'error', error });
    }
  }, []);
  useEffect(() => {
    setValue({ state: 'loading' });
    void run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, key);
  return [value, run];
}

/** A list read page by page: the pages loaded so far, joined, and how to load the next one. */
export interface PagedList<T> {
  readonly items: readonly T[];
  readonly total: number | undefined;
  readonly next: string | null;
  /** Appends the next page; `busy` while it loads, `error` when it failed. */
  readonly more: () => Promise<void>;
  readonly busy: boolean;
  readonly error: unknown;
}

/**
 * Loads the first page once per key and appends later pages on `more` ("Show more");
 * `reload` starts again from the first page.
 *
 * @example
 * const [clients, reload] = usePaged((after) => api.clients(after), []);
 */
export function usePaged<T>(load: (after: string | null) => Promise<Page<T>>, key: readonly unknown[]): [Loaded<PagedList<T>>, () => Promise<void>] {
  const [pages, setPages] = useState<Loaded<{ items: readonly T[]; total: number | undefined; next: string | null }>>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [first, reload] = useLoad(() => load(null), key);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (first.state !== 'ok') setPages(first);
    else setPages({ state: 'ok', data: { items: first.data.items, total: first.data.total, next: first.data.next } });
    setError(null);
  }, [first]);
  const more = useCallback(async () => {
    if (pages.state !== 'ok' || pages.data.next === null) return;
    const current = pages.data;
    setBusy(true);
    setError(null);
    try {
      const page = await loadRef.current(current.next);
      setPages({ state: 'ok', data: { items: [...current.items, ...page.items], total: page.total ?? current.total, next: page.next } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, [pages]);
  const value: Loaded<PagedList<T>> = pages.state === 'ok' ? { state: 'ok', data: { ...pages.data, more, busy, error } } : pages;
  return [value, reload];
}

/**
 * "Show more" under a paged list: a plain button (Enter and Space work), and a status line
 * that says how many are shown, read out when it changes.
 */
/** "1 note", not "1 notes": the lists name their items in the plural. */
function singular(plural: string): string {
  return plural.endsWith('ies') ? `${plural.slice(0, -3)}y` : plural.endsWith('s') ? plural.slice(0, -1) : plural;
}

export function ShowMore(props: { list: PagedList<unknown>; what: string }) {
  const { list } = props;
  const shown = list.items.length;
  const status = useRef<HTMLParagraphElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const focusedButton = useRef(false);
  // The last page removes the button: keep keyboard focus on the line that says so.
  useEffect(() => {
    if (list.next === null && focusedButton.current) status.current?.focus();
    focusedButton.current = false;
  }, [list.next]);
  return (
    <div className="show-more">
      <p className="muted small" role="status" tabIndex={-1} ref={status}>
        {list.total === undefined ? `Showing ${shown} ${shown === 1 ? singular(props.what) : props.what}${list.next ? '' : ' (all)'}.` : `Showing ${shown} of ${list.total} ${props.what}.`}
      </p>
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.next ? (
        // aria-disabled, not disabled, while loading: a disabled button would drop the focus.
        <button
          type="button"
          ref={button}
          className="button button-quiet"
          aria-disabled={list.busy || undefined}
          onClick={() => {
            if (list.busy) return;
            focusedButton.current = document.activeElement === button.current;
            void list.more();
          }}
        >
          {list.busy ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </div>
  );
}

/** Renders a loaded value, a quiet loading line, or the error in words. */
export function Show<T>(props: { value: Loaded<T>; children: (data: T) => ReactNode; what?: string }) {
  const v = props.value;
  if (v.state === 'loading') return <p className="muted" role="status">Loading{props.what ? ` ${props.what}` : ''}…</p>;
  if (v.state === 'error') return <Notice kind="error">{errorText(v.error)}</Notice>;
  return <>{props.children(v.data)}</>;
}

export function Notice(props: { kind: 'info' | 'error' | 'success' | 'warning'; children: ReactNode; id?: string }) {
  return (
    <div className={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'} id={props.id}>
      {props.children}
    </div>
  );
}

export function Badge(props: { tone?: 'neutral' | 'restricted' | 'limited' | 'ok' | 'pending'; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${props.tone ?? 'neutral'}`} title={props.title}>
      {props.children}
    </span>
  );
}

/**
 * A modal dialog. Opens with showModal (focus moves in, Escape closes, the page behind is
 * inert) and calls onClose however it is dismissed. Closed, it gives the focus back to what
 * opened it; when that is gone (a menu item, a button the change replaced), to `returnFocus`'s
 * element, else the page's heading.
 */
export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  returnFocus?: () => HTMLElement | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  const returnFocus = useRef(props.returnFocus);
  returnFocus.current = props.returnFocus;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const active = document.activeElement;
    const opener = active instanceof HTMLElement && active !== document.body ? active : null;
    if (!d.open) d.showModal();
    // A close event queued by an earlier cleanup (React's StrictMode remount) must not close the reopened dialog.
    const close = () => {
      if (!d.open) onClose.current();
    };
    d.addEventListener('close', close);
    return () => {
      d.removeEventListener('close', close);
      if (d.open) d.close();
      opener?.focus();
      // Once the page has settled: if the opener left the page, focus the element that stands for it.
      setTimeout(() => restoreFocus(opener, returnFocus.current), 0);
    };
  }, []);
  return (
    <dialog ref={ref} className={props.wide ? 'dialog dialog-wide' : 'dialog'} aria-labelledby={titleId}>
      <header className="dialog-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={() => ref.current?.close()}>
          ×
        </button>
      </header>
      <div className="dialog-body">{props.children}</div>
      {props.footer ? <footer className="dialog-foot">{props.footer}</footer> : null}
    </dialog>
  );
}

/** Focus back after a dialog: kept where the page already put it, else the opener, the element standing for it, or the heading. */
function restoreFocus(opener: HTMLElement | null, fallback: (() => HTMLElement | null) | undefined): void {
  // A dialog open again (React's StrictMode remount, or the next dialog) keeps the focus.
  if (document.querySelector('dialog[open]')) return;
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  const target = (opener?.isConnected ? opener : null) ?? fallback?.() ?? document.querySelector<HTMLElement>('main h1');
  target?.focus();
}

/** A button that runs an action; disabled (with the reason beside it) when the decision refuses. */
export function ActionButton(props: {
  decision?: Decision;
  onClick: () => void;
  children: ReactNode;
  kind?: 'primary' | 'secondary' | 'danger' | 'quiet';
  busy?: boolean;
}) {
  const reasonId = useId();
  const refused = props.decision !== undefined && !props.decision.allowed;
  return (
    <span className="action">
      <button
        type="button"
        className={`button button-${props.kind ?? 'secondary'}`}
        disabled={refused || props.busy}
        aria-describedby={refused ? reasonId : undefined}
        onClick={props.onClick}
      >
        {props.children}
      </button>
      {refused ? (
        <span className="reason" id={reasonId}>
          {decisionText(props.decision)}
        </span>
      ) : null}
    </span>
  );
}

/** A command's outcome line: what happened, or why it was refused. */
export type Outcome = { kind: 'success' | 'error'; text: string } | null;

export function OutcomeLine(props: { outcome: Outcome }) {
  if (!props.outcome) return null;
  return <Notice kind={props.outcome.kind}>{props.outcome.text}</Notice>;
}

/**
 * Runs a form's command: busy while it runs, then the outcome line - the summary it
 * returns, or why it was refused. `setOutcome` sets the line without a command (a form's
 * own check, or a step that is not the command).
 */
export function useCommand(): {
  busy: boolean;
  outcome: Outcome;
  run: (command: () => Promise<string>) => Promise<void>;
  setOutcome: (outcome: Outcome) => void;
} {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (command: () => Promise<string>) => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ kind: 'success', text: await command() });
    } catch (err) {
      setOutcome({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, outcome, run, setOutcome };
}

/** A labelled choice among the clients the member can see. */
export function ClientField(props: {
  clients: readonly { id: string; name: string }[];
  value: string;
  onChange: (client: string) => void;
  required?: boolean;
}) {
  return (
    <ChoiceField label="Client" choices={props.clients} placeholder="Choose a client" value={props.value} onChange={props.onChange} required={props.required} />
  );
}

export function PageHeader(props: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-head">
      <div>
        <h1 tabIndex={-1}>{props.title}</h1>
        {props.subtitle ? <p className="muted">{props.subtitle}</p> : null}
      </div>
      {props.actions ? <div className="page-actions">{props.actions}</div> : null}
    </header>
  );
}

export function Empty(props: { children: ReactNode }) {
  return <p className="empty">{props.children}</p>;
}

/** ChartGuard's name and mark: in the top bar, or large on the sign-in card. */
export function Brand(props: { large?: boolean }) {
  const mark = (
    <>
      <span className="brand-mark" aria-hidden="true" />
      ChartGuard
    </>
  );
  return props.large ? <div className="brand brand-large">{mark}</div> : <span className="brand">{mark}</span>;
}
