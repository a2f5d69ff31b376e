// The main journeys on a phone and on a desktop: a customer signs up and opens a
// ticket; an agent sees it arrive live, adds an internal note, replies and solves it;
// the customer sees the reply (never the note) and rates the ticket.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, assertNoConsoleErrors, email, PASSWORD, shot, signIn, startEnv, VIEWPORTS } from './lib/browser.mjs';

let env;
before(async () => { env = await startEnv(); });
after(() => env?.close());

for (const vp of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
  describe(`on a ${vp.name}`, () => {
    const customerEmail = email(`customer-${vp.name}`);
    const agentEmail = email(`agent-${vp.name}`);
    const subject = `My invoice is wrong (${vp.name})`;
    const note = `Internal only: refund approved by finance (${vp.name})`;
    const reply = `Sorry about that! We have corrected invoice 1001 (${vp.name}).`;
    let cust; // {page, errors}
    let agent;
    let ticketId;

    test('a customer signs up, opens a ticket and sees it in "my tickets"', async () => {
      await addUser(env.server, { email: agentEmail, name: `Avery Agent ${vp.name}`, role: 'agent', password: PASSWORD });
      cust = await env.page(vp);
      const { page } = cust;
      await page.goto('/');
      await page.getByRole('link', { name: 'Create an account' }).first().click();
      await page.getByLabel('Your name').fill(`Casey ${vp.name}`);
      await page.getByLabel('Email').fill(customerEmail);
      // an error from the API appears next to the field it names
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      const pwError = page.locator('.field.has-error', { has: page.getByLabel('Password') }).locator('.field-error');
      await pwError.waitFor();
      assert.match(await pwError.innerText(), /password/i);
      await shot(page, `${vp.name}-signup-error`);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'My tickets' }).waitFor();
      await page.getByText('You have no tickets yet').waitFor();

      // the agent's list is open before the ticket exists
      agent = await env.page(vp);
      await signIn(agent.page, agentEmail);
      await agent.page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
      await agent.page.locator('.live.on').waitFor();

      await page.getByRole('link', { name: 'New ticket' }).first().click();
      await page.getByLabel('Subject').fill(subject);
      await page.getByLabel('Describe the problem').fill('Invoice **1001** charges me twice.\n\n- once in May\n- again in June');
      await page.locator('input[type=file]').setInputFiles({ name: 'invoice.txt', mimeType: 'text/plain', buffer: Buffer.from('INVOICE 1001\n') });
      await page.getByText('invoice.txt').waitFor();
      await shot(page, `${vp.name}-customer-new-ticket`);
      await page.getByRole('button', { name: 'Create ticket' }).click();
      await page.getByRole('heading', { name: subject }).waitFor();
      ticketId = Number(new URL(page.url()).pathname.split('/').pop());
      assert.ok(ticketId > 0, `ticket page URL ${page.url()}`);
      await page.locator('.msg strong', { hasText: '1001' }).waitFor(); // the Markdown rendered by the server
      await page.getByRole('link', { name: 'invoice.txt' }).waitFor();
      await page.getByRole('link', { name: 'My tickets' }).first().click();
      const card = page.locator('.ticket-card', { hasText: subject });
      await card.waitFor();
      assert.match(await card.innerText(), /New/);
      await shot(page, `${vp.name}-customer-my-tickets`);
    });

    test('the agent sees the ticket arrive live, adds a note, replies and solves it', async () => {
      const { page } = agent;
      // no reload: the row comes from the event stream
      const row = page.locator(`tr[data-ticket-id="${ticketId}"]`);
      await row.waitFor({ timeout: 10000 });
      await shot(page, `${vp.name}-agent-list`);
      await row.getByRole('link').click();
      await page.getByRole('heading', { name: subject }).waitFor();
      await page.locator('.msg', { hasText: 'charges me twice' }).waitFor();

      await page.keyboard.press('n'); // internal note
      await page.getByRole('tab', { name: 'Internal note', selected: true }).waitFor();
      await page.locator('#composer-body').fill(note);
      await page.getByRole('button', { name: 'Add note' }).click();
      const noteMsg = page.locator('.msg.internal', { hasText: note });
      await noteMsg.waitFor();
      assert.match(await noteMsg.innerText(), /Internal note/);
      const bg = await noteMsg.evaluate((el) => getComputedStyle(el).backgroundColor);
      const replyBg = await page.locator('.msg', { hasText: 'charges me twice' }).evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.notEqual(bg, replyBg, 'an internal note looks different from a message');

      await page.keyboard.press('r'); // reply
      await page.getByRole('tab', { name: 'Reply to customer', selected: true }).waitFor();
      await page.locator('#composer-body').fill(reply);
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.locator('.msg.from-staff', { hasText: reply }).waitFor();

      await page.getByLabel('Status', { exact: true }).selectOption('solved');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('.badges .badge', { hasText: 'Solved' }).waitFor();
      await page.locator('.audit summary').click();
      await page.locator('.audit-list li', { hasText: /Status/ }).first().waitFor();
      await shot(page, `${vp.name}-agent-ticket`);
      assertNoConsoleErrors(agent.errors);
    });

    test('the customer sees the reply, never the note, and rates the ticket', async () => {
      const { page } = cust;
      await page.locator('.ticket-card', { hasText: subject }).click();
      await page.locator('.msg', { hasText: reply }).waitFor();
      assert.equal(await page.getByText(note).count(), 0, 'the internal note must not reach the customer');
      assert.equal(await page.locator('.msg.internal').count(), 0);
      await page.getByText('How did we do?').waitFor();
      await page.locator('label.star').nth(3).click();
      await page.getByLabel('Comment (optional)').fill('Quick and friendly.');
      await page.getByRole('button', { name: 'Send rating' }).click();
      await page.getByText('You rated this').waitFor();
      await shot(page, `${vp.name}-customer-rated`);
      // a reload shows the same: the rating is stored, the note still absent
      await page.reload();
      await page.getByText('You rated this').waitFor();
      assert.equal(await page.getByText(note).count(), 0);
      const html = await page.content();
      assert.ok(!html.includes(note), 'the note is nowhere in the customer page');
      // an agent reply arrives live while the customer watches
      await agent.page.getByLabel('Status', { exact: true }).selectOption('open');
      await agent.page.getByRole('button', { name: 'Save changes' }).click();
      await agent.page.locator('#composer-body').fill(`One more thing (${vp.name})`);
      await agent.page.getByRole('button', { name: 'Send reply' }).click();
      await page.locator('.msg', { hasText: `One more thing (${vp.name})` }).waitFor({ timeout: 10000 });
      // the "changed" errors of the sign-up form were expected (a 422 on purpose)
      assertNoConsoleErrors(cust.errors, /auth\/register/);
    });
  });
}
