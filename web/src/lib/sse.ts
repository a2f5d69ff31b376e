// The live event stream (GET /api/v1/events, Server-Sent Events). One EventSource for
// the whole page, shared by every subscriber; it reconnects with a growing delay when
// the stream fails and tells subscribers when it comes back, so they can refetch what
// they may have missed.

export type LiveEvent = { type: string; data: any; id?: string };
type Handler = (e: LiveEvent) => void;

const TYPES = ['ticket.created', 'ticket.updated', 'message.created', 'reminder.due'];

let source: EventSource | null = null;
let retryTimer: number | undefined;
let delay = 1000;
let wanted = false;
let wasConnected = false;
const handlers = new Set<Handler>();
const statusListeners = new Set<(live: boolean) => void>();
let live = false;

function setLive(v: boolean) {
  if (live === v) return;
  live = v;
  for (const fn of statusListeners) fn(v);
}

function connect() {
  if (!wanted || source) return;
  const es = new EventSource('/api/v1/events', { withCredentials: true });
  source = es;
  es.onopen = () => {
    delay = 1000;
    setLive(true);
    if (wasConnected) dispatch({ type: 'stream.reconnected', data: null });
    wasConnected = true;
  };
  for (const type of TYPES) {
    es.addEventListener(type, (ev) => {
      const me = ev as MessageEvent<string>;
      let data: unknown = null;
      try {
        data = JSON.parse(me.data);
      } catch {
        data = me.data;
      }
      dispatch({ type, data, id: me.lastEventId });
    });
  }
  es.onerror = () => {
    setLive(false);
    // EventSource retries by itself while CONNECTING; once CLOSED (a 401, a 5xx) we
    // start over, waiting longer each time (up to 30 s).
    if (es.readyState === EventSource.CLOSED) {
      es.close();
      source = null;
      schedule();
    }
  };
}

function schedule() {
  if (!wanted || retryTimer !== undefined) return;
  retryTimer = window.setTimeout(() => {
    retryTimer = undefined;
    connect();
  }, delay);
  delay = Math.min(delay * 2, 30000);
}

function dispatch(e: LiveEvent) {
  for (const fn of handlers) {
    try {
      fn(e);
    } catch (err) {
      console.warn('live event handler failed', err);
    }
  }
}

/** Opens the stream (after sign-in). */
export function startLive() {
  wanted = true;
  connect();
}

/** Closes the stream (sign-out). */
export function stopLive() {
  wanted = false;
  wasConnected = false;
  if (retryTimer !== undefined) clearTimeout(retryTimer);
  retryTimer = undefined;
  source?.close();
  source = null;
  setLive(false);
}

export function subscribe(fn: Handler): () => void {
  handlers.add(fn);
  return () => {
    handlers.delete(fn);
  };
}

export function onLiveStatus(fn: (live: boolean) => void): () => void {
  statusListeners.add(fn);
  fn(live);
  return () => {
    statusListeners.delete(fn);
  };
}

// Reconnect at once when the tab comes back online.
window.addEventListener('online', () => {
  if (wanted && !source) {
    delay = 1000;
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
    connect();
  }
});
