/**
 * The header's bell: my unread notifications' count, and a list of the latest, newest first,
 * each saying what happened, who did it and when (in the practice's time zone), with a link
 * to its client. The API answers only notifications about clients I may still view, so every
 * client it names is one I can open. Mark one read, or all.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { api, type NotificationItem } from '../api.js';
import { useApp } from '../context.js';
import { navigate } from '../router.js';
import { EVENT_LABEL, errorText, formatDateTime } from '../words.js';

/** How many of the latest the list shows, and how often the count is asked again. */
const LATEST = 20;
const POLL_MS = 60_000;

/** The latest notifications and the unread count, asked now, every minute, and on `load()`. */
function useNotifications() {
  const [items, setItems] = useState<readonly NotificationItem[]>([]);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const page = await api.latestNotifications(LATEST);
      setItems(page.items);
      setUnread(page.unread);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [load]);
  /** Runs a marking, then asks again. */
  const mark = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      setError(errorText(err));
    }
    await load();
  };
  return { items, unread, error, load, mark };
}

/** While open: Escape or a click outside the bell and its list closes it (Escape puts focus back on the bell). */
function useDismiss(open: boolean, close: () => void, button: RefObject<HTMLButtonElement | null>, panel: RefObject<HTMLDivElement | null>) {
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      close();
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) close();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer);
    };
  }, [open, close, button, panel]);
}

export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const n = useNotifications();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  useDismiss(open, close, button, panel);
  return (
    <div className="bell">
      <button
        ref={button}
        type="button"
        className="icon-button bell-button"
        aria-label={n.unread === 0 ? 'Notifications, none unread' : `Notifications, ${n.unread} unread`}
        aria-expanded={open}
        aria-controls="notifications"
        onClick={() => {
          if (!open) void n.load();
          setOpen((o) => !o);
        }}
      >
        <span aria-hidden="true">🔔</span>
        {n.unread > 0 ? (
          <span className="bell-count" aria-hidden="true">
            {n.unread > 99 ? '99+' : n.unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div ref={panel} id="notifications" className="bell-panel" role="region" aria-label="Notifications">
          <div className="bell-head">
            <strong>Notifications</strong>
            {n.unread > 0 ? (
              <button type="button" className="button button-quiet" onClick={() => void n.mark(() => api.markAllNotificationsRead())}>
                Mark all read
              </button>
            ) : null}
          </div>
          {n.error ? <p className="bell-error">{n.error}</p> : null}
          {n.items.length === 0 ? <p className="muted bell-empty">No notifications.</p> : null}
          <ul className="bell-list">
            {n.items.map((item) => (
              <BellItem key={item.id} item={item} onOpen={close} onMark={() => void n.mark(() => api.markNotificationRead(item.id))} />
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function BellItem(props: { item: NotificationItem; onOpen: () => void; onMark: () => void }) {
  const app = useApp();
  const { item } = props;
  const href = item.client ? `/clients/${encodeURIComponent(item.client)}` : null;
  return (
    <li className={item.read ? 'bell-item' : 'bell-item bell-unread'} data-notification={item.id}>
      <span className="bell-what">{EVENT_LABEL[item.event] ?? 'Something changed'}</span>
      <span className="muted small">
        {item.actorName ? `By ${item.actorName} · ` : ''}
        {formatDateTime(item.at)}
      </span>
      {href ? (
        <a
          href={href}
          onClick={(e) => {
            e.preventDefault();
            props.onOpen();
            navigate(href);
          }}
        >
          {app.clientName(item.client)}
        </a>
      ) : null}
      {item.read ? null : (
        <button type="button" className="button button-quiet bell-mark" onClick={props.onMark}>
          Mark read
        </button>
      )}
    </li>
  );
}
