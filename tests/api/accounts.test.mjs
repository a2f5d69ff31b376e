// Issue 3, accounts and security: black-box tests of sign-in, sessions, CSRF, registration,
// user management, the password policy, API keys, two-factor authentication, the brute-force
// guard, settings, teams and the tamper-evident audit log, on the driver PARLEY_TEST_DB selects.
//
// Every sign-in failure counts against the client address as well as the account (10 in 15
// minutes block both), so the failures these tests cause on purpose are sent from other
// loopback addresses (127.0.0.x) with fromIp(), keeping 127.0.0.1 usable.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import { startServer, api, addUser, login, runCli, run, cookieFrom, rawRequest, dbKind } from './lib/server.mjs';

const ADMIN = { email: 'root@example.com', name: 'Root Admin', password: 'Vq7#mPz2!kLw9xR' };
const PW = 'Gl4cier-Mango-77!'; // a password the policy accepts
const API = '/api/v1';

// ---------------------------------------------------------------- helpers

/** RFC 4648 base32 (no padding needed) to bytes. */
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) for the time step `steps` away from now. */
function totp(secretB32, steps = 0) {
  const counter = Math.floor(Date.now() / 1000 / 30) + steps;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secretB32)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
  return String(code).padStart(6, '0');
}

/** Checks the API error shape and returns the inner error. */
function apiError(res, status, code, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.json && res.json.error, `no JSON error body: ${res.text}`);
  if (code) assert.equal(res.json.error.code, code, res.text);
  if (field !== undefined) assert.equal(res.json.error.field, field, res.text);
  assert.equal(typeof res.json.error.message, 'string');
  return res.json.error;
}

function ok(res, status = 200) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  return res.json;
}

/** One JSON request sent from a given loopback address (the server sees it as the client). */
function fromIp(server, localAddress, method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const h = { ...headers };
    if (data !== undefined) {
      h['Content-Type'] = 'application/json';
      h['Content-Length'] = Buffer.byteLength(data);
    }
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path, localAddress, headers: h,
      agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, json, text });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

let ipCounter = 10;
/** A loopback address no other test has used. */
function freshIp() {
  ipCounter++;
  return `127.0.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 2}`;
}

/** A failed sign-in from a fresh address (so 127.0.0.1 never collects failures). */
async function badLogin(server, email, password = 'Wrong-password-123') {
  return fromIp(server, freshIp(), 'POST', `${API}/auth/login`, { email, password });
}

/** Runs SQL against the server's database (sqlite3 CLI or psql); resolves stdout. */
async function sql(server, statement) {
  const r = dbKind === 'postgres'
    ? await run('psql', [server.dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAtX', '-c', statement])
    : await run('sqlite3', ['-cmd', '.timeout 5000', `${server.dataDir}/parley.db`, statement]);
  if (r.code !== 0) throw new Error(`SQL ${statement}: exit ${r.code}\n${r.stderr}`);
  return r.stdout.trim();
}

/** Audit entries matching query (admin token), newest first. */
async function audit(server, token, query = '') {
  return ok(await api(server, 'GET', `${API}/admin/audit?limit=200${query ? `&${query}` : ''}`, { token })).items;
}

async function newKey(server, auth, name = 'k') {
  const body = ok(await api(server, 'POST', `${API}/api-keys`, { ...auth, body: { name } }), 201);
  return body;
}

/** Creates a user through the admin API and returns it (admin bearer token). */
async function createUser(server, token, fields) {
  return ok(await api(server, 'POST', `${API}/users`, { token, body: { password: PW, ...fields } }), 201);
}

/** A signed-in user with a cookie session and an API key. */
async function userWithKey(server, adminToken, fields) {
  const user = await createUser(server, adminToken, fields);
  const s = await login(server, fields.email, fields.password || PW);
  const key = await newKey(server, { cookie: s.cookie, csrf: s.csrf });
  return { user, session: s, token: key.token, keyId: key.id };
}

// ---------------------------------------------------------------- the main server

describe('accounts and security', () => {
  let server;
  let admin; // {cookie, csrf, user}
  let adminToken;

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    if (server) await server.cleanup();
  });

  test('the first admin is made with `parley user add` (password on stdin)', async () => {
    const r = await runCli(server, ['user', 'add', '--email', ADMIN.email, '--name', ADMIN.name, '--role', 'admin'],
      `${ADMIN.password}\n`);
    assert.equal(r.code, 0, r.stderr);
    // a weak password, a bad role and a duplicate are refused with a non-zero exit
    const weak = await runCli(server, ['user', 'add', '--email', 'weak@example.com', '--name', 'W', '--role', 'agent'],
      'password123\n');
    assert.notEqual(weak.code, 0);
    assert.match(weak.stderr, /password/);
    const role = await runCli(server, ['user', 'add', '--email', 'r@example.com', '--name', 'R', '--role', 'boss'],
      `${PW}\n`);
    assert.notEqual(role.code, 0);
    const dup = await runCli(server, ['user', 'add', '--email', ADMIN.email.toUpperCase(), '--name', 'D',
      '--role', 'admin'], `${PW}\n`);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /already exists/);

    admin = await login(server, ADMIN.email, ADMIN.password);
    assert.equal(admin.user.role, 'admin');
    assert.equal(admin.user.email, ADMIN.email);
    adminToken = (await newKey(server, { cookie: admin.cookie, csrf: admin.csrf }, 'admin-tests')).token;
  });

  test('login sets an HttpOnly SameSite=Lax cookie and returns the csrf_token; /me answers', async () => {
    const res = await api(server, 'POST', `${API}/auth/login`, { body: { email: ADMIN.email, password: ADMIN.password } });
    ok(res);
    assert.equal(res.setCookies.length, 1);
    const cookie = res.setCookies[0];
    assert.match(cookie, /^parley_session=[^;]{20,};/);
    assert.match(cookie, /;\s*HttpOnly/i);
    assert.match(cookie, /;\s*SameSite=Lax/i);
    assert.match(cookie, /;\s*Path=\//);
    assert.doesNotMatch(cookie, /Secure/i, 'plain HTTP without a proxy header: no Secure flag');
    assert.equal(typeof res.json.csrf_token, 'string');
    assert.ok(res.json.csrf_token.length >= 20);
    assert.equal(res.json.user.email, ADMIN.email);
    assert.equal(res.json.user.password_hash, undefined);

    const me = ok(await api(server, 'GET', `${API}/me`, { cookie: cookieFrom(res) }));
    for (const k of ['id', 'email', 'name', 'role', 'team_ids', 'two_factor']) assert.ok(k in me, `me.${k}`);
    assert.equal(me.role, 'admin');
    assert.equal(me.name, ADMIN.name);
    assert.equal(me.two_factor, false);
    assert.deepEqual(me.team_ids, []);
    assert.equal(me.csrf_token, res.json.csrf_token);

    // behind a TLS-terminating proxy that says so, the cookie is Secure
    const tls = await api(server, 'POST', `${API}/auth/login`, {
      body: { email: ADMIN.email, password: ADMIN.password }, headers: { 'X-Forwarded-Proto': 'https' } });
    ok(tls);
    assert.match(tls.setCookies[0], /;\s*Secure/i);

    // the email is case-insensitive; a wrong password and an unknown account answer alike
    ok(await api(server, 'POST', `${API}/auth/login`, { body: { email: ' Root@Example.COM ', password: ADMIN.password } }));
    const wrong = await badLogin(server, ADMIN.email);
    apiError(wrong, 401, 'unauthorized');
    const unknown = await badLogin(server, 'nobody@example.com');
    apiError(unknown, 401, 'unauthorized');
    assert.equal(unknown.json.error.message, wrong.json.error.message);
    apiError(await api(server, 'GET', `${API}/me`), 401, 'unauthorized');
    apiError(await api(server, 'GET', `${API}/me`, { cookie: 'parley_session=not-a-session' }), 401, 'unauthorized');
  });

  test('CSRF: a cookie-authenticated unsafe request needs the right X-CSRF-Token', async () => {
    const body = { name: 'csrf-check' };
    apiError(await api(server, 'POST', `${API}/api-keys`, { cookie: admin.cookie, body }), 403, 'forbidden');
    apiError(await api(server, 'POST', `${API}/api-keys`, { cookie: admin.cookie, csrf: 'wrong', body }), 403, 'forbidden');
    // another session's token does not do either
    const other = await login(server, ADMIN.email, ADMIN.password);
    apiError(await api(server, 'POST', `${API}/api-keys`, { cookie: admin.cookie, csrf: other.csrf, body }), 403,
      'forbidden');
    apiError(await api(server, 'DELETE', `${API}/api-keys/1`, { cookie: admin.cookie }), 403, 'forbidden');
    apiError(await api(server, 'PATCH', `${API}/admin/settings`, { cookie: admin.cookie, body: {} }), 403, 'forbidden');
    const created = ok(await api(server, 'POST', `${API}/api-keys`, { cookie: admin.cookie, csrf: admin.csrf, body }), 201);
    // safe methods need none; a bearer key needs none
    ok(await api(server, 'GET', `${API}/api-keys`, { cookie: admin.cookie }));
    ok(await api(server, 'DELETE', `${API}/api-keys/${created.id}`, { token: adminToken }), 204);
  });

  test('logout ends the session: the cookie stops working', async () => {
    const s = await login(server, ADMIN.email, ADMIN.password);
    ok(await api(server, 'GET', `${API}/me`, { cookie: s.cookie }));
    apiError(await api(server, 'POST', `${API}/auth/logout`, { cookie: s.cookie }), 403, 'forbidden');
    const out = await api(server, 'POST', `${API}/auth/logout`, { cookie: s.cookie, csrf: s.csrf });
    assert.equal(out.status, 204, out.text);
    assert.match(out.setCookies[0] || '', /parley_session=;.*Max-Age=0/);
    apiError(await api(server, 'GET', `${API}/me`, { cookie: s.cookie }), 401, 'unauthorized');
    apiError(await api(server, 'POST', `${API}/auth/logout`, { cookie: s.cookie, csrf: s.csrf }), 401, 'unauthorized');
    // other sessions of the same user are untouched
    ok(await api(server, 'GET', `${API}/me`, { cookie: admin.cookie }));
    const entries = await audit(server, adminToken, 'action=auth.logout');
    assert.ok(entries.some((e) => e.actor_id === admin.user.id));
  });

  test('registration makes a customer; an admin can switch it off', async () => {
    const res = await api(server, 'POST', `${API}/auth/register`, {
      body: { email: 'Cust1@Example.com', name: 'Customer One', password: PW, role: 'admin', active: true } });
    const u = ok(res, 201);
    assert.equal(u.role, 'customer', 'a role in the body is ignored');
    assert.equal(u.email, 'cust1@example.com');
    assert.equal(u.password, undefined);
    assert.equal(res.setCookies.length, 0);
    const s = await login(server, 'cust1@example.com', PW);
    assert.equal(s.user.role, 'customer');
    apiError(await api(server, 'POST', `${API}/auth/register`, {
      body: { email: 'cust1@example.com', name: 'Again', password: PW } }), 409, 'conflict');
    apiError(await api(server, 'POST', `${API}/auth/register`, {
      body: { email: 'not-an-email', name: 'X', password: PW } }), 422, 'validation_failed', 'email');

    ok(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken, body: { allow_registration: false } }));
    apiError(await api(server, 'POST', `${API}/auth/register`, {
      body: { email: 'cust2@example.com', name: 'Customer Two', password: PW } }), 403, 'forbidden');
    // admins still create accounts
    await createUser(server, adminToken, { email: 'cust2@example.com', name: 'Customer Two', role: 'customer' });
    ok(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken, body: { allow_registration: true } }));
    ok(await api(server, 'POST', `${API}/auth/register`, {
      body: { email: 'cust3@example.com', name: 'Customer Three', password: PW } }), 201);
  });

  test('admin user management: create with teams and skills, change role (audited), list, read', async () => {
    const team = ok(await api(server, 'POST', `${API}/teams`, { token: adminToken, body: { name: 'Billing' } }), 201);
    const u = await createUser(server, adminToken, { email: 'agent1@example.com', name: 'Agent One', role: 'agent',
      team_ids: [team.id], skills: ['billing', 'de'] });
    assert.equal(u.role, 'agent');
    assert.deepEqual(u.team_ids, [team.id]);
    assert.deepEqual(u.skills, ['billing', 'de']);
    assert.equal(u.active, true);
    assert.deepEqual(ok(await api(server, 'GET', `${API}/teams/${team.id}`, { token: adminToken })).member_ids, [u.id]);

    const got = ok(await api(server, 'GET', `${API}/users/${u.id}`, { token: adminToken }));
    assert.deepEqual(got, u);
    apiError(await api(server, 'GET', `${API}/users/999999`, { token: adminToken }), 404, 'not_found');

    const changed = ok(await api(server, 'PATCH', `${API}/users/${u.id}`, { token: adminToken,
      body: { role: 'supervisor', skills: ['billing'], name: 'Agent Uno' } }));
    assert.equal(changed.role, 'supervisor');
    assert.deepEqual(changed.skills, ['billing']);
    assert.equal(changed.name, 'Agent Uno');
    assert.deepEqual(changed.team_ids, [team.id], 'team_ids untouched when not named');
    const entries = await audit(server, adminToken, `action=user.role_change&target_id=${u.id}`);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].old, 'agent');
    assert.equal(entries[0].new, 'supervisor');
    assert.equal(entries[0].actor_id, admin.user.id);
    assert.equal(entries[0].target_type, 'user');

    const cleared = ok(await api(server, 'PATCH', `${API}/users/${u.id}`, { token: adminToken, body: { team_ids: [] } }));
    assert.deepEqual(cleared.team_ids, []);
    apiError(await api(server, 'PATCH', `${API}/users/${u.id}`, { token: adminToken, body: { role: 'root' } }), 422,
      'validation_failed', 'role');
    apiError(await api(server, 'PATCH', `${API}/users/${u.id}`, { token: adminToken, body: { team_ids: [999999] } }),
      422, 'validation_failed', 'team_ids');
    apiError(await api(server, 'PATCH', `${API}/users/${u.id}`, { token: adminToken, body: { skills: 'billing' } }),
      422, 'validation_failed', 'skills');
    apiError(await api(server, 'PATCH', `${API}/users/999999`, { token: adminToken, body: { name: 'x' } }), 404,
      'not_found');
    apiError(await api(server, 'POST', `${API}/users`, { token: adminToken,
      body: { email: 'agent1@example.com', name: 'Dup', role: 'agent', password: PW } }), 409, 'conflict');
    // an admin cannot lock themselves out
    apiError(await api(server, 'PATCH', `${API}/users/${admin.user.id}`, { token: adminToken, body: { role: 'agent' } }),
      422, 'validation_failed', 'role');
    apiError(await api(server, 'PATCH', `${API}/users/${admin.user.id}`, { token: adminToken, body: { active: false } }),
      422, 'validation_failed', 'active');

    const list = ok(await api(server, 'GET', `${API}/users?role=supervisor`, { token: adminToken }));
    assert.ok(list.items.some((x) => x.id === u.id));
    assert.ok(list.items.every((x) => x.role === 'supervisor'));
    const q = ok(await api(server, 'GET', `${API}/users?q=AGENT%20UNO`, { token: adminToken }));
    assert.deepEqual(q.items.map((x) => x.id), [u.id]);
    // paging: limit and cursor walk every user once
    const seen = [];
    let cursor = null;
    for (let i = 0; i < 20; i++) {
      const page = ok(await api(server, 'GET', `${API}/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: adminToken }));
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((x) => x.id));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    const all = ok(await api(server, 'GET', `${API}/users?limit=200`, { token: adminToken }));
    assert.deepEqual(seen, all.items.map((x) => x.id));
    apiError(await api(server, 'GET', `${API}/users?limit=0`, { token: adminToken }), 400, 'bad_request');
    apiError(await api(server, 'GET', `${API}/users?limit=201`, { token: adminToken }), 400, 'bad_request');
  });

  test('deactivating a user stops their session and API key at once and blocks sign-in', async () => {
    const a = await userWithKey(server, adminToken, { email: 'leaver@example.com', name: 'Leaver', role: 'agent' });
    ok(await api(server, 'GET', `${API}/me`, { cookie: a.session.cookie }));
    ok(await api(server, 'GET', `${API}/me`, { token: a.token }));
    const off = ok(await api(server, 'PATCH', `${API}/users/${a.user.id}`, { token: adminToken, body: { active: false } }));
    assert.equal(off.active, false);
    apiError(await api(server, 'GET', `${API}/me`, { cookie: a.session.cookie }), 401, 'unauthorized');
    apiError(await api(server, 'GET', `${API}/me`, { token: a.token }), 401, 'unauthorized');
    apiError(await badLogin(server, 'leaver@example.com', PW), 401, 'unauthorized');
    const entries = await audit(server, adminToken, `action=user.deactivate&target_id=${a.user.id}`);
    assert.equal(entries.length, 1);
    // reactivated: sign-in works again, the old session stays ended
    ok(await api(server, 'PATCH', `${API}/users/${a.user.id}`, { token: adminToken, body: { active: true } }));
    apiError(await api(server, 'GET', `${API}/me`, { cookie: a.session.cookie }), 401, 'unauthorized');
    await login(server, 'leaver@example.com', PW);
  });

  test('password policy: short, common, or the email → 422 naming the password', async () => {
    const cases = [
      ['Sh0rt!x', 'short'],
      ['password123', 'common'],
      ['policy.check@example.com', 'the email'],
      ['POLICY.CHECK@EXAMPLE.COM', 'the email in capitals'],
    ];
    for (const [password, why] of cases) {
      const r = await api(server, 'POST', `${API}/auth/register`, {
        body: { email: 'policy.check@example.com', name: 'Policy', password } });
      apiError(r, 422, 'validation_failed', 'password');
      const c = await api(server, 'POST', `${API}/users`, { token: adminToken,
        body: { email: 'policy.check@example.com', name: 'Policy', role: 'agent', password } });
      apiError(c, 422, 'validation_failed', 'password');
      assert.ok(why);
    }
    apiError(await api(server, 'POST', `${API}/auth/register`, {
      body: { email: 'policy.check@example.com', name: 'Policy', password: 'x'.repeat(2000) } }), 422,
    'validation_failed', 'password');
    // the account was never made
    apiError(await badLogin(server, 'policy.check@example.com', 'password123'), 401, 'unauthorized');
    // an admin resetting someone's password is held to the same policy
    const u = await createUser(server, adminToken, { email: 'reset@example.com', name: 'Reset', role: 'agent' });
    apiError(await api(server, 'PATCH', `${API}/users/${u.id}`, { token: adminToken, body: { password: 'password123' } }),
      422, 'validation_failed', 'password');
    apiError(await api(server, 'PATCH', `${API}/users/${u.id}`, { token: adminToken,
      body: { password: 'reset@example.com' } }), 422, 'validation_failed', 'password');
  });

  test('changing the password ends the other sessions and keeps the current one', async () => {
    const email = 'changer@example.com';
    await createUser(server, adminToken, { email, name: 'Changer', role: 'agent' });
    const a = await login(server, email, PW);
    const b = await login(server, email, PW);
    const path = `${API}/me/password`;
    apiError(await api(server, 'POST', path, { cookie: a.cookie, csrf: a.csrf,
      body: { current_password: 'not-it-at-all-1', new_password: 'Fresh-Lemon-42!' } }), 422, 'validation_failed',
    'current_password');
    apiError(await api(server, 'POST', path, { cookie: a.cookie, csrf: a.csrf,
      body: { current_password: PW, new_password: 'short' } }), 422, 'validation_failed', 'new_password');
    apiError(await api(server, 'POST', path, { cookie: a.cookie, csrf: a.csrf,
      body: { current_password: PW, new_password: email } }), 422, 'validation_failed', 'new_password');
    apiError(await api(server, 'POST', path, { cookie: a.cookie, csrf: a.csrf, body: { current_password: PW } }), 422,
      'validation_failed', 'new_password');
    // nothing changed so far
    ok(await api(server, 'GET', `${API}/me`, { cookie: b.cookie }));
    const res = await api(server, 'POST', path, { cookie: a.cookie, csrf: a.csrf,
      body: { current_password: PW, new_password: 'Fresh-Lemon-42!' } });
    assert.equal(res.status, 204, res.text);
    ok(await api(server, 'GET', `${API}/me`, { cookie: a.cookie }));
    apiError(await api(server, 'GET', `${API}/me`, { cookie: b.cookie }), 401, 'unauthorized');
    apiError(await badLogin(server, email, PW), 401, 'unauthorized');
    await login(server, email, 'Fresh-Lemon-42!');
    const entries = await audit(server, adminToken, 'action=auth.password_change');
    assert.ok(entries.some((e) => e.target_id === a.user.id));
  });

  test('sessions: list your own, revoke one', async () => {
    const email = 'sessions@example.com';
    await createUser(server, adminToken, { email, name: 'Sessions', role: 'customer' });
    const a = await login(server, email, PW);
    const b = await login(server, email, PW);
    const list = ok(await api(server, 'GET', `${API}/me/sessions`, { cookie: a.cookie }));
    assert.equal(list.items.length, 2);
    assert.equal(list.next_cursor, null);
    const current = list.items.filter((s) => s.current);
    assert.equal(current.length, 1);
    for (const s of list.items) {
      for (const k of ['id', 'created_at', 'last_seen_at', 'ip', 'user_agent', 'current']) assert.ok(k in s, k);
      assert.equal(s.token, undefined);
      assert.equal(s.token_hash, undefined);
    }
    const other = list.items.find((s) => !s.current);
    // someone else's session id is not found, not revoked
    const adminSessions = ok(await api(server, 'GET', `${API}/me/sessions`, { cookie: admin.cookie }));
    const adminCurrent = adminSessions.items.find((s) => s.current);
    apiError(await api(server, 'DELETE', `${API}/me/sessions/${adminCurrent.id}`, { cookie: a.cookie, csrf: a.csrf }),
      404, 'not_found');
    ok(await api(server, 'GET', `${API}/me`, { cookie: admin.cookie }));
    assert.equal((await api(server, 'DELETE', `${API}/me/sessions/${other.id}`,
      { cookie: a.cookie, csrf: a.csrf })).status, 204);
    apiError(await api(server, 'GET', `${API}/me`, { cookie: b.cookie }), 401, 'unauthorized');
    ok(await api(server, 'GET', `${API}/me`, { cookie: a.cookie }));
    apiError(await api(server, 'DELETE', `${API}/me/sessions/${other.id}`, { cookie: a.cookie, csrf: a.csrf }), 404,
      'not_found');
    apiError(await api(server, 'DELETE', `${API}/me/sessions/999999`, { cookie: a.cookie, csrf: a.csrf }), 404,
      'not_found');
    const after1 = ok(await api(server, 'GET', `${API}/me/sessions`, { cookie: a.cookie }));
    assert.equal(after1.items.length, 1);
  });

  test('sessions expire when idle (12 h) or old (14 days), as the settings say', async () => {
    const email = 'expiry@example.com';
    await createUser(server, adminToken, { email, name: 'Expiry', role: 'customer' });
    const idle = await login(server, email, PW);
    const old = await login(server, email, PW);
    const idOf = async (s) => ok(await api(server, 'GET', `${API}/me/sessions`, { cookie: s.cookie })).items
      .find((x) => x.current).id;
    const idleId = await idOf(idle);
    const oldId = await idOf(old);
    const hours = (h) => Math.floor(Date.now() / 1000) - h * 3600;
    // (the clock is moved by rewriting the stored times)
    await sql(server, `UPDATE sessions SET last_seen_at = ${hours(13)} WHERE id = ${idleId}`);
    await sql(server, `UPDATE sessions SET created_at = ${hours(15 * 24)} WHERE id = ${oldId}`);
    apiError(await api(server, 'GET', `${API}/me`, { cookie: idle.cookie }), 401, 'unauthorized');
    apiError(await api(server, 'GET', `${API}/me`, { cookie: old.cookie }), 401, 'unauthorized');
    // the list shows only the sessions that still work
    const third = await login(server, email, PW);
    const live = ok(await api(server, 'GET', `${API}/me/sessions`, { cookie: third.cookie })).items.map((x) => x.id);
    assert.equal(live.length, 1);
    assert.ok(!live.includes(idleId) && !live.includes(oldId));
    // longer limits take effect at once
    ok(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken,
      body: { sessions: { idle_minutes: 24 * 60, max_days: 30 } } }));
    try {
      ok(await api(server, 'GET', `${API}/me`, { cookie: idle.cookie }));
      ok(await api(server, 'GET', `${API}/me`, { cookie: old.cookie }));
    } finally {
      ok(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken,
        body: { sessions: { idle_minutes: 12 * 60, max_days: 14 } } }));
    }
  });

  test('API keys: shown once, listed without the token, bearer without CSRF, last_used_at, revocation', async () => {
    const email = 'keys@example.com';
    await createUser(server, adminToken, { email, name: 'Keys', role: 'agent' });
    const s = await login(server, email, PW);
    const created = await newKey(server, { cookie: s.cookie, csrf: s.csrf }, 'integration');
    assert.match(created.token, /^pk_[A-Za-z0-9_-]{30,}$/);
    assert.equal(created.name, 'integration');
    assert.equal(typeof created.id, 'number');

    const listRes = await api(server, 'GET', `${API}/api-keys`, { cookie: s.cookie });
    const list = ok(listRes);
    assert.ok(!listRes.text.includes(created.token), 'the list must not contain the token');
    assert.ok(!listRes.text.includes(created.token.slice(3)), 'nor its secret part');
    const item = list.items.find((k) => k.id === created.id);
    assert.ok(item);
    assert.equal(item.name, 'integration');
    assert.equal(item.last_used_at, null);
    assert.ok(created.token.startsWith(item.prefix));
    assert.ok(item.prefix.length < 16);

    // the key acts as its owner, without CSRF, and marks its use
    const me = ok(await api(server, 'GET', `${API}/me`, { token: created.token }));
    assert.equal(me.email, email);
    assert.equal(me.csrf_token, undefined);
    const second = ok(await api(server, 'POST', `${API}/api-keys`, { token: created.token, body: { name: 'second' } }),
      201);
    apiError(await api(server, 'GET', `${API}/users`, { token: created.token }), 403, 'forbidden');
    const used = ok(await api(server, 'GET', `${API}/api-keys`, { token: created.token })).items
      .find((k) => k.id === created.id);
    assert.match(used.last_used_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // another user can neither see nor revoke it
    const adminKeys = ok(await api(server, 'GET', `${API}/api-keys`, { token: adminToken })).items;
    assert.ok(!adminKeys.some((k) => k.id === created.id));
    apiError(await api(server, 'DELETE', `${API}/api-keys/${created.id}`, { token: adminToken }), 404, 'not_found');
    ok(await api(server, 'GET', `${API}/me`, { token: created.token }));

    assert.equal((await api(server, 'DELETE', `${API}/api-keys/${created.id}`, { token: second.token })).status, 204);
    apiError(await api(server, 'GET', `${API}/me`, { token: created.token }), 401, 'unauthorized');
    apiError(await api(server, 'DELETE', `${API}/api-keys/${created.id}`, { token: second.token }), 404, 'not_found');
    const left = ok(await api(server, 'GET', `${API}/api-keys`, { token: second.token })).items.map((k) => k.id);
    assert.deepEqual(left, [second.id]);
    apiError(await api(server, 'GET', `${API}/me`, { token: 'pk_nonsense' }), 401, 'unauthorized');
    apiError(await api(server, 'POST', `${API}/api-keys`, { token: second.token, body: {} }), 422, 'validation_failed',
      'name');

    const created_ = await audit(server, adminToken, `action=api_key.create&target_id=${created.id}`);
    assert.equal(created_.length, 1);
    const revoked = await audit(server, adminToken, `action=api_key.revoke&target_id=${created.id}`);
    assert.equal(revoked.length, 1);
  });

  let sec; // an admin with 2FA on: {email, password, secret, codes, user}

  test('2FA: enrol (secret, otpauth URI, SVG QR), enable with a TOTP, sign-in needs the code', async () => {
    sec = { email: 'secadmin@example.com', password: PW };
    sec.user = await createUser(server, adminToken, { email: sec.email, name: 'Sec Admin', role: 'admin' });
    const s = await login(server, sec.email, PW);
    const auth = { cookie: s.cookie, csrf: s.csrf };
    apiError(await api(server, 'POST', `${API}/me/2fa/enable`, { ...auth, body: { otp: '123456' } }), 409, 'conflict');
    const enrol = ok(await api(server, 'POST', `${API}/me/2fa`, auth));
    assert.match(enrol.secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(enrol.otpauth_uri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(uri.searchParams.get('secret'), enrol.secret);
    assert.ok(decodeURIComponent(uri.pathname).includes(sec.email));
    assert.ok(enrol.qr_svg.startsWith('<svg'), enrol.qr_svg.slice(0, 40));
    assert.ok(enrol.qr_svg.trimEnd().endsWith('</svg>'));
    // the secret is stored sealed, not as given
    const stored = await sql(server, `SELECT totp_secret FROM users WHERE id = ${sec.user.id}`);
    assert.ok(stored && !stored.includes(enrol.secret));

    const wrong = totp(enrol.secret, 5); // a valid code, but for another time
    apiError(await api(server, 'POST', `${API}/me/2fa/enable`, { ...auth, body: { otp: wrong } }), 422,
      'validation_failed', 'otp');
    apiError(await api(server, 'POST', `${API}/me/2fa/enable`, { ...auth, body: {} }), 422, 'validation_failed', 'otp');
    const on = ok(await api(server, 'POST', `${API}/me/2fa/enable`, { ...auth, body: { otp: totp(enrol.secret) } }));
    assert.equal(on.recovery_codes.length, 10);
    assert.equal(new Set(on.recovery_codes).size, 10);
    for (const c of on.recovery_codes) assert.match(c, /^[a-z0-9]{5}-[a-z0-9]{5}$/, `recovery code ${c}`);
    sec.secret = enrol.secret;
    sec.codes = on.recovery_codes;
    assert.equal(ok(await api(server, 'GET', `${API}/me`, auth)).two_factor, true);
    apiError(await api(server, 'POST', `${API}/me/2fa`, auth), 409, 'conflict');
    assert.equal((await audit(server, adminToken, `action=auth.2fa_enabled&actor_id=${sec.user.id}`)).length, 1);

    const noOtp = await api(server, 'POST', `${API}/auth/login`, { body: { email: sec.email, password: PW } });
    apiError(noOtp, 401, 'otp_required');
    assert.equal(noOtp.setCookies.length, 0);
    apiError(await fromIp(server, freshIp(), 'POST', `${API}/auth/login`,
      { email: sec.email, password: PW, otp: totp(sec.secret, 7) }), 401, 'otp_required');
    // the right password is still checked first
    apiError(await fromIp(server, freshIp(), 'POST', `${API}/auth/login`,
      { email: sec.email, password: 'Wrong-password-123', otp: totp(sec.secret) }), 401, 'unauthorized');
    // the next time step's code: accepted within the allowed drift, and distinct from the one used to enable
    sec.loginOtp = totp(sec.secret, 1);
    const good = await login(server, sec.email, PW, sec.loginOtp);
    assert.equal(good.user.two_factor, true);
    sec.session = good;
  });

  test('2FA: a recovery code works once and only once (audited)', async () => {
    const code = sec.codes[0];
    const first = await api(server, 'POST', `${API}/auth/login`, { body: { email: sec.email, password: PW, otp: code } });
    ok(first);
    const again = await fromIp(server, freshIp(), 'POST', `${API}/auth/login`, { email: sec.email, password: PW, otp: code });
    apiError(again, 401, 'otp_required');
    // case and dashes do not matter; another code still works
    const loose = sec.codes[1].toUpperCase().replace(/-/g, '');
    ok(await api(server, 'POST', `${API}/auth/login`, { body: { email: sec.email, password: PW, otp: loose } }));
    const used = await audit(server, adminToken, `action=auth.recovery_code_used&actor_id=${sec.user.id}`);
    assert.equal(used.length, 2);
  });

  test('require_2fa_for_staff: staff without 2FA reach only /me and the 2FA set-up', async () => {
    const cust = await login(server, 'cust1@example.com', PW);
    const agent = await userWithKey(server, adminToken, { email: 'agent2fa@example.com', name: 'Agent', role: 'agent' });
    const secAuth = { cookie: sec.session.cookie, csrf: sec.session.csrf };
    const res = ok(await api(server, 'PATCH', `${API}/admin/settings`, { ...secAuth,
      body: { require_2fa_for_staff: true } }));
    assert.equal(res.require_2fa_for_staff, true);
    try {
      // the admin without 2FA: blocked from admin routes, by cookie and by key alike
      const e = apiError(await api(server, 'GET', `${API}/users`, { cookie: admin.cookie }), 403, 'forbidden');
      assert.match(e.message, /two-factor/);
      apiError(await api(server, 'GET', `${API}/users`, { token: adminToken }), 403, 'forbidden');
      apiError(await api(server, 'GET', `${API}/teams`, { token: agent.token }), 403, 'forbidden');
      apiError(await api(server, 'GET', `${API}/api-keys`, { token: agent.token }), 403, 'forbidden');
      // but /me and the 2FA set-up answer
      ok(await api(server, 'GET', `${API}/me`, { cookie: admin.cookie }));
      ok(await api(server, 'GET', `${API}/me`, { token: agent.token }));
      const enrol = ok(await api(server, 'POST', `${API}/me/2fa`, { token: agent.token }));
      assert.match(enrol.secret, /^[A-Z2-7]+$/);
      // sign-in tells the client that set-up is needed
      const l = await login(server, 'agent2fa@example.com', PW);
      assert.equal(l.res.json.two_factor_setup_required, true);
      // customers and staff with 2FA are not affected
      ok(await api(server, 'GET', `${API}/me/sessions`, { cookie: cust.cookie }));
      ok(await api(server, 'GET', `${API}/users`, secAuth));
      // once the agent turns 2FA on, the agent's routes open
      ok(await api(server, 'POST', `${API}/me/2fa/enable`, { token: agent.token, body: { otp: totp(enrol.secret) } }));
      ok(await api(server, 'GET', `${API}/teams`, { token: agent.token }));
    } finally {
      ok(await api(server, 'PATCH', `${API}/admin/settings`, { ...secAuth, body: { require_2fa_for_staff: false } }));
    }
    ok(await api(server, 'GET', `${API}/users`, { token: adminToken }));
  });

  test('2FA: turning it off needs a code and is audited', async () => {
    const auth = { cookie: sec.session.cookie, csrf: sec.session.csrf };
    apiError(await api(server, 'POST', `${API}/me/2fa/disable`, { ...auth, body: { otp: totp(sec.secret, 9) } }), 422,
      'validation_failed', 'otp');
    // a code is good once (RFC 6238 5.2): the one that signed in cannot be replayed
    apiError(await api(server, 'POST', `${API}/me/2fa/disable`, { ...auth, body: { otp: sec.loginOtp } }), 422,
      'validation_failed', 'otp');
    assert.equal((await api(server, 'POST', `${API}/me/2fa/disable`, { ...auth,
      body: { otp: sec.codes[3] } })).status, 204);
    assert.equal(ok(await api(server, 'GET', `${API}/me`, auth)).two_factor, false);
    ok(await api(server, 'POST', `${API}/auth/login`, { body: { email: sec.email, password: PW } }));
    // the recovery codes went with it
    apiError(await api(server, 'POST', `${API}/me/2fa/disable`, { ...auth, body: { otp: sec.codes[2] } }), 422,
      'validation_failed', 'otp');
    assert.equal((await audit(server, adminToken, `action=auth.2fa_disabled&actor_id=${sec.user.id}`)).length, 1);
  });

  test('settings: GET, partial PATCH, unknown keys and bad types refused, changes audited', async () => {
    const before_ = ok(await api(server, 'GET', `${API}/admin/settings`, { token: adminToken }));
    assert.deepEqual(before_.rate_limits, { ticket_create_per_minute: 60, ticket_update_per_minute: 120 });
    assert.equal(before_.allow_registration, true);
    assert.equal(before_.require_2fa_for_staff, false);
    assert.deepEqual(before_.sessions, { idle_minutes: 720, max_days: 14 });

    const after_ = ok(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken,
      body: { rate_limits: { ticket_create_per_minute: 30 } } }));
    assert.deepEqual(after_, { ...before_, rate_limits: { ticket_create_per_minute: 30, ticket_update_per_minute: 120 } });
    assert.deepEqual(ok(await api(server, 'GET', `${API}/admin/settings`, { token: adminToken })), after_);
    const entries = await audit(server, adminToken, 'action=settings.change');
    const e = entries.find((x) => x.field === 'rate_limits.ticket_create_per_minute');
    assert.ok(e, JSON.stringify(entries));
    assert.equal(e.old, '60');
    assert.equal(e.new, '30');
    assert.equal(e.actor_id, admin.user.id);

    const refused = [
      [{ no_such_setting: 1 }, 'no_such_setting'],
      [{ rate_limits: { nope: 5 } }, 'rate_limits.nope'],
      [{ allow_registration: 'yes' }, 'allow_registration'],
      [{ rate_limits: { ticket_update_per_minute: 'many' } }, 'rate_limits.ticket_update_per_minute'],
      [{ rate_limits: { ticket_update_per_minute: 0 } }, 'rate_limits.ticket_update_per_minute'],
      [{ rate_limits: { ticket_update_per_minute: 2.5 } }, 'rate_limits.ticket_update_per_minute'],
      [{ sessions: { idle_minutes: -1 } }, 'sessions.idle_minutes'],
      [{ rate_limits: 5 }, 'rate_limits'],
      // a valid key beside an invalid one: nothing is applied
      [{ allow_registration: false, bogus: true }, 'bogus'],
    ];
    for (const [body, field] of refused) {
      const err = apiError(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken, body }), 422,
        'validation_failed', field);
      assert.ok(err.message.includes(field), err.message);
    }
    assert.deepEqual(ok(await api(server, 'GET', `${API}/admin/settings`, { token: adminToken })), after_);
    apiError(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken, body: [1] }), 400, 'bad_request');
    apiError(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken, body: '{"a":' ,
      headers: { 'Content-Type': 'application/json' } }), 400, 'bad_request');
    ok(await api(server, 'PATCH', `${API}/admin/settings`, { token: adminToken,
      body: { rate_limits: { ticket_create_per_minute: 60 } } }));
  });

  test('teams: create, rename, members (staff only), delete; supervisors manage, agents read', async () => {
    const sup = await userWithKey(server, adminToken, { email: 'sup@example.com', name: 'Sup', role: 'supervisor' });
    const ag = await userWithKey(server, adminToken, { email: 'ag@example.com', name: 'Ag', role: 'agent' });
    const cu = await userWithKey(server, adminToken, { email: 'cu@example.com', name: 'Cu', role: 'customer' });
    const t = ok(await api(server, 'POST', `${API}/teams`, { token: sup.token,
      body: { name: 'Tier 1', description: 'first line' } }), 201);
    assert.equal(t.name, 'Tier 1');
    assert.equal(t.description, 'first line');
    assert.deepEqual(t.member_ids, []);
    apiError(await api(server, 'POST', `${API}/teams`, { token: sup.token, body: { name: 'Tier 1' } }), 409, 'conflict');
    apiError(await api(server, 'POST', `${API}/teams`, { token: sup.token, body: {} }), 422, 'validation_failed', 'name');
    apiError(await api(server, 'POST', `${API}/teams`, { token: ag.token, body: { name: 'Nope' } }), 403, 'forbidden');
    apiError(await api(server, 'POST', `${API}/teams`, { token: cu.token, body: { name: 'Nope' } }), 404, 'not_found');
    apiError(await api(server, 'GET', `${API}/teams`, { token: cu.token }), 404, 'not_found');

    const renamed = ok(await api(server, 'PATCH', `${API}/teams/${t.id}`, { token: sup.token, body: { name: 'Tier One' } }));
    assert.equal(renamed.name, 'Tier One');
    assert.equal(renamed.description, 'first line');
    const added = ok(await api(server, 'POST', `${API}/teams/${t.id}/members`, { token: sup.token,
      body: { user_id: ag.user.id } }));
    assert.deepEqual(added.member_ids, [ag.user.id]);
    assert.deepEqual(ok(await api(server, 'GET', `${API}/me`, { token: ag.token })).team_ids, [t.id]);
    apiError(await api(server, 'POST', `${API}/teams/${t.id}/members`, { token: sup.token,
      body: { user_id: cu.user.id } }), 422, 'validation_failed', 'user_id');
    apiError(await api(server, 'POST', `${API}/teams/${t.id}/members`, { token: sup.token,
      body: { user_id: 999999 } }), 422, 'validation_failed', 'user_id');
    apiError(await api(server, 'POST', `${API}/teams/${t.id}/members`, { token: sup.token, body: {} }), 422,
      'validation_failed', 'user_id');
    apiError(await api(server, 'POST', `${API}/teams/${t.id}/members`, { token: sup.token,
      body: { user_id: String(ag.user.id) } }), 422, 'validation_failed', 'user_id');
    apiError(await api(server, 'POST', `${API}/teams/999999/members`, { token: sup.token,
      body: { user_id: ag.user.id } }), 404, 'not_found');
    // a customer cannot join a team through the user API either
    apiError(await api(server, 'PATCH', `${API}/users/${cu.user.id}`, { token: adminToken,
      body: { team_ids: [t.id] } }), 422, 'validation_failed', 'team_ids');

    const list = ok(await api(server, 'GET', `${API}/teams`, { token: ag.token }));
    assert.ok(list.items.some((x) => x.id === t.id && x.name === 'Tier One'));
    ok(await api(server, 'GET', `${API}/teams/${t.id}`, { token: ag.token }));
    assert.equal((await api(server, 'DELETE', `${API}/teams/${t.id}/members/${ag.user.id}`, { token: sup.token })).status,
      204);
    apiError(await api(server, 'DELETE', `${API}/teams/${t.id}/members/${ag.user.id}`, { token: sup.token }), 404,
      'not_found');
    assert.deepEqual(ok(await api(server, 'GET', `${API}/teams/${t.id}`, { token: ag.token })).member_ids, []);

    ok(await api(server, 'POST', `${API}/teams/${t.id}/members`, { token: sup.token, body: { user_id: ag.user.id } }));
    assert.equal((await api(server, 'DELETE', `${API}/teams/${t.id}`, { token: sup.token })).status, 204);
    apiError(await api(server, 'GET', `${API}/teams/${t.id}`, { token: ag.token }), 404, 'not_found');
    apiError(await api(server, 'DELETE', `${API}/teams/${t.id}`, { token: sup.token }), 404, 'not_found');
    apiError(await api(server, 'PATCH', `${API}/teams/${t.id}`, { token: sup.token, body: { name: 'x' } }), 404,
      'not_found');
    assert.deepEqual(ok(await api(server, 'GET', `${API}/me`, { token: ag.token })).team_ids, []);

    const actions = (await audit(server, adminToken, `target_type=team&target_id=${t.id}`)).map((x) => x.action);
    for (const a of ['team.create', 'team.update', 'team.member_add', 'team.member_remove', 'team.delete']) {
      assert.ok(actions.includes(a), `${a} in ${actions}`);
    }
  });

  test('bad input: missing or mistyped fields name the field, huge bodies refused, metacharacters verbatim', async () => {
    const reg = (body) => api(server, 'POST', `${API}/auth/register`, { body });
    apiError(await reg({ name: 'N', password: PW }), 422, 'validation_failed', 'email');
    apiError(await reg({ email: 'bi1@example.com', password: PW }), 422, 'validation_failed', 'name');
    apiError(await reg({ email: 'bi1@example.com', name: 'N' }), 422, 'validation_failed', 'password');
    apiError(await reg({ email: 'bi1@example.com', name: '   ', password: PW }), 422, 'validation_failed', 'name');
    apiError(await reg({ email: 42, name: 'N', password: PW }), 422, 'validation_failed', 'email');
    apiError(await reg({ email: 'bi1@example.com', name: ['N'], password: PW }), 422, 'validation_failed', 'name');
    apiError(await api(server, 'POST', `${API}/auth/login`, { body: { password: PW } }), 422, 'validation_failed', 'email');
    apiError(await api(server, 'POST', `${API}/auth/login`, { body: { email: ADMIN.email } }), 422, 'validation_failed',
      'password');
    apiError(await api(server, 'POST', `${API}/users`, { token: adminToken,
      body: { email: 'bi2@example.com', name: 'N', password: PW, role: 5 } }), 422, 'validation_failed', 'role');
    apiError(await api(server, 'PATCH', `${API}/users/${admin.user.id}`, { token: adminToken, body: { active: 'no' } }),
      422, 'validation_failed', 'active');
    apiError(await api(server, 'POST', `${API}/auth/register`, { body: '{"email": ',
      headers: { 'Content-Type': 'application/json' } }), 400, 'bad_request');

    // a 1 MB name: 422 naming it while the body is within the route's limit (1 MiB) ...
    const mb = await reg({ email: 'bi3@example.com', name: 'x'.repeat(1000 * 1000), password: PW });
    apiError(mb, 422, 'validation_failed', 'name');
    // ... 413 with the JSON error past it. Sent with "Expect: 100-continue" over a raw connection:
    // the server answers before the body, as curl would have it (a plain upload can meet a
    // connection reset when the server refuses early without reading the rest)
    const hugeBody = Buffer.from(JSON.stringify({ email: 'bi3@example.com', name: 'x'.repeat(1024 * 1024),
      password: PW }));
    const huge = await rawRequest(server, `POST ${API}/auth/register HTTP/1.1\r\nHost: localhost\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${hugeBody.length}\r\nExpect: 100-continue\r\n` +
      'Connection: close\r\n\r\n', { body: hugeBody, expectContinue: true, timeoutMs: 20000 });
    assert.equal(huge.status, 413, huge.head);
    assert.match(huge.head, /content-type: application\/json/i);
    const text = huge.body.toString();
    assert.match(text, /"payload_too_large"/, text);
    const long = await reg({ email: 'bi3@example.com', name: 'x'.repeat(5000), password: PW });
    apiError(long, 422, 'validation_failed', 'name');

    // SQL and HTML metacharacters are stored and returned verbatim
    const nasty = `Robert'); DROP TABLE users;-- <script>alert("x")</script> & \\ % _ \u00e9\u4e2d`;
    const u = ok(await reg({ email: 'bobby@example.com', name: nasty, password: PW }), 201);
    assert.equal(u.name, nasty);
    assert.equal(ok(await api(server, 'GET', `${API}/users/${u.id}`, { token: adminToken })).name, nasty);
    const found = ok(await api(server, 'GET', `${API}/users?q=${encodeURIComponent("Robert'); DROP")}`,
      { token: adminToken }));
    assert.deepEqual(found.items.map((x) => x.name), [nasty]);
    // LIKE's wildcards in a search are plain characters
    for (const q of ['%', '_', '\\', '% _']) {
      const hits = ok(await api(server, 'GET', `${API}/users?q=${encodeURIComponent(q)}`, { token: adminToken }));
      assert.deepEqual(hits.items.map((x) => x.name), [nasty], `q=${q}`);
    }
    const t = ok(await api(server, 'POST', `${API}/teams`, { token: adminToken,
      body: { name: nasty, description: '<b>bold</b> \' " ;' } }), 201);
    assert.equal(t.name, nasty);
    assert.equal(t.description, '<b>bold</b> \' " ;');
    const k = ok(await api(server, 'POST', `${API}/api-keys`, { token: adminToken, body: { name: nasty } }), 201);
    assert.equal(k.name, nasty);
    assert.ok(ok(await api(server, 'GET', `${API}/api-keys`, { token: adminToken })).items.some((x) => x.name === nasty));

    // unknown JSON fields are ignored
    const extra = ok(await reg({ email: 'extra@example.com', name: 'Extra', password: PW, favourite_colour: 'teal',
      id: 1, is_admin: true }), 201);
    assert.equal(extra.role, 'customer');
    assert.notEqual(extra.id, 1);
    assert.equal(extra.favourite_colour, undefined);
  });

  test('audit log: admins list and filter it; agents and customers cannot', async () => {
    const auth = await audit(server, adminToken, 'action=auth.');
    assert.ok(auth.length > 0);
    assert.ok(auth.every((e) => e.action.startsWith('auth.')), auth.map((e) => e.action).join());
    for (const a of ['auth.login', 'auth.logout', 'auth.login_failed', 'auth.2fa_enabled', 'auth.recovery_code_used']) {
      assert.ok(auth.some((e) => e.action === a), a);
    }
    const failed = auth.filter((e) => e.action === 'auth.login_failed');
    assert.ok(failed.every((e) => e.actor_id === null && e.ip.startsWith('127.')));
    // entries are newest first with increasing ids, every field present
    const ids = auth.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    for (const k of ['id', 'at', 'actor_id', 'actor_kind', 'action', 'target_type', 'target_id', 'field', 'old', 'new',
      'ip']) assert.ok(k in auth[0], k);
    // an exact action, the actor, the target type, a time window
    const logins = await audit(server, adminToken, 'action=auth.login');
    assert.ok(logins.length > 0 && logins.every((e) => e.action === 'auth.login'));
    const mine = await audit(server, adminToken, `actor_id=${admin.user.id}`);
    assert.ok(mine.length > 0 && mine.every((e) => e.actor_id === admin.user.id));
    const users = await audit(server, adminToken, 'target_type=user&action=user.');
    assert.ok(users.length > 0 && users.every((e) => e.target_type === 'user' && e.action.startsWith('user.')));
    const future = await audit(server, adminToken, 'since=2999-01-01T00:00:00Z');
    assert.equal(future.length, 0);
    const past = await audit(server, adminToken, 'until=2000-01-01T00:00:00Z');
    assert.equal(past.length, 0);
    assert.ok((await audit(server, adminToken, 'since=2000-01-01T00:00:00Z')).length > 0);
    apiError(await api(server, 'GET', `${API}/admin/audit?since=yesterday`, { token: adminToken }), 400, 'bad_request');
    apiError(await api(server, 'GET', `${API}/admin/audit?actor_id=me`, { token: adminToken }), 400, 'bad_request',
      'actor_id');
    apiError(await api(server, 'GET', `${API}/admin/audit?target_id=1x`, { token: adminToken }), 400, 'bad_request',
      'target_id');
    // actions and prefixes compare exactly: case matters, `_` is no wildcard
    const keyEntries = await audit(server, adminToken, 'action=api_key.');
    assert.ok(keyEntries.length > 0 && keyEntries.every((e) => e.action.startsWith('api_key.')));
    assert.equal((await audit(server, adminToken, 'action=api-key.')).length, 0);
    assert.equal((await audit(server, adminToken, 'action=AUTH.LOGIN')).length, 0);
    assert.equal((await audit(server, adminToken, 'action=AUTH.')).length, 0);
    assert.equal((await audit(server, adminToken, 'action=a%25.')).length, 0);
    // cursor paging
    const p1 = ok(await api(server, 'GET', `${API}/admin/audit?limit=3`, { token: adminToken }));
    assert.equal(p1.items.length, 3);
    assert.ok(p1.next_cursor);
    const p2 = ok(await api(server, 'GET', `${API}/admin/audit?limit=3&cursor=${p1.next_cursor}`, { token: adminToken }));
    assert.ok(p2.items[0].id < p1.items[2].id);

    const ag = await login(server, 'ag@example.com', PW);
    apiError(await api(server, 'GET', `${API}/admin/audit`, { cookie: ag.cookie }), 403, 'forbidden');
    const cu = await login(server, 'cust1@example.com', PW);
    apiError(await api(server, 'GET', `${API}/admin/audit`, { cookie: cu.cookie }), 404, 'not_found');
  });

  test('`parley audit verify`: exit 0 when intact, exit 1 naming the first changed or removed entry', async () => {
    // many writers at once (worker threads; connections on PostgreSQL) still make one chain
    await Promise.all(Array.from({ length: 40 }, (_, i) =>
      api(server, 'POST', `${API}/api-keys`, { token: adminToken, body: { name: `burst-${i}` } })
        .then((r) => assert.equal(r.status, 201, r.text))));
    const ok0 = await runCli(server, ['audit', 'verify']);
    assert.equal(ok0.code, 0, ok0.stdout + ok0.stderr);
    assert.match(ok0.stdout, /intact/);

    const target = (await audit(server, adminToken, 'action=user.role_change'))[0];
    assert.ok(target);
    const original = await sql(server, `SELECT new_value FROM audit_log WHERE id = ${target.id}`);
    await sql(server, `UPDATE audit_log SET new_value = 'admin' WHERE id = ${target.id}`);
    const bad = await runCli(server, ['audit', 'verify']);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout + bad.stderr, new RegExp(`entry ${target.id}\\b`));

    // put it back: the chain is whole again
    await sql(server, `UPDATE audit_log SET new_value = '${original}' WHERE id = ${target.id}`);
    const again = await runCli(server, ['audit', 'verify']);
    assert.equal(again.code, 0, again.stdout + again.stderr);

    // removing an entry breaks the link of the one after it in the chain (chain_seq orders the
    // entries PostgreSQL linked after the fact; the others go by id)
    const next = await sql(server, `SELECT id FROM audit_log WHERE hash <> '' AND coalesce(chain_seq, id) >
      (SELECT coalesce(chain_seq, id) FROM audit_log WHERE id = ${target.id}) ORDER BY coalesce(chain_seq, id) LIMIT 1`);
    await sql(server, `DELETE FROM audit_log WHERE id = ${target.id}`);
    const gone = await runCli(server, ['audit', 'verify']);
    assert.equal(gone.code, 1, gone.stdout + gone.stderr);
    assert.match(gone.stdout + gone.stderr, new RegExp(`entry ${next}\\b`));
  });
});

// ---------------------------------------------------------------- brute force, on a server of its own

describe('brute-force guard', () => {
  let server;
  let adminToken;
  before(async () => {
    server = await startServer();
    await addUser(server, { email: ADMIN.email, role: 'admin', password: ADMIN.password });
    const a = await login(server, ADMIN.email, ADMIN.password);
    adminToken = (await newKey(server, { cookie: a.cookie, csrf: a.csrf })).token;
    for (const email of ['victim@example.com', 'bystander@example.com', 'neighbour@example.com']) {
      await addUser(server, { email, role: 'customer', password: PW });
    }
  });
  after(async () => {
    if (server) await server.cleanup();
  });

  test('10 failures for one account (from any addresses) → the 11th attempt is 429 even with the right password',
    async () => {
      const email = 'victim@example.com';
      for (let i = 0; i < 10; i++) {
        apiError(await badLogin(server, email), 401, 'unauthorized');
      }
      const blocked = await fromIp(server, freshIp(), 'POST', `${API}/auth/login`, { email, password: PW });
      apiError(blocked, 429, 'rate_limited');
      const wait = Number(blocked.headers['retry-after']);
      assert.ok(Number.isInteger(wait) && wait > 0 && wait <= 15 * 60 + 1, `Retry-After ${blocked.headers['retry-after']}`);
      // the same address can still sign in to another account
      ok(await api(server, 'POST', `${API}/auth/login`, { body: { email: 'bystander@example.com', password: PW } }));
      const failed = (await audit(server, adminToken, 'action=auth.login_failed')).filter((e) => e.new === email);
      assert.equal(failed.length, 10);
      assert.ok(failed.every((e) => e.actor_kind === 'anonymous' && e.ip.startsWith('127.')));
      assert.equal(new Set(failed.map((e) => e.ip)).size, 10);
    });

  test('10 failures from one address (any accounts) → that address is refused with 429, others are not', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      const r = await fromIp(server, ip, 'POST', `${API}/auth/login`,
        { email: `ghost${i}-${randomBytes(3).toString('hex')}@example.com`, password: 'Wrong-password-123' });
      apiError(r, 401, 'unauthorized');
    }
    const blocked = await fromIp(server, ip, 'POST', `${API}/auth/login`, { email: 'neighbour@example.com', password: PW });
    apiError(blocked, 429, 'rate_limited');
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    ok(await fromIp(server, freshIp(), 'POST', `${API}/auth/login`, { email: 'neighbour@example.com', password: PW }));
  });
});

// ------------------------------------------------- behind a load balancer, on a server of its own

describe('client address behind trusted proxies', () => {
  const PROXY = '127.0.9.1';
  let server;
  let adminToken;
  before(async () => {
    server = await startServer({ args: ['--trusted-proxies', `${PROXY}, 10.0.0.0/8`] });
    await addUser(server, { email: ADMIN.email, role: 'admin', password: ADMIN.password });
    const a = await login(server, ADMIN.email, ADMIN.password);
    adminToken = (await newKey(server, { cookie: a.cookie, csrf: a.csrf })).token;
    await addUser(server, { email: 'behind@example.com', role: 'customer', password: PW });
  });
  after(async () => {
    if (server) await server.cleanup();
  });

  const ghost = () => ({ email: `ghost-${randomBytes(3).toString('hex')}@example.com`, password: 'Wrong-password-123' });

  test('X-Forwarded-For from a trusted proxy names the client: its failures are its own', async () => {
    // the right-most hop (10.1.2.3) is a trusted inner proxy: the client is the one before it
    for (let i = 0; i < 10; i++) {
      apiError(await fromIp(server, PROXY, 'POST', `${API}/auth/login`, ghost(),
        { 'X-Forwarded-For': '192.0.2.99, 203.0.113.7, 10.1.2.3' }), 401, 'unauthorized');
    }
    const good = { email: 'behind@example.com', password: PW };
    apiError(await fromIp(server, PROXY, 'POST', `${API}/auth/login`, good, { 'X-Forwarded-For': '203.0.113.7' }),
      429, 'rate_limited');
    // another client behind the same proxy is not blocked
    ok(await fromIp(server, PROXY, 'POST', `${API}/auth/login`, good, { 'X-Forwarded-For': '198.51.100.4' }));
    const failed = await audit(server, adminToken, 'action=auth.login_failed');
    assert.equal(failed.length, 10);
    assert.ok(failed.every((e) => e.ip === '203.0.113.7'), JSON.stringify(failed.map((e) => e.ip)));
  });

  test('anyone else\'s X-Forwarded-For is ignored: a client cannot choose its address', async () => {
    const direct = '127.0.9.3';
    for (let i = 0; i < 10; i++) {
      apiError(await fromIp(server, direct, 'POST', `${API}/auth/login`, ghost(),
        { 'X-Forwarded-For': `198.18.0.${i + 1}` }), 401, 'unauthorized');
    }
    apiError(await fromIp(server, direct, 'POST', `${API}/auth/login`, { email: 'behind@example.com', password: PW },
      { 'X-Forwarded-For': '198.18.0.200' }), 429, 'rate_limited');
    const ips = (await audit(server, adminToken, 'action=auth.login_failed')).map((e) => e.ip);
    assert.equal(ips.filter((ip) => ip === direct).length, 10);
  });

  test('a bad --trusted-proxies stops the server with a one-line message', async () => {
    const bad = await startServer({ args: ['--trusted-proxies', '10.0.0.0/33'] }).then(
      (s) => s.cleanup().then(() => null), (e) => e);
    assert.ok(bad, 'the server started');
    assert.match(String(bad.message), /trusted-proxies: '10\.0\.0\.0\/33' has a bad prefix length/);
  });
});
