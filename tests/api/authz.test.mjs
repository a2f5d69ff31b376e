// The authorization matrix: every route of the tables in src/api/ × {anonymous, customer, agent,
// supervisor, admin}, with the expected answer derived from the one role → permission table
// (src/users/roles.c). Both files are parsed, so the matrix grows with every route added.
//
//   anonymous on a route that is not PERM_PUBLIC      → 401 unauthorized
//   a customer without the route's permission         → 404 not_found, the generic "not found"
//   staff without it                                  → 403 forbidden
//   a role with it                                    → neither 401 nor 403 nor 5xx (and for a
//                                                       customer, not the generic denial 404)
//
// Each signed-in role is checked twice: with an API key (bearer, no CSRF) and with a session
// cookie (where unsafe methods without X-CSRF-Token must be 403 first). A last pass turns on
// require_2fa_for_staff and checks that staff without 2FA reach only PERM_PUBLIC routes and
// those flagged ROUTE_2FA_SETUP.
//
// Path parameters: for GET routes an existing id from the collection's list when there is one
// (so a role with access sees 200), else 999999 (nothing is changed or deleted by the matrix).
// Bodies: {} for POST/PATCH/PUT (a role with access gets 422 or similar, never 401/403).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { startServer, api, addUser, login, cookieFrom, repoRoot, parleyBin } from './lib/server.mjs';

const PW = 'Gl4cier-Mango-77!';
const MISSING_ID = '999999';
const DENIAL_404 = 'not found'; // src/http/auth.c: what a customer without the permission reads

// The sources that describe the binary under test: beside it when it was built from another
// tree (PARLEY_BIN=/elsewhere/build/asan/parley), else this repository's.
function sourceFile(rel) {
  const beside = path.resolve(path.dirname(parleyBin), '../..', rel);
  return existsSync(beside) ? beside : path.join(repoRoot, rel);
}

/** Every route of the tables: {method, pattern, handler, perm, flags: [..]}. An entry is any
 *  R…( "METHOD", "/path", handler, PERM_X, … ) invocation, on one line or several. */
function parseRoutes(text) {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')   // comments
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/^\s*#[^\n]*(\\\n[^\n]*)*/gm, ' '); // preprocessor lines (the R… macros themselves)
  const routes = [];
  const start = /\bR(?:_[A-Z0-9]+)?\(/g;
  let m;
  while ((m = start.exec(code))) {
    // the balanced argument list
    let depth = 1;
    let i = start.lastIndex;
    for (; i < code.length && depth > 0; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')') depth--;
    }
    const inner = code.slice(start.lastIndex, i - 1);
    const args = [];
    let cur = '';
    depth = 0;
    for (const ch of inner) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      if (ch === ',' && depth === 0) {
        args.push(cur.trim());
        cur = '';
      } else {
        cur += ch;
      }
    }
    args.push(cur.trim());
    const [method, pattern, handler, perm] = args;
    if (!/^"[A-Z]+"$/.test(method || '') || !/^"\/[^"]*"$/.test(pattern || '') || !/^PERM_\w+$/.test(perm || '')) {
      // an entry the parser does not understand would silently escape the matrix
      throw new Error(`cannot parse route entry: ${m[0]}${inner})`);
    }
    const flags = args.slice(4).join('|').match(/\bROUTE_[A-Z0-9_]+/g) || [];
    routes.push({ method: method.slice(1, -1), pattern: pattern.slice(1, -1), handler, perm, flags });
    start.lastIndex = i;
  }
  if (routes.length === 0) throw new Error('no routes found');
  return routes;
}

/** role name → Set of PERM_ names, from the #define chains and grants[] of roles.c. */
function parseRoles(text) {
  const defs = {};
  for (const m of text.matchAll(/^#define\s+([A-Z_]+)\s+\((.*)\)\s*$/gm)) defs[m[1]] = m[2];
  const expand = (expr, depth = 0) => {
    if (depth > 20) throw new Error('roles.c: macro loop');
    const perms = new Set();
    for (const part of expr.split('|').map((s) => s.trim())) {
      const bit = /^BIT\((PERM_\w+)\)$/.exec(part);
      if (bit) perms.add(bit[1]);
      else if (defs[part]) for (const p of expand(defs[part], depth + 1)) perms.add(p);
      else throw new Error(`roles.c: cannot read "${part}"`);
    }
    return perms;
  };
  const grants = {};
  const block = /grants\[ROLE__COUNT\]\s*=\s*\{([\s\S]*?)\};/.exec(text);
  if (!block) throw new Error('roles.c: no grants table');
  for (const m of block[1].matchAll(/\[ROLE_([A-Z]+)\]\s*=\s*([^,\n]+),?/g)) {
    grants[m[1].toLowerCase()] = expand(m[2].trim());
  }
  return grants;
}

// every route table in src/api/ (routes.c gathers the groups; a group may live in its own file)
const apiDir = sourceFile('src/api/routes.c').replace(/routes\.c$/, '');
const routes = readdirSync(apiDir).filter((f) => f.endsWith('.c')).sort()
  .map((f) => readFileSync(path.join(apiDir, f), 'utf8'))
  .filter((text) => /struct route\s+\w+\[\]\s*=\s*\{/.test(text))
  .flatMap(parseRoutes);
const grants = parseRoles(readFileSync(sourceFile('src/users/roles.c'), 'utf8'));
const ROLES = ['customer', 'agent', 'supervisor', 'admin'];
const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** One request that also copes with streams (Server-Sent Events): status, headers, and the
 *  JSON error when there is one. */
async function call(server, method, urlPath, { token, cookie, csrf } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = cookie;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let body;
  if (UNSAFE.has(method) && method !== 'DELETE') {
    body = '{}';
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(server.url + urlPath, { method, headers, body, redirect: 'manual',
    signal: AbortSignal.timeout(20000) });
  if (/text\/event-stream/.test(res.headers.get('content-type') || '')) {
    await res.body.cancel();
    return { status: res.status, json: null, text: '(event stream)' };
  }
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

function describeCall(role, mode, r, url, res) {
  return `${role} (${mode}) ${r.method} ${url} [${r.perm}] → ${res.status} ${res.text.slice(0, 200)}`;
}

/** Checks one answer against what the tables say. */
function expectOutcome(role, mode, r, url, res) {
  const what = describeCall(role, mode, r, url, res);
  assert.ok(res.status < 500, `server error: ${what}`);
  if (role === 'anonymous') {
    if (r.perm === 'PERM_PUBLIC') {
      assert.ok(res.status !== 401 && res.status !== 403, what);
    } else {
      assert.equal(res.status, 401, what);
      assert.equal(res.json?.error?.code, 'unauthorized', what);
    }
    return;
  }
  const allowed = grants[role].has(r.perm);
  if (!allowed) {
    if (role === 'customer') {
      assert.equal(res.status, 404, what);
      assert.equal(res.json?.error?.code, 'not_found', what);
      assert.equal(res.json?.error?.message, DENIAL_404, what);
    } else {
      assert.equal(res.status, 403, what);
      assert.equal(res.json?.error?.code, 'forbidden', what);
      assert.match(res.json?.error?.message || '', /role/, what);
    }
    return;
  }
  assert.ok(res.status !== 401 && res.status !== 403, what);
  if (res.status === 404) {
    assert.notEqual(res.json?.error?.message, DENIAL_404,
      `a role with the permission got the generic denial (or a handler answers exactly like it): ${what}`);
  }
}

describe('authorization matrix', () => {
  let server;
  const ids = {};             // collection path → an existing id
  const who = {};             // role → {token, cookie, csrf, user}

  /** The URL of a route for this pass: existing ids for GET, MISSING_ID otherwise. */
  function urlOf(r) {
    return r.pattern.replace(/\{(\w+)\}/g, (whole, name, offset) => {
      if (r.method !== 'GET') return MISSING_ID;
      const collection = r.pattern.slice(0, offset - 1);
      return ids[collection] !== undefined ? String(ids[collection]) : MISSING_ID;
    });
  }

  before(async () => {
    server = await startServer();
    for (const role of ROLES) {
      const email = `${role}@example.com`;
      await addUser(server, { email, role, password: PW });
      const s = await login(server, email, PW);
      const key = await api(server, 'POST', '/api/v1/api-keys', { cookie: s.cookie, csrf: s.csrf,
        body: { name: `matrix-${role}` } });
      assert.equal(key.status, 201, key.text);
      who[role] = { ...s, token: key.json.token };
    }
    const admin = who.admin.token;
    // a few things to point at, made through the API when the routes exist
    const has = (m, p) => routes.some((r) => r.method === m && r.pattern === p);
    if (has('POST', '/api/v1/teams')) {
      const t = await api(server, 'POST', '/api/v1/teams', { token: admin, body: { name: 'Matrix team' } });
      assert.equal(t.status, 201, t.text);
    }
    if (has('POST', '/api/v1/tickets')) {
      const t = await api(server, 'POST', '/api/v1/tickets', { token: who.customer.token,
        body: { subject: 'Matrix ticket', body: 'Hello' } });
      assert.equal(t.status, 201, t.text);
    }
    // an existing id for every listable collection that has /{id} routes
    for (const r of routes) {
      const m = /^(.*?)\/\{\w+\}/.exec(r.pattern);
      if (!m || ids[m[1]] !== undefined) continue;
      if (!routes.some((x) => x.method === 'GET' && x.pattern === m[1])) continue;
      const list = await api(server, 'GET', m[1], { token: admin });
      const first = list.json?.items?.[0];
      if (list.status === 200 && first && first.id !== undefined) ids[m[1]] = first.id;
    }
  });
  after(async () => {
    if (server) await server.cleanup();
  });

  test('the route and role tables parse', () => {
    assert.ok(routes.length >= 28, `only ${routes.length} routes parsed`);
    assert.ok(routes.some((r) => r.pattern === '/healthz' && r.perm === 'PERM_PUBLIC'));
    assert.deepEqual(Object.keys(grants).sort(), [...ROLES].sort());
    for (const role of ROLES) assert.ok(grants[role].has('PERM_SIGNED_IN'), role);
    assert.ok(!grants.customer.has('PERM_TICKETS_WORK'));
    assert.ok(grants.admin.has('PERM_USERS_MANAGE'));
    // every permission a route asks for is one the role table knows
    const known = new Set(Object.values(grants).flatMap((s) => [...s]));
    for (const r of routes) assert.ok(known.has(r.perm) || r.perm === 'PERM_PUBLIC', `${r.perm} of ${r.pattern}`);
  });

  test('anonymous callers: 401 everywhere but PERM_PUBLIC routes', async () => {
    for (const r of routes) {
      const url = urlOf(r);
      expectOutcome('anonymous', 'no credentials', r, url, await call(server, r.method, url));
    }
  });

  for (const role of ROLES) {
    test(`${role} with an API key: the permission table decides`, async () => {
      for (const r of routes) {
        if (r.pattern === '/api/v1/auth/logout') continue; // checked with a cookie below
        const url = urlOf(r);
        expectOutcome(role, 'bearer', r, url, await call(server, r.method, url, { token: who[role].token }));
      }
    });

    test(`${role} with a session cookie: unsafe methods need X-CSRF-Token, then the table decides`, async () => {
      for (const r of routes) {
        const url = urlOf(r);
        // a route that ends the session gets a session of its own
        const s = r.pattern === '/api/v1/auth/logout' ? await login(server, `${role}@example.com`, PW) : who[role];
        if (UNSAFE.has(r.method)) {
          const bare = await call(server, r.method, url, { cookie: s.cookie });
          const what = describeCall(role, 'cookie, no CSRF', r, url, bare);
          if (r.perm === 'PERM_PUBLIC') {
            assert.notEqual(bare.status, 401, what);
          } else {
            assert.equal(bare.status, 403, what);
            assert.equal(bare.json?.error?.code, 'forbidden', what);
            assert.match(bare.json.error.message, /CSRF/i, what);
          }
        }
        expectOutcome(role, 'cookie', r, url, await call(server, r.method, url, { cookie: s.cookie, csrf: s.csrf }));
      }
      // the session is still alive after the walk
      assert.equal((await call(server, 'GET', '/api/v1/me', { cookie: who[role].cookie })).status, 200);
    });
  }

  test('with require_2fa_for_staff, staff without 2FA reach only public and set-up routes', async () => {
    const on = await api(server, 'PATCH', '/api/v1/admin/settings', { token: who.admin.token,
      body: { require_2fa_for_staff: true } });
    assert.equal(on.status, 200, on.text);
    // (nobody has 2FA here, so this stays on until the server goes away)
    for (const role of ROLES) {
      for (const r of routes) {
        if (r.pattern === '/api/v1/auth/logout') continue;
        const url = urlOf(r);
        const res = await call(server, r.method, url, { token: who[role].token });
        const what = describeCall(role, 'bearer, 2FA required', r, url, res);
        const open = r.perm === 'PERM_PUBLIC' || r.flags.includes('ROUTE_2FA_SETUP');
        if (role === 'customer' || open || !grants[role].has(r.perm)) {
          expectOutcome(role, 'bearer, 2FA required', r, url, res);
        } else {
          assert.equal(res.status, 403, what);
          assert.match(res.json?.error?.message || '', /two-factor/, what);
        }
      }
    }
  });
});
