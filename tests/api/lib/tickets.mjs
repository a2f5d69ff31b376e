// Shared set-up for the ticket tests (tests/api/tickets-*.test.mjs): a server with an admin,
// people of every role signed in through API keys, a small client for the JSON API, a
// Server-Sent Events reader and polling with deadlines.
import assert from 'node:assert/strict';
import { startServer, api, addUser, login } from './server.mjs';

export const API = '/api/v1';
export const PW = 'Gl4cier-Mango-77!'; // a password the policy accepts
const ADMIN = { email: 'root@example.com', name: 'Root Admin', password: 'Vq7#mPz2!kLw9xR' };

/** Asserts the status and returns the JSON body. */
export function ok(res, status = 200) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 600)}`);
  return res.json;
}

/** Asserts an API error {error:{code,message,field}} and returns the inner error. */
export function apiError(res, status, code, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 600)}`);
  assert.ok(res.json && res.json.error, `no JSON error body: ${res.text.slice(0, 600)}`);
  if (code) assert.equal(res.json.error.code, code, res.text);
  if (field !== undefined) assert.equal(res.json.error.field, field, res.text);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.message.length > 0);
  return res.json.error;
}

/** Polls fn until it returns a truthy value or the deadline passes (then throws with what). */
export async function until(fn, what, timeoutMs = 5000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A signed-in person: {id, email, name, role, token} and call(method, path, body, headers)
 * which uses their API key (Bearer, no CSRF needed).
 */
function person(server, user, token) {
  return {
    ...user,
    token,
    call(method, path, body, headers = {}) {
      return api(server, method, path.startsWith('/') ? path : `${API}/${path}`, { body, token, headers });
    },
  };
}

/** Signs in with a password and makes an API key; resolves a person. */
export async function signIn(server, email, password) {
  const { cookie, csrf, user } = await login(server, email, password);
  const key = ok(await api(server, 'POST', `${API}/api-keys`, { body: { name: 'tests' }, cookie, csrf }), 201);
  assert.ok(key.token, 'the API key carries a token');
  return person(server, user, key.token);
}

let serial = 0;

/**
 * Starts a server with an admin; resolves {server, admin, newUser(role, opts)} where newUser
 * creates an account through the API (admin) and signs it in.
 */
export async function ticketServer(opts = {}) {
  const server = await startServer(opts);
  await addUser(server, { email: ADMIN.email, name: ADMIN.name, role: 'admin', password: ADMIN.password });
  const admin = await signIn(server, ADMIN.email, ADMIN.password);
  if (!opts.keepRateLimits) {
    // the tests create many tickets quickly; the rate-limit test sets its own limits
    ok(await admin.call('PATCH', 'admin/settings', {
      rate_limits: { ticket_create_per_minute: 1000000, ticket_update_per_minute: 1000000 },
    }));
  }
  async function newUser(role, { name, email } = {}) {
    serial += 1;
    const mail = email || `${role}${serial}-${process.pid}@example.com`;
    ok(await admin.call('POST', 'users', { email: mail, name: name || `${role} ${serial}`, role, password: PW }), 201);
    return signIn(server, mail, PW);
  }
  return { server, admin, newUser };
}

/** Creates a ticket as who; resolves the ticket (asserting 201). */
export async function newTicket(who, fields = {}) {
  serial += 1;
  const body = { subject: `Ticket ${serial}`, body: `Body of ticket ${serial}`, ...fields };
  return ok(await who.call('POST', 'tickets', body), 201);
}

/** How many tickets exist (an admin's list, walked to the end). */
export async function countTickets(admin) {
  let n = 0;
  let cursor = null;
  do {
    const page = ok(await admin.call('GET', `tickets?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
    n += page.items.length;
    cursor = page.next_cursor;
  } while (cursor);
  return n;
}

/**
 * Opens GET /api/v1/events as who. Resolves {events, waitFor(pred, ms), none(pred, ms),
 * close()} where events collects {type, data, at} as they come.
 */
export async function openEvents(server, who) {
  const ac = new AbortController();
  const res = await fetch(`${server.url}${API}/events`, {
    headers: { Authorization: `Bearer ${who.token}`, Accept: 'text/event-stream' },
    signal: ac.signal,
  });
  assert.equal(res.status, 200, 'the event stream opens');
  assert.match(res.headers.get('content-type') || '', /^text\/event-stream/);
  const events = [];
  const waiters = new Set();
  let raw = '';
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  let opened;
  const firstBytes = new Promise((r) => { opened = r; });
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        opened();
        raw += decoder.decode(value, { stream: true });
        let sep;
        while ((sep = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, sep);
          raw = raw.slice(sep + 2);
          let type = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (!data.length) continue;
          let parsed = data.join('\n');
          try { parsed = JSON.parse(parsed); } catch { /* keep the text */ }
          events.push({ type, data: parsed, at: Date.now() });
          for (const w of waiters) w();
        }
      }
    } catch { /* aborted */ }
    opened();
  })();
  // the stream starts with "retry:" at once: once it is read, the subscription exists
  await Promise.race([firstBytes, new Promise((r) => setTimeout(r, 3000))]);
  return {
    events,
    /** Resolves the first event matching pred, waiting up to ms. */
    waitFor(pred, ms = 3000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const e = events.find(pred);
          if (e) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(e);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events).slice(0, 1500)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close() { ac.abort(); },
  };
}
