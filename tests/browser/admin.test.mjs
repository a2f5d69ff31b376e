// Sign-in with two-factor authentication, and the admin console: a custom field that
// then appears on the customer's new-ticket form, settings, API errors beside fields,
// bulk actions and keyboard control in the agent workspace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, api, assertNoConsoleErrors, email, login, PASSWORD, shot, signIn, startEnv, totp, VIEWPORTS } from './lib/browser.mjs';

let env;
before(async () => { env = await startEnv(); });
after(() => env?.close());

test('sign-in asks for the authenticator code when 2FA is on', async () => {
  const who = email('twofa');
  await addUser(env.server, { email: who, name: 'Tess Twofa', role: 'agent', password: PASSWORD });
  const s = await login(env.server, who, PASSWORD);
  const begin = await api(env.server, 'POST', '/api/v1/me/2fa', { cookie: s.cookie, csrf: s.csrf });
  assert.equal(begin.status, 200, begin.text);
  const secret = begin.json.secret;
  const on = await api(env.server, 'POST', '/api/v1/me/2fa/enable', { cookie: s.cookie, csrf: s.csrf, body: { otp: totp(secret) } });
  assert.equal(on.status, 200, on.text);

  const { page, errors } = await env.page(VIEWPORTS.phone);
  await signIn(page, who);
  const code = page.getByLabel('Authentication code');
  await code.waitFor();
  await code.fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  const err = page.locator('.field.has-error', { has: code }).locator('.field-error');
  await err.waitFor();
  assert.match(await err.innerText(), /wrong|expired/i);
  await shot(page, 'phone-2fa-prompt');
  // a code not used before (the server refuses a code twice): the next time step's
  await code.fill(totp(secret, Date.now() + 30000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
  assertNoConsoleErrors(errors, /auth\/login/); // the two 401s are the protocol
});

test('an admin adds a custom field; the customer form shows it and its error', async () => {
  const admin = email('admin');
  const customer = email('cust');
  await addUser(env.server, { email: admin, name: 'Ada Admin', role: 'admin', password: PASSWORD });
  await addUser(env.server, { email: customer, name: 'Cid Customer', role: 'customer', password: PASSWORD });
  const { page, errors } = await env.page(VIEWPORTS.desktop);
  await signIn(page, admin);
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('link', { name: 'Custom fields' }).click();
  // a bad key: the API's error shows next to the Key field
  await page.getByLabel('Label', { exact: true }).fill('Order number');
  await page.getByLabel('Key', { exact: true }).fill('Order Number!');
  await page.getByRole('button', { name: 'Add field' }).click();
  const keyErr = page.locator('.field.has-error', { has: page.getByLabel('Key', { exact: true }) }).locator('.field-error');
  await keyErr.waitFor();
  assert.match(await keyErr.innerText(), /key/);
  await page.getByLabel('Key', { exact: true }).fill('order_number');
  await page.getByLabel('Type').selectOption('text');
  await page.locator('label.inline', { hasText: 'Required' }).locator('input').check();
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.locator('table.data td', { hasText: 'order_number' }).waitFor();

  await page.getByRole('link', { name: 'Settings' }).click();
  const limit = page.getByLabel('Ticket create per minute');
  await limit.fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const limitErr = page.locator('.field.has-error', { has: limit }).locator('.field-error');
  await limitErr.waitFor();
  await limit.fill('30');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved').waitFor();
  assertNoConsoleErrors(errors, /admin\/(fields|settings)/); // the two 422s were on purpose

  const c = await env.page(VIEWPORTS.phone);
  await signIn(c.page, customer);
  await c.page.getByRole('heading', { name: 'My tickets' }).waitFor();
  await c.page.goto('/tickets/new');
  await c.page.getByLabel('Subject').fill('Where is my parcel?');
  await c.page.getByLabel('Describe the problem').fill('It has been two weeks.');
  await c.page.getByRole('button', { name: 'Create ticket' }).click();
  const fieldErr = c.page.locator('.field.has-error', { has: c.page.getByLabel('Order number (required)') }).locator('.field-error');
  await fieldErr.waitFor();
  await shot(c.page, 'phone-custom-field-error');
  await c.page.getByLabel('Order number (required)').fill('A-1001');
  await c.page.getByRole('button', { name: 'Create ticket' }).click();
  await c.page.getByRole('heading', { name: 'Where is my parcel?' }).waitFor();
  assertNoConsoleErrors(c.errors, /api\/v1\/tickets$/);
});

test('agents select tickets with the keyboard and change them in bulk', async () => {
  const agent = email('bulk-agent');
  const customer = email('bulk-cust');
  await addUser(env.server, { email: agent, name: 'Bo Bulk', role: 'agent', password: PASSWORD });
  await addUser(env.server, { email: customer, name: 'Cy', role: 'customer', password: PASSWORD });
  const c = await login(env.server, customer, PASSWORD);
  const ids = [];
  for (const subject of ['Bulk one', 'Bulk two', 'Bulk three']) {
    const r = await api(env.server, 'POST', '/api/v1/tickets', { cookie: c.cookie, csrf: c.csrf, body: { subject, body: 'x', custom_fields: { order_number: 'B-1' } } });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  const { page, errors } = await env.page(VIEWPORTS.desktop);
  await signIn(page, agent);
  await page.getByLabel('Search').fill('Bulk');
  await page.locator('tbody tr').nth(2).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 3);
  await page.locator('h1').click(); // focus out of the search box
  await page.keyboard.press('x'); // select the first
  await page.keyboard.press('j');
  await page.keyboard.press('x'); // and the second
  await page.getByRole('region', { name: 'Bulk actions' }).getByText('2 selected').waitFor();
  await page.getByLabel('Set priority of selected').selectOption('high');
  await page.getByText('Priority: 2 updated').waitFor();
  await page.locator('tbody tr .prio-high').nth(1).waitFor();
  assert.equal(await page.locator('tbody tr .prio-high').count(), 2);
  await shot(page, 'desktop-bulk');
  // views count live: "Unassigned" counts the three open tickets
  const unassigned = page.getByRole('link', { name: /Unassigned/ });
  assert.match(await unassigned.innerText(), /\d+/);
  await page.keyboard.press('Enter'); // opens the highlighted (second) ticket
  await page.locator('.ticket-main h1').waitFor();
  assert.match(page.url(), /\/agent\/tickets\/\d+$/);
  assertNoConsoleErrors(errors);
});
