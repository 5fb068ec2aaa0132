/**
 * Small building blocks: links, dialogs (native <dialog>, so focus and Escape work
 * without help), status lines, badges and a loader hook.
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { navigate } from '../router.js';
import { errorText } from '../words.js';
import type { Decision } from '../api.js';
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
 * inert) and calls onClose however it is dismissed.
 */
export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    // A close event queued by an earlier cleanup (React's StrictMode remount) must not close the reopened dialog.
    const close = () => {
      if (!d.open) onClose.current();
    };
    d.addEventListener('close', close);
    return () => {
      d.removeEventListener('close', close);
      if (d.open) d.close();
      opener?.focus?.();
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
 * returns, or why it was refused.
 */
export function useCommand(): { busy: boolean; outcome: Outcome; run: (command: () => Promise<string>) => Promise<void> } {
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
  return { busy, outcome, run };
}

/** A labelled choice among the clients the member can see. */
export function ClientField(props: {
  clients: readonly { id: string; name: string }[];
  value: string;
  onChange: (client: string) => void;
  required?: boolean;
}) {
  return (
    <label className="field">
      <span>Client</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} required={props.required}>
        <option value="">Choose a client</option>
        {props.clients.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
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
