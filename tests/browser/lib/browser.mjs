// Helpers for the browser tests: Debian's Chromium driven by playwright-core (from
// web/node_modules), a parley serving web/dist, and checks that every test shares.
//
//   const env = await startEnv();             // parley on a free port + a browser
//   const { page, errors } = await env.page(VIEWPORTS.phone);
//   ...; await shot(page, 'name');            // build/screenshots/name.png
//   assertNoConsoleErrors(errors);
//   await env.close();
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { addUser, api, login, repoRoot, startServer } from '../../api/lib/server.mjs';

export { addUser, api, login, repoRoot };

const require = createRequire(path.join(repoRoot, 'web', 'package.json'));
export const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
export const WEB_DIST = path.join(repoRoot, 'web', 'dist');
export const SHOTS = path.join(repoRoot, 'build', 'screenshots');
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

export const VIEWPORTS = {
  phone: { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  desktop: { name: 'desktop', viewport: { width: 1440, height: 900 } },
};

// Chromium on these machines: no sandbox as root, and no background traffic (the
// network is closed; its connection attempts would only fail, many at a time).
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--disable-extensions', '--mute-audio'];

let seq = 0;
/** A unique email address for a test user. */
export function email(who) {
  return `${who}-${process.pid}-${++seq}-${randomBytes(2).toString('hex')}@example.com`;
}
export const PASSWORD = 'Tr0ub4dor&3-horse-battery';

/** Starts parley (web/dist at /) and Chromium. */
export async function startEnv() {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: build the web UI first (make web)`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: scripts/install-deps.sh installs Debian's chromium`);
  }
  const { chromium } = require('playwright-core');
  const server = await startServer({ args: ['--web', WEB_DIST] });
  // playwright gives each launch a fresh, empty profile folder of its own (and refuses
  // a --user-data-dir argument), so no state leaks between runs
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });
  } catch (e) {
    await server.cleanup();
    throw e;
  }
  mkdirSync(SHOTS, { recursive: true });
  const contexts = [];
  return {
    server,
    browser,
    url: (p) => server.url + p,
    /** A fresh browser context (its own cookies) and page; errors collects console errors. */
    async page(vp = VIEWPORTS.desktop) {
      const { name, ...opts } = vp;
      const context = await browser.newContext({ ...opts, baseURL: server.url, reducedMotion: 'reduce' });
      context.setDefaultTimeout(15000);
      contexts.push(context);
      const page = await context.newPage();
      const errors = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push({ text: m.text(), url: m.location()?.url || '' });
      });
      page.on('pageerror', (e) => errors.push({ text: `uncaught: ${e.message}`, url: '' }));
      return { context, page, errors, vp: name };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.cleanup();
    },
  };
}

// Routes of features that other parts of the server add later: the UI asks for them
// and hides their panels on 404; Chromium logs those 404s as console errors.
const OPTIONAL = /\/api\/v1\/(kb\/|ai\/|tickets\/\d+\/suggestions)/;

/** Fails on console errors, except the feature probes' 404s and those `allow` matches. */
export function assertNoConsoleErrors(errors, allow = null) {
  const real = errors.filter((e) => {
    if (/Failed to load resource/.test(e.text) && OPTIONAL.test(e.url)) return false;
    if (allow && allow.test(`${e.text} ${e.url}`)) return false;
    return true;
  });
  assert.deepEqual(real, [], `console errors:\n${real.map((e) => `${e.text} ${e.url}`).join('\n')}`);
}

export async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Signs in through the form. */
export async function signIn(page, who, password = PASSWORD) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(who);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

let axeText = null;
function axeSource() {
  axeText ||= readFileSync(AXE_PATH, 'utf8');
  return axeText;
}

/** Runs axe-core on the page; fails on serious or critical violations. */
export async function assertAccessible(page, label) {
  // addScriptTag would add an inline <script>, which parley's CSP (rightly) blocks; the
  // DevTools protocol's evaluation is not subject to the page's CSP, so axe goes in that way
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource());
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${label}: accessibility violations:\n${JSON.stringify(bad, null, 2)}`);
  return result;
}

/** The current RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret. */
export function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1e6).padStart(6, '0');
}

/** Fails when the page is wider than the viewport or a top-bar link is cut off, scrolled out of
 *  its bar or outside the viewport. */
export async function assertFits(page, label) {
  const r = await page.evaluate(() => ({
    width: window.innerWidth,
    scroll: document.documentElement.scrollWidth,
    links: [...document.querySelectorAll('.topbar a, .topbar button')].map((el) => {
      const b = el.getBoundingClientRect();
      const box = (el.closest('nav') || el.closest('.topbar')).getBoundingClientRect(); // a scrolling nav clips
      return { text: el.textContent.trim(), left: Math.max(b.left, 0) < box.left ? -1 : b.left,
        right: b.right > box.right + 0.5 ? Infinity : b.right, cut: el.scrollWidth > el.clientWidth + 1 };
    }),
  }));
  assert.ok(r.scroll <= r.width, `${label}: the page is ${r.scroll} px wide in a ${r.width} px viewport`);
  for (const l of r.links) {
    assert.ok(l.left >= 0 && l.right <= r.width, `${label}: "${l.text}" is outside the viewport (${l.left}..${l.right})`);
    assert.ok(!l.cut, `${label}: "${l.text}" is cut off`);
  }
}
