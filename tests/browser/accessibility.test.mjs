// axe-core on the main pages, on a phone and a desktop: no serious or critical
// violations (labels, contrast, names, roles, landmarks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, api, assertAccessible, assertNoConsoleErrors, email, login, PASSWORD, shot, signIn, startEnv, VIEWPORTS } from './lib/browser.mjs';

let env;
const customer = email('a11y-customer');
const agent = email('a11y-agent');
const admin = email('a11y-admin');
let ticketId;

before(async () => {
  env = await startEnv();
  await addUser(env.server, { email: customer, name: 'Robin Customer', role: 'customer', password: PASSWORD });
  await addUser(env.server, { email: agent, name: 'Sam Agent', role: 'agent', password: PASSWORD });
  await addUser(env.server, { email: admin, name: 'Ada Admin', role: 'admin', password: PASSWORD });
  const c = await login(env.server, customer, PASSWORD);
  const r = await api(env.server, 'POST', '/api/v1/tickets', { cookie: c.cookie, csrf: c.csrf, body: { subject: 'Cannot log in', body: 'It says **wrong password**.' } });
  assert.equal(r.status, 201, r.text);
  ticketId = r.json.id;
  const a = await login(env.server, agent, PASSWORD);
  const n = await api(env.server, 'POST', `/api/v1/tickets/${ticketId}/messages`, { cookie: a.cookie, csrf: a.csrf, body: { body: 'Checked the logs.', internal: true } });
  assert.equal(n.status, 201, n.text);
});
after(() => env?.close());

for (const vp of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
  test(`signed-out pages are accessible on a ${vp.name}`, async () => {
    const { page, errors } = await env.page(vp);
    await page.goto('/signin');
    await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    await assertAccessible(page, 'sign in');
    await shot(page, `${vp.name}-signin`);
    await page.goto('/signup');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await assertAccessible(page, 'sign up');
    assertNoConsoleErrors(errors);
  });

  test(`customer pages are accessible on a ${vp.name}`, async () => {
    const { page, errors } = await env.page(vp);
    await signIn(page, customer);
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    await assertAccessible(page, 'my tickets');
    await page.goto('/tickets/new');
    await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await assertAccessible(page, 'new ticket');
    await page.goto(`/tickets/${ticketId}`);
    await page.getByRole('heading', { name: 'Cannot log in' }).waitFor();
    assert.equal(await page.getByText('Checked the logs.').count(), 0, 'no internal note for customers');
    await assertAccessible(page, 'customer ticket');
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await assertAccessible(page, 'account');
    assertNoConsoleErrors(errors);
  });

  test(`agent pages are accessible on a ${vp.name}`, async () => {
    const { page, errors } = await env.page(vp);
    await signIn(page, agent);
    await page.locator(`tr[data-ticket-id="${ticketId}"]`).waitFor();
    await assertAccessible(page, 'agent list');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await assertAccessible(page, 'shortcut help');
    await page.keyboard.press('Escape');
    await page.goto(`/agent/tickets/${ticketId}`);
    await page.locator('.msg.internal').waitFor();
    await page.locator('.audit summary').click();
    await assertAccessible(page, 'agent ticket');
    assertNoConsoleErrors(errors);
  });

  test(`admin pages are accessible on a ${vp.name}`, async () => {
    const { page, errors } = await env.page(vp);
    await signIn(page, admin);
    await page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
    for (const [tab, heading] of [['users', 'Users and roles'], ['teams', 'Teams'], ['fields', 'Custom fields'], ['workflow', 'Statuses and priorities'], ['macros', 'Shared templates'], ['ai', 'AI'], ['settings', 'Settings'], ['api-keys', 'API keys'], ['audit', 'Security log']]) {
      await page.goto(`/admin/${tab}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.locator('.loading').waitFor({ state: 'detached' });
      await assertAccessible(page, `admin ${tab}`);
      if (tab === 'users' || tab === 'settings') await shot(page, `${vp.name}-admin-${tab}`);
    }
    assertNoConsoleErrors(errors);
  });
}
