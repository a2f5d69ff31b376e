// Automated resolution in the customer portal, on a phone and on a desktop: a new ticket in a
// category the admin made auto-resolvable gets the knowledge base's answer at once and waits
// (pending) with "Did this answer solve your problem?" under it. Yes solves the ticket (and
// the rating form appears); no sends it to a person (open). axe on the page with the question.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, api, assertAccessible, email, login, PASSWORD, shot, signIn, startEnv, VIEWPORTS } from './lib/browser.mjs';
import { setUpAi } from './lib/ai.mjs';

let env;

before(async () => {
  env = await startEnv();
  const adminEmail = email('admin');
  await addUser(env.server, { email: adminEmail, name: 'Ada Admin', role: 'admin', password: PASSWORD });
  const admin = await login(env.server, adminEmail, PASSWORD);
  const call = (method, p, body) => api(env.server, method, `/api/v1/${p}`, { body, cookie: admin.cookie, csrf: admin.csrf });
  await setUpAi(env.server, admin);
  const ar = await call('PUT', 'admin/ai', { auto_resolve: { enabled: true, categories: ['login'], min_confidence: 0.2, timeout_seconds: 86400 } });
  assert.equal(ar.status, 200, ar.text);
});
after(async () => {
  await env?.close();
});

/** Signs a new customer in on vp, opens a password ticket and waits for the AI's answer and the question. */
async function openTicket(vp) {
  const who = email(`cust-auto-${vp.name}`);
  await addUser(env.server, { email: who, name: `Dana ${vp.name}`, role: 'customer', password: PASSWORD });
  const { page } = await env.page(vp);
  await signIn(page, who);
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  await page.goto('/tickets/new');
  const subject = `I forgot my password (${vp.name})`;
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Describe the problem').fill('Hello, I cannot sign in because I forgot my password. How can I reset it?');
  await page.getByRole('button', { name: 'Create ticket' }).click();
  await page.getByRole('heading', { name: subject }).waitFor();
  await page.locator('.msg', { hasText: 'Forgot password' }).waitFor();
  await page.getByText('Did this answer solve your problem?').waitFor();
  return page;
}

test('phone: the customer says the automated answer solved it → solved, then the rating', async () => {
  const page = await openTicket(VIEWPORTS.phone);
  await shot(page, 'phone-auto-answer-question');
  await assertAccessible(page, 'phone ticket with the automated answer');
  await page.getByRole('button', { name: "Yes, it's solved" }).click();
  await page.getByText('How did we do?').waitFor();
  assert.equal(await page.getByText('Did this answer solve your problem?').count(), 0);
  assert.match(await page.locator('.page-head').innerText(), /solved/i);
});

test('desktop: the customer says it did not help → open for a person', async () => {
  const page = await openTicket(VIEWPORTS.desktop);
  await page.getByRole('button', { name: 'No, I still need help' }).click();
  await page.getByText('Did this answer solve your problem?').waitFor({ state: 'detached' });
  await page.locator('.page-head', { hasText: /open/i }).waitFor();
  await shot(page, 'desktop-auto-answer-not-helped');
});
