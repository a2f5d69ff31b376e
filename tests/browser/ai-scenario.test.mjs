// Scenario A with the AI, on a phone and on a desktop. The customer opens a ticket and gets
// the AI's first response (grounded in a published article). The agent reviews the AI triage
// (category with its confidence and why), inserts a suggested reply, edits it and sends it
// (the feedback recorded as "edited", checked through the API; the panel then no longer offers
// that suggestion, even after a reload), applies a template (macro)
// that fills an internal note and tags the ticket, adds the note and changes the status. The
// customer sees the edited reply live and never the note. axe on every new page.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, api, assertAccessible, assertFits, assertNoConsoleErrors, email, login, PASSWORD, shot, signIn, startEnv, VIEWPORTS } from './lib/browser.mjs';
import { setUpAi } from './lib/ai.mjs';

let env;
let admin; // {cookie, csrf}
const call = (method, p, body) => api(env.server, method, `/api/v1/${p}`, { body, cookie: admin.cookie, csrf: admin.csrf });

before(async () => {
  env = await startEnv();
  const adminEmail = email('admin');
  await addUser(env.server, { email: adminEmail, name: 'Ada Admin', role: 'admin', password: PASSWORD });
  admin = await login(env.server, adminEmail, PASSWORD);
  await setUpAi(env.server, admin);
  const fr = await call('PUT', 'admin/ai', { first_response: { enabled: true, min_confidence: 0.2, response_hours: 8 } });
  assert.equal(fr.status, 200, fr.text);
});
after(async () => {
  await env?.close();
});

for (const vp of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
  describe(`scenario A on a ${vp.name}`, () => {
    const customerEmail = email(`cust-${vp.name}`);
    const agentEmail = email(`agent-${vp.name}`);
    const subject = `I forgot my password (${vp.name})`;
    const note = `Checked the account of Dana ${vp.name}: no lock-out.`;
    const edit = `P.S. Write back if the email does not arrive (${vp.name}).`;
    let cust;
    let agent;
    let ticketId;
    let sentReply;

    test('the customer opens a ticket and receives the AI first response', async () => {
      await addUser(env.server, { email: customerEmail, name: `Dana ${vp.name}`, role: 'customer', password: PASSWORD });
      await addUser(env.server, { email: agentEmail, name: `Avery ${vp.name}`, role: 'agent', password: PASSWORD });
      cust = await env.page(vp);
      const { page } = cust;
      await signIn(page, customerEmail);
      await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
      await page.goto('/tickets/new');
      await page.getByLabel('Subject').fill(subject);
      await page.getByLabel('Describe the problem').fill('Hello, I cannot sign in because I forgot my password. How can I reset it?');
      await page.getByRole('button', { name: 'Create ticket' }).click();
      await page.getByRole('heading', { name: subject }).waitFor();
      ticketId = Number(new URL(page.url()).pathname.split('/').pop());
      const answer = page.locator('.msg', { hasText: 'Parley assistant' });
      await answer.waitFor();
      assert.match(await answer.innerText(), /Reset your password/);
      assert.match(await answer.innerText(), /Forgot password/);
      await shot(page, `${vp.name}-ai-customer-first-response`);
      await assertFits(page, `${vp.name} customer ticket`);
      await assertAccessible(page, `${vp.name} customer ticket with the AI first response`);
    });

    test('the agent reviews the triage, edits a suggested reply, applies a template to a note, changes the status', async () => {
      agent = await env.page(vp);
      const { page } = agent;
      await signIn(page, agentEmail);
      await page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
      // a personal template with placeholders and an action
      await page.goto('/agent/macros');
      await page.getByRole('heading', { name: 'My templates' }).waitFor();
      await page.getByLabel('Name').fill('Account checked');
      await page.getByLabel('Text (Markdown)').fill('Checked the account of {{requester.nickname}}');
      await page.getByRole('button', { name: 'Add template' }).click();
      // the API's error shows under the field it names
      const bodyErr = page.locator('.field.has-error', { has: page.getByLabel('Text (Markdown)') }).locator('.field-error');
      await bodyErr.waitFor();
      assert.match(await bodyErr.innerText(), /requester\.nickname/);
      await page.getByLabel('Text (Markdown)').fill('Checked the account of {{requester.name}}: no lock-out.');
      await page.getByLabel('Add tags').fill('password-help');
      await page.getByRole('button', { name: 'Add template' }).click();
      await page.locator('td', { hasText: 'Account checked' }).waitFor();
      await page.locator('td', { hasText: 'adds password-help' }).waitFor();
      await shot(page, `${vp.name}-ai-agent-templates`);
      await assertAccessible(page, `${vp.name} my templates`);

      await page.goto(`/agent/tickets/${ticketId}`);
      await page.getByRole('heading', { name: subject }).waitFor();
      // the AI triage: the category with its confidence and the words behind it
      const category = page.locator('.triage-row', { hasText: 'Category' });
      await category.waitFor();
      assert.match(await category.innerText(), /Login/);
      assert.match(await category.innerText(), /\d+%/);
      assert.match(await category.innerText(), /why: .*“(password|forgot|reset|sign)/);
      assert.ok(Number(await category.locator('meter').getAttribute('value')) > 0);

      // a suggested reply, inserted, edited, sent
      const suggestion = page.locator('.suggestion').first();
      await suggestion.waitFor();
      const before = (await call('GET', 'ai/metrics')).json.totals.suggestions.edited;
      const offered = await page.locator('.suggestion').count();
      const picked = await suggestion.locator('.muted.small', { hasText: 'From:' }).innerText();
      await suggestion.getByRole('button', { name: 'Insert and edit' }).click();
      const box = page.locator('#composer-body');
      const inserted = await box.inputValue();
      assert.match(inserted, /Forgot password/);
      await box.press('Control+End');
      await box.pressSequentially(`\n\n${edit}`);
      sentReply = await box.inputValue();
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.locator('.msg.from-staff', { hasText: edit }).waitFor();
      let after;
      for (let i = 0; i < 50 && after === undefined; i++) {
        const m = (await call('GET', 'ai/metrics')).json.totals.suggestions;
        if (m.edited === before + 1) after = m.edited;
        else await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(after, before + 1, 'the suggestion was recorded as edited');
      // the suggestion just sent is not offered again (the panel reloads with the ticket), nor after a reload
      for (const reload of [false, true]) {
        if (reload) {
          await page.reload();
          await page.getByRole('heading', { name: subject }).waitFor();
        }
        await page.locator('.ai-panel .already-sent', { hasText: 'One suggestion you already sent' }).waitFor();
        assert.equal(await page.locator('.suggestion', { hasText: picked }).count(), 0, `"${picked}" is offered again`);
        assert.equal(await page.locator('.suggestion').count(), offered - 1);
      }

      // a template fills an internal note and tags the ticket
      await page.keyboard.press('n');
      await page.getByRole('tab', { name: 'Internal note', selected: true }).waitFor();
      await page.getByRole('button', { name: 'Template' }).click();
      await page.getByLabel('Filter templates').fill('account');
      await page.getByLabel('Filter templates').press('Tab');
      await page.keyboard.press('Enter'); // keyboard: the first template's button
      await page.waitForFunction(() => document.querySelector('#composer-body')?.value.includes('Checked the account'));
      assert.equal(await box.inputValue(), note, 'the placeholder is filled in');
      assert.match(await page.getByLabel('Tags').inputValue(), /password-help/);
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.locator('.msg.internal', { hasText: note }).waitFor();
      // the template's change and the note are the agent's own doing: never "someone else"
      for (let i = 0; i < 20; i++) {
        assert.equal(await page.getByText('changed by someone else').count(), 0, 'own changes are not someone else\'s');
        await new Promise((r) => setTimeout(r, 100));
      }

      await page.getByLabel('Status', { exact: true }).selectOption('pending');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('.badges .badge', { hasText: 'Pending' }).waitFor();
      await page.getByRole('button', { name: 'Template' }).click();
      await page.getByLabel('Filter templates').waitFor();
      await shot(page, `${vp.name}-ai-agent-ticket`);
      await assertFits(page, `${vp.name} agent ticket`);
      await assertAccessible(page, `${vp.name} agent ticket with triage, suggestions and the template picker`);
      await page.getByLabel('Filter templates').press('Escape');
      await page.locator('.audit summary').click();
      await page.locator('.audit-list li', { hasText: 'Applied the template “Account checked”' }).waitFor();
      // a change by someone else is still told apart
      const changed = await call('PATCH', `tickets/${ticketId}`, { priority: 'high' });
      assert.equal(changed.status, 200, changed.text);
      await page.getByText('changed by someone else').waitFor();
      const events = (await call('GET', `tickets/${ticketId}/events`)).json.items;
      assert.ok(events.some((e) => e.action === 'ticket.macro' && e.new === 'Account checked'), 'the template is in the audit trail');
      assertNoConsoleErrors(agent.errors, /\/api\/v1\/macros\b/); // the 422 provoked above
    });

    test('the customer sees the edited reply live, never the note', async () => {
      const { page } = cust;
      await page.locator('.msg', { hasText: edit }).waitFor({ timeout: 10000 });
      const shown = await page.locator('.msg', { hasText: edit }).innerText();
      assert.ok(shown.includes('Forgot password'), 'the reply is the suggestion as edited');
      assert.ok(sentReply.includes(edit));
      await page.reload();
      await page.locator('.msg', { hasText: edit }).waitFor();
      assert.equal(await page.getByText(note).count(), 0, 'the internal note must not reach the customer');
      assert.ok(!(await page.content()).includes('no lock-out'), 'the note is nowhere in the customer page');
      await shot(page, `${vp.name}-ai-customer-reply`);
      assertNoConsoleErrors(cust.errors);
    });
  });
}

test('the admin manages shared templates and the AI settings', async () => {
  for (const vp of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
    const { page, errors } = await env.page(vp);
    const adminEmail = email(`admin-${vp.name}`);
    await addUser(env.server, { email: adminEmail, name: `Root ${vp.name}`, role: 'admin', password: PASSWORD });
    await signIn(page, adminEmail);
    await page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
    await page.goto('/admin/macros');
    await page.getByRole('heading', { name: 'Shared templates' }).waitFor();
    await page.getByLabel('Name').fill(`Closing (${vp.name})`);
    await page.getByLabel('Text (Markdown)').fill('Thanks {{requester.first_name}}, closing ticket #{{ticket.number}}.');
    await page.getByLabel('Set status').selectOption('solved');
    // two submits in one go (before the page could even re-render): one template
    await page.locator('form[aria-label="New template"]').evaluate((f) => { f.requestSubmit(); f.requestSubmit(); });
    await page.locator('tr', { hasText: `Closing (${vp.name})` }).locator('td', { hasText: 'status → Solved' }).waitFor();
    assert.equal(await page.getByLabel('Name').inputValue(), '', 'a new, empty form after adding');
    const shared = (await call('GET', 'macros')).json.items.filter((m) => m.name === `Closing (${vp.name})`);
    assert.equal(shared.length, 1, 'a double submit makes one template');
    assert.equal(shared[0].shared, true);
    assert.equal(shared[0].actions.status, 'solved');
    await shot(page, `${vp.name}-admin-shared-templates`);
    await assertAccessible(page, `${vp.name} admin shared templates`);

    await page.goto('/admin/ai');
    await page.getByRole('heading', { name: 'Language model provider' }).waitFor();
    // the first-response group is drawn from what the server returns
    const minConf = page.getByLabel('Min confidence');
    assert.equal(await minConf.inputValue(), '0.2');
    await minConf.fill('7');
    await page.getByRole('button', { name: 'Save first response' }).click();
    // the API names the member (first_response.min_confidence): the error shows beside that field
    const frErr = page.locator('.field.has-error', { has: minConf }).locator('.field-error');
    await frErr.waitFor();
    assert.match(await frErr.innerText(), /min_confidence/);
    assert.equal(await page.locator('form[aria-label="First response"] .form-error').count(), 0);
    await minConf.fill('0.2');
    assert.equal(await frErr.count(), 0, 'the error goes once the value is changed');
    // the provider: the API key is write-only, shown as set / not set
    await page.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
    await page.getByLabel('Model', { exact: true }).fill('tiny');
    await page.getByLabel('API key').fill('sk-secret-value');
    await page.getByRole('button', { name: 'Save provider' }).click();
    await page.getByText('A key is set.').waitFor();
    assert.equal(await page.getByLabel('API key').inputValue(), '');
    assert.ok(!(await page.content()).includes('sk-secret-value'), 'the key is never shown again');
    const cfg = (await call('GET', 'admin/ai')).json;
    assert.equal(cfg.llm.has_api_key, true);
    assert.equal(cfg.llm.model, 'tiny');
    const routing = !(await call('GET', 'admin/settings')).json.ai.auto_routing;
    await page.getByLabel('Auto routing').setChecked(routing);
    await page.getByRole('button', { name: 'Save automation' }).click();
    await page.getByRole('button', { name: 'Save automation' }).and(page.locator(':disabled')).waitFor();
    assert.equal((await call('GET', 'admin/settings')).json.ai.auto_routing, routing);
    await shot(page, `${vp.name}-admin-ai-settings`);
    await assertFits(page, `${vp.name} admin AI settings`);
    await assertAccessible(page, `${vp.name} admin AI settings`);
    await page.getByRole('button', { name: 'Use offline replies only' }).click();
    await page.getByText('No key is set.').waitFor();
    ok422(errors);
  }
});

/** Only the 422 provoked on purpose may be in the console. */
function ok422(errors) {
  assertNoConsoleErrors(errors, /\/api\/v1\/admin\/ai\b/);
}
