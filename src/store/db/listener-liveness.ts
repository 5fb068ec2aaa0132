/**
 * Liveness of the connection that LISTENs for change notifications (database.ts). A
 * connection can die silently: a NAT or firewall forgets it, a partition black-holes it, and
 * no error ever arrives, while caches kept fresh by its notifications go stale without
 * limit (issue 12, finding 4). So it is pinged: a `select 1` on the listening connection
 * itself, whose answer also proves every notification sent before it was delivered (one
 * connection's messages arrive in order). When a ping is not answered within `timeoutMs`,
 * subscribers hear live(false) (caches drop everything and read through the database); when
 * an answer comes, live(true). Past `reconnectMs` without an answer the connection is
 * dropped and the listener reconnects.
 *
 * Staleness after a change on another server is bounded by intervalMs + timeoutMs.
 *
 * CHARTGUARD_LISTEN_HEARTBEAT_MS (default 400), CHARTGUARD_LISTEN_TIMEOUT_MS (default 800),
 * CHARTGUARD_LISTEN_RECONNECT_MS (default 5000).
 */
import { envMs } from './env-ms.js';

export interface HeartbeatSettings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly reconnectMs: number;
}

export function heartbeatSettings(env: NodeJS.ProcessEnv = process.env): HeartbeatSettings {
  return {
    intervalMs: envMs(env, 'CHARTGUARD_LISTEN_HEARTBEAT_MS', 400),
    timeoutMs: envMs(env, 'CHARTGUARD_LISTEN_TIMEOUT_MS', 800),
    reconnectMs: envMs(env, 'CHARTGUARD_LISTEN_RECONNECT_MS', 5000),
  };
}

export interface HeartbeatEvents {
  /** A ping went unanswered past the timeout: notifications may be held up. */
  readonly missed: () => void;
  /** An answer after a miss: notifications flow again. */
  readonly back: () => void;
  /** No answer for reconnectMs: give up on this connection. */
  readonly dead: () => void;
}

/** Pings every intervalMs; returns a function that stops it. */
export function startHeartbeat(ping: () => Promise<unknown>, on: HeartbeatEvents, s: HeartbeatSettings = heartbeatSettings()): () => void {
  let inFlightSince: number | null = null;
  let missed = false;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const now = Date.now();
    if (inFlightSince !== null) {
      const waited = now - inFlightSince;
      if (!missed && waited >= s.timeoutMs) {
        missed = true;
        on.missed();
      }
      if (waited >= s.reconnectMs) {
        stop();
        on.dead();
      }
      return;
    }
    inFlightSince = now;
    ping().then(
      () => {
        inFlightSince = null;
        if (missed && !stopped) {
          missed = false;
          on.back();
        }
      },
      () => {
        // A failed ping: the connection's own 'error' or 'end' handles it.
        inFlightSince = null;
      },
    );
  };
  // Checked more often than pinged, so a miss is noticed within a tick of the timeout.
  const step = Math.max(20, Math.min(s.intervalMs, s.timeoutMs) / 4);
  let last = 0;
  const timer = setInterval(() => {
    if (inFlightSince !== null || Date.now() - last >= s.intervalMs) {
      if (inFlightSince === null) last = Date.now();
      tick();
    }
  }, step);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
