// Helpers for black-box API tests (node:test + fetch, no npm dependencies).
//
//   const server = await startServer();          // fresh data dir (and database)
//   after(() => server.cleanup());
//   const r = await api(server, 'GET', '/healthz');  // {status, headers, json, text}
//   await runCli(server, ['user', 'add', '--email', e, '--name', n, '--role', 'admin'], 'pw\n');
//
// Environment:
//   PARLEY_BIN          the binary (default build/asan/parley, relative to the repo root)
//   PARLEY_TEST_DB      sqlite (default) | postgres
//   PARLEY_TEST_PG_URL  the throwaway server (scripts/pg-test.sh) when PARLEY_TEST_DB=postgres
//   PARLEY_TEST_VERBOSE=1  echo the servers' stderr as it comes
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const parleyBin = path.resolve(repoRoot, process.env.PARLEY_BIN || 'build/asan/parley');
export const dbKind = process.env.PARLEY_TEST_DB || 'sqlite';

const MAX_CAPTURE = 4 << 20; // keep the last 4 MiB of a server's stderr
const live = new Set(); // child processes to kill if the test process exits early

function killAll() {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* gone */ }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => { killAll(); process.kill(process.pid, sig); });
}

/** A free TCP port on 127.0.0.1 (the kernel's pick; released before return). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a program; resolves {code, signal, stdout, stderr}. Never rejects on exit status. */
export function run(cmd, args, { stdin, env, timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: env || childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => { /* the program may not read its input */ });
    if (stdin !== undefined && stdin !== null) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

/** The environment for parley processes: ours, without PARLEY_* settings that would
 *  silently override what a test passes as flags. */
function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of ['PARLEY_PORT', 'PARLEY_DATA', 'PARLEY_DB']) delete env[k];
  // ASan/UBSan: report everything; a leak at exit makes the exit code non-zero.
  if (!env.ASAN_OPTIONS) env.ASAN_OPTIONS = 'detect_leaks=1:abort_on_error=0';
  if (!env.UBSAN_OPTIONS) env.UBSAN_OPTIONS = 'print_stacktrace=1:halt_on_error=1';
  return { ...env, ...extra };
}

/** Runs `parley ARGS` (no data dir added); resolves {code, signal, stdout, stderr}. */
export function runParley(args, opts = {}) {
  return run(parleyBin, args, { ...opts, env: childEnv(opts.env) });
}

function pgBaseUrl() {
  const url = process.env.PARLEY_TEST_PG_URL;
  if (!url) throw new Error('PARLEY_TEST_DB=postgres needs PARLEY_TEST_PG_URL (see scripts/pg-test.sh)');
  return url;
}

/** The URL of database NAME on the same server as postgres URL BASE. */
function withDatabase(base, name) {
  // postgres://user@host/db?params  or  postgres://user@/db?host=/dir&port=N
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(base);
  if (!m) throw new Error(`cannot parse PostgreSQL URL ${base}`);
  return `${m[1]}/${name}${m[3] || ''}`;
}

async function psql(url, sql) {
  const r = await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtX', '-c', sql]);
  if (r.code !== 0) throw new Error(`psql ${sql}: exit ${r.code}\n${r.stderr}`);
  return r.stdout;
}

/**
 * A fresh store for the current PARLEY_TEST_DB: a temp data folder and, for postgres,
 * a new database with a unique name. Resolves {dataDir, dbUrl, args, cleanup()} where
 * args are the parley flags that point at it (--data DIR [--db URL]).
 */
export async function makeStore({ db = dbKind } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-test-'));
  let dbUrl = null;
  let dbName = null;
  if (db === 'postgres') {
    const base = pgBaseUrl();
    dbName = `parley_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    await psql(base, `CREATE DATABASE ${dbName}`);
    dbUrl = withDatabase(base, dbName);
  } else if (db !== 'sqlite') {
    throw new Error(`PARLEY_TEST_DB must be sqlite or postgres, not ${db}`);
  }
  const args = ['--data', dataDir, ...(dbUrl ? ['--db', dbUrl] : [])];
  return {
    dataDir,
    dbUrl,
    args,
    async cleanup() {
      if (dbName) {
        await psql(pgBaseUrl(), `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
        dbName = null;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts `parley serve` on a free port with a fresh store and waits until /healthz
 * answers. Options: args (extra flags), env (extra variables), timeoutMs (start-up wait,
 * default 20 s), store (reuse one from makeStore()).
 * Resolves {url, port, dataDir, dbUrl, stderr(), stdout(), pid, exited, stop(), kill(),
 * restart(), cleanup()}:
 *   stop()    SIGTERM, wait (default up to 15 s, then SIGKILL and throw); resolves the
 *             exit code (null if it died of a signal; see .exited for {code, signal, ms})
 *   kill()    SIGKILL, wait; resolves the signal name
 *   restart() stop (if running) and start again on the same port, data and database
 *   cleanup() kill if running, remove the data folder, drop the database
 */
export async function startServer(opts = {}) {
  const store = opts.store || (await makeStore());
  const port = opts.port || (await freePort());
  const server = {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir: store.dataDir,
    dbUrl: store.dbUrl,
    store,
    child: null,
    pid: null,
    exited: null,
    _err: '',
    _out: '',
    stderr() { return this._err; },
    stdout() { return this._out; },
  };

  async function spawnServer() {
    const args = ['serve', '--port', String(port), ...store.args, ...(opts.args || [])];
    const child = spawn(parleyBin, args, {
      env: childEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.child = child;
    server.pid = child.pid;
    server.exited = null;
    live.add(child);
    const cap = (s) => (s.length > MAX_CAPTURE ? s.slice(-MAX_CAPTURE) : s);
    child.stderr.on('data', (d) => {
      server._err = cap(server._err + d);
      if (process.env.PARLEY_TEST_VERBOSE) process.stderr.write(d);
    });
    child.stdout.on('data', (d) => { server._out = cap(server._out + d); });
    const t0 = Date.now();
    child.exitPromise = new Promise((resolve) => {
      child.on('error', (e) => {
        server._err += `\n[spawn ${parleyBin}: ${e.message}]`;
        server.exited = { code: null, signal: null, ms: Date.now() - t0, error: e };
        live.delete(child);
        resolve(server.exited);
      });
      child.on('exit', (code, signal) => {
        server.exited = { code, signal, ms: Date.now() - t0 };
        live.delete(child);
        resolve(server.exited);
      });
    });

    const timeoutMs = opts.timeoutMs || 20000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (server.exited) {
        throw new Error(`parley serve exited during start-up (code ${server.exited.code}, ` +
          `signal ${server.exited.signal})\n${parleyBin} ${args.join(' ')}\n--- stderr ---\n${server._err}`);
      }
      try {
        const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        await child.exitPromise;
        throw new Error(`parley serve did not answer GET /healthz within ${timeoutMs} ms\n` +
          `${parleyBin} ${args.join(' ')}\n--- stderr ---\n${server._err}`);
      }
      await sleep(50);
    }
  }

  server.stop = async function stop({ timeoutMs = 15000 } = {}) {
    const child = server.child;
    if (!child) return null;
    if (!server.exited) {
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
      const outcome = await Promise.race([child.exitPromise, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await child.exitPromise;
        throw new Error(`parley serve did not exit within ${timeoutMs} ms of SIGTERM\n` +
          `--- stderr ---\n${server._err}`);
      }
    }
    return server.exited.code;
  };

  server.kill = async function kill() {
    const child = server.child;
    if (!child) return null;
    if (!server.exited) child.kill('SIGKILL');
    await child.exitPromise;
    return server.exited.signal;
  };

  server.restart = async function restart() {
    if (server.child && !server.exited) await server.stop();
    await spawnServer();
    return server;
  };

  server.cleanup = async function cleanup() {
    if (server.child && !server.exited) await server.kill();
    if (!opts.store) await store.cleanup();
  };

  try {
    await spawnServer();
  } catch (e) {
    if (!opts.store) await store.cleanup();
    throw e;
  }
  return server;
}

/**
 * One HTTP request to the server. body: an object/array (sent as JSON), a string or a
 * Buffer (sent as is; set the content type in headers). cookie: a Cookie header value;
 * csrf: an X-CSRF-Token value; token: an API key (Authorization: Bearer).
 * Resolves {status, headers, json (null when the body is not JSON), text, setCookies}.
 */
export async function api(server, method, urlPath, { body, headers = {}, cookie, csrf, token } = {}) {
  const h = { ...headers };
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) {
      payload = body;
    } else {
      payload = JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
        h['Content-Type'] = 'application/json';
      }
    }
  }
  if (cookie) h.Cookie = cookie;
  if (csrf) h['X-CSRF-Token'] = csrf;
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(server.url + urlPath, {
    method,
    headers: h,
    body: payload,
    redirect: 'manual',
    signal: AbortSignal.timeout(30000),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return {
    status: res.status,
    headers: res.headers,
    json,
    text,
    setCookies: res.headers.getSetCookie ? res.headers.getSetCookie() : [],
  };
}

/** The Cookie header value (name=value; ...) made of a response's Set-Cookie headers. */
export function cookieFrom(res) {
  return res.setCookies.map((c) => c.split(';')[0]).join('; ');
}

/**
 * Runs `parley ARGS --data DIR [--db URL]` against the server's store (the server may
 * be running). stdin: a string for standard input (e.g. a password and a newline).
 * Resolves {code, signal, stdout, stderr}.
 */
export function runCli(server, args, stdin, opts = {}) {
  const store = server.store || server;
  return runParley([...args, ...store.args], { ...opts, stdin });
}

/** Creates an account with `parley user add` (password on stdin); throws on failure. */
export async function addUser(server, { email, name = email.split('@')[0], role = 'agent', password }) {
  const r = await runCli(server, ['user', 'add', '--email', email, '--name', name, '--role', role],
    `${password}\n`);
  if (r.code !== 0) throw new Error(`parley user add ${email}: exit ${r.code}\n${r.stderr}`);
  return r;
}

/** Signs in; resolves {cookie, csrf, user, res} (throws unless 200). */
export async function login(server, email, password, otp) {
  const res = await api(server, 'POST', '/api/v1/auth/login', {
    body: otp ? { email, password, otp } : { email, password },
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  return { cookie: cookieFrom(res), csrf: res.json.csrf_token, user: res.json.user, res };
}

/**
 * A raw HTTP/1.1 exchange over one TCP connection, for what fetch would normalise or
 * refuse (dot segments, bad framing, early responses). request: the bytes to send
 * (string or Buffer; body chunks may follow in `body`). Resolves {status, head, body
 * (Buffer), raw}, once the server closes or `timeoutMs` passes. Errors while sending
 * (the server answering early and closing) are ignored if a response arrived.
 */
export function rawRequest(server, request, { body, timeoutMs = 10000, expectContinue = false } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    const chunks = [];
    let settled = false;
    const finish = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(chunks);
      if (raw.length === 0 && err) return reject(err);
      const sep = raw.indexOf('\r\n\r\n');
      const head = (sep >= 0 ? raw.subarray(0, sep) : raw).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : null, head, body: sep >= 0 ? raw.subarray(sep + 4) : Buffer.alloc(0), raw });
    };
    const timer = setTimeout(() => finish(new Error('rawRequest: timeout with no response')), timeoutMs);
    // With expectContinue, the request head carries "Expect: 100-continue" and the body
    // goes only after an interim "100 Continue" (which is dropped from the result).
    let continued = null;
    const gotContinue = new Promise((r) => { continued = r; });
    sock.on('data', (d) => {
      chunks.push(d);
      if (expectContinue) {
        const all = Buffer.concat(chunks);
        const m = /^HTTP\/1\.[01] 100[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/.exec(all.toString('latin1'));
        if (m) {
          chunks.length = 0;
          if (all.length > m[0].length) chunks.push(all.subarray(m[0].length));
          continued(true);
        } else if (/^HTTP\/1\.[01] [2-5]/.test(all.toString('latin1'))) {
          continued(false);
        }
      }
    });
    sock.on('end', () => finish());
    sock.on('close', () => finish(new Error('rawRequest: connection closed with no response')));
    sock.on('error', (e) => finish(e));
    sock.on('connect', async () => {
      try {
        sock.write(request);
        if (body && expectContinue && !(await gotContinue)) return;
        if (body) {
          // Write in 64 KiB pieces, stopping once the server has answered.
          for (let off = 0; off < body.length && chunks.length === 0 && !sock.destroyed; off += 65536) {
            if (!sock.write(body.subarray(off, off + 65536))) {
              await new Promise((r) => { sock.once('drain', r); sock.once('close', r); });
            }
          }
        }
      } catch { /* the server closed early: what it said is in chunks */ }
    });
  });
}

export { sleep, existsSync };
