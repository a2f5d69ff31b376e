// Customer scenario B, on a phone and on a desktop: an anonymous reader searches the help
// center as they type, opens an article, says it did not help, walks a troubleshooting
// guide to "we need a person", signs up on the way to the ticket form (recommendations
// appear while typing) and creates the ticket; the agent sees on the ticket what the
// customer searched, read and answered, inserts a KB link with the composer, checks
// the tone, and opens their metrics. Staff edit articles (versions, restore). axe on
// every new page.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, api, assertAccessible, assertNoConsoleErrors, email, login, PASSWORD, shot, signIn, startEnv, VIEWPORTS } from './lib/browser.mjs';

let env;
const agentEmail = email('kb-agent');
let staff; // {cookie, csrf}
let printerArticle;
let guideArticle;

async function asAgent(method, p, body) {
  const r = await api(env.server, method, `/api/v1${p}`, { cookie: staff.cookie, csrf: staff.csrf, body });
  assert.ok(r.status < 300, `${method} ${p}: ${r.status} ${r.text}`);
  return r.json;
}

before(async () => {
  env = await startEnv();
  await addUser(env.server, { email: agentEmail, name: 'Kim Support', role: 'agent', password: PASSWORD });
  staff = await login(env.server, agentEmail, PASSWORD);
  const hw = await asAgent('POST', '/kb/categories', { name: 'Printers', description: 'Setting up and fixing printers' });
  await asAgent('POST', '/kb/categories', { name: 'Billing' });
  printerArticle = await asAgent('POST', '/kb/articles', {
    title: 'Printer prints blank pages', status: 'published', category_id: hw.id, tags: ['printer'],
    body_markdown: 'When the printer prints **blank pages**:\n\n1. Check the ink cartridge.\n2. Run the cleaning cycle.\n',
  });
  guideArticle = await asAgent('POST', '/kb/articles', {
    title: 'Printer does not print', status: 'published', category_id: hw.id, tags: ['printer'],
    body_markdown: 'Answer a few questions and we will find the cause.',
    guide: { steps: [
      { id: 'start', title: 'Is the printer on?', body_markdown: 'Check the **power** light.',
        answers: [{ label: 'Yes, it is on', next: 'cable' }, { label: 'No', outcome: 'solved' }] },
      { id: 'cable', title: 'Is the cable plugged in?', body_markdown: 'Look behind the printer.',
        answers: [{ label: 'It was loose', outcome: 'solved' }, { label: 'Still not printing', outcome: 'ticket' }] },
    ] },
  });
  await asAgent('POST', '/kb/articles', { title: 'Draft about printers', body_markdown: 'printer draft' }); // never shown to readers
});
after(() => env?.close());

for (const vp of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
  describe(`scenario B on a ${vp.name}`, () => {
    const customerEmail = email(`kb-customer-${vp.name}`);
    const query = 'printer blank';
    let cust;
    let ticketId;

    test('a reader searches, reads, says it did not help, walks a guide and opens a ticket', async () => {
      cust = await env.page(vp);
      const { page } = cust;
      await page.goto('/');
      await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
      await page.getByRole('link', { name: 'Printers' }).waitFor();
      await assertAccessible(page, 'help center home (anonymous)');
      await page.getByLabel('Search the help center').pressSequentially(query, { delay: 20 });
      const hit = page.locator('.kb-hits a', { hasText: 'Printer prints blank pages' });
      await hit.waitFor();
      assert.ok(await page.locator('.kb-hits mark').count() > 0, 'matched words are highlighted');
      assert.equal(await page.getByText('Draft about printers').count(), 0, 'drafts are never shown');
      await shot(page, `${vp.name}-kb-search`);
      await assertAccessible(page, 'help center results');
      await hit.click();
      await page.getByRole('heading', { name: 'Printer prints blank pages' }).waitFor();
      await page.locator('.prose strong', { hasText: 'blank pages' }).waitFor();
      await page.getByRole('button', { name: 'No, it did not' }).click();
      await page.getByLabel('What was missing? (optional)').fill('My printer has no cleaning cycle.');
      await page.getByRole('button', { name: 'Send comment' }).click();
      await page.getByText('use this to improve').waitFor();
      await assertAccessible(page, 'article');
      await shot(page, `${vp.name}-kb-article`);

      // a topic, then the guide, walked to "needs a person"
      await page.getByRole('link', { name: 'Printers' }).first().click();
      await page.locator('.kb-hits a', { hasText: 'Printer does not print' }).click();
      await page.getByRole('heading', { name: 'Is the printer on?' }).waitFor();
      await page.getByRole('button', { name: 'Yes, it is on' }).click();
      await page.getByRole('heading', { name: 'Is the cable plugged in?' }).waitFor();
      await assertAccessible(page, 'guide');
      await page.getByRole('button', { name: 'Still not printing' }).click();
      await page.getByText('This needs our team').waitFor();
      await shot(page, `${vp.name}-kb-guide`);

      // to the form: sign up on the way
      await page.locator('.guide-done').getByRole('link', { name: 'Open a ticket' }).click();
      await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
      await page.getByRole('link', { name: 'Create an account' }).last().click();
      await page.getByLabel('Your name').fill(`Pat Printer ${vp.name}`);
      await page.getByLabel('Email').fill(customerEmail);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/tickets/new');
      // the subject starts from the guide; the form says what will be passed on
      assert.equal(await page.getByLabel('Subject').inputValue(), 'Printer does not print');
      await page.getByText('We will include what you already tried').waitFor();
      await page.getByLabel('Describe the problem').fill('The printer prints blank pages and the cable is fine.');
      await page.locator('.kb-recs a', { hasText: /Printer/ }).first().waitFor(); // recommendations while typing
      await assertAccessible(page, 'new ticket with recommendations');
      await shot(page, `${vp.name}-kb-new-ticket`);
      await page.getByRole('button', { name: 'Create ticket' }).click();
      await page.getByRole('heading', { name: 'Printer does not print' }).waitFor();
      ticketId = Number(new URL(page.url()).pathname.split('/').pop());
      assert.ok(ticketId > 0);
      // the help center home of a signed-in customer lists their tickets
      await page.getByRole('link', { name: 'Help center' }).first().click();
      await page.locator('.ticket-card', { hasText: 'Printer does not print' }).waitFor();
      await assertAccessible(page, 'help center home (customer)');
      assertNoConsoleErrors(cust.errors);
    });

    test('the agent sees the search context, links an article and checks the tone', async () => {
      const agent = await env.page(vp);
      const { page } = agent;
      await signIn(page, agentEmail);
      await page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
      const row = page.locator(`tr[data-ticket-id="${ticketId}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), /Printer does not print/);
      await page.goto(`/agent/tickets/${ticketId}`);
      const ctx = page.locator('.ctx-panel');
      await ctx.waitFor();
      const text = await ctx.innerText();
      assert.match(text, new RegExp(query), 'the search the customer made');
      assert.match(text, /Printer prints blank pages/, 'the article read, by title');
      assert.match(text, /did not help/i);
      assert.match(text, /Still not printing/, 'the guide path');
      // names, not numbers
      assert.match(await page.locator('.msg-author').first().innerText(), new RegExp(`Pat Printer ${vp.name}`));
      assert.match(await page.locator('.facts').innerText(), new RegExp(customerEmail.replace(/[.+]/g, '\\$&')));
      const assignee = page.getByLabel('Assignee');
      assert.ok(await assignee.locator('option', { hasText: 'Kim Support (me)' }).count() === 1);

      // a KB link into the reply
      await page.getByRole('button', { name: /KB link/ }).click();
      await page.getByLabel('Search articles to link').fill('blank pages');
      await page.getByRole('button', { name: 'Insert “Printer prints blank pages”' }).click();
      const body = await page.locator('#composer-body').inputValue();
      assert.match(body, new RegExp(`\\[Printer prints blank pages\\]\\(http://[^)]+/kb/${printerArticle.id}\\)`));
      if (await page.getByRole('button', { name: 'Check tone' }).count()) {
        await page.locator('#composer-body').fill(`Hello Pat,\n\nplease try ${body}\n\nBest regards,\nKim`);
        await page.getByRole('button', { name: 'Check tone' }).click();
        await page.locator('.tone').getByText(/Tone check/).waitFor();
      }
      await page.locator('.triage, .ctx-panel').first().waitFor();
      await assertAccessible(page, 'agent ticket with context');
      await shot(page, `${vp.name}-kb-agent-ticket`);
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.locator('.msg.from-staff a', { hasText: 'Printer prints blank pages' }).waitFor();

      // personal metrics from real tickets
      await page.goto('/agent/metrics');
      await page.getByRole('heading', { name: 'My metrics' }).waitFor();
      await page.getByText('Solved in the last 7 days').waitFor();
      await assertAccessible(page, 'metrics');
      await shot(page, `${vp.name}-agent-metrics`);
      assertNoConsoleErrors(agent.errors);
    });
  });
}

test('staff write, publish, change and restore an article', async () => {
  const { page, errors } = await env.page(VIEWPORTS.desktop);
  await signIn(page, agentEmail);
  await page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Knowledge base' }).click();
  await page.getByRole('heading', { name: 'Knowledge base', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Printer prints blank pages' }).waitFor();
  await assertAccessible(page, 'article list (staff)');
  await page.getByRole('link', { name: 'New article' }).click();
  await page.getByLabel('Title').fill('Change your invoice address');
  await page.getByLabel('Topic').selectOption({ label: 'Billing' });
  await page.getByLabel('Body (Markdown)').fill('Open **Billing** and edit the address.');
  // an error from the API beside its field
  await page.getByLabel('Language', { exact: true }).fill('xx1');
  await page.getByLabel('Language', { exact: true }).fill('x');
  await page.getByRole('button', { name: 'Create' }).click();
  const langErr = page.locator('.field.has-error', { has: page.getByLabel('Language', { exact: true }) }).locator('.field-error');
  await langErr.waitFor();
  await page.getByLabel('Language', { exact: true }).fill('en');
  // a guide that is not JSON, then one the API refuses: both beside the guide field, with the path
  const guide = page.getByLabel('Troubleshooting guide (JSON, optional)', { exact: true });
  const guideErr = page.locator('.field.has-error', { has: guide }).locator('.field-error');
  await guide.fill('{"steps": [');
  await page.getByRole('button', { name: 'Create' }).click();
  await guideErr.filter({ hasText: 'not valid JSON' }).waitFor();
  await guide.fill('{"steps": [{"id": "start", "body_markdown": "Is it on?", "answers": [{"label": "Yes", "next": "nowhere"}]}]}');
  await page.getByRole('button', { name: 'Create' }).click();
  await guideErr.filter({ hasText: 'guide.steps[0].answers[0].next' }).waitFor();
  assert.equal(await page.locator('.form-error').filter({ hasText: 'next names no step' }).count(), 0,
    'the guide\'s error is not shown for the whole form');
  await guide.fill('');
  // two submits at once (before the button is disabled) save once
  await page.evaluate(() => {
    const form = document.querySelector('form[aria-labelledby="edit-h"]');
    form.requestSubmit();
    form.requestSubmit();
  });
  await page.getByRole('heading', { name: 'Edit article' }).waitFor();
  const mine = (await asAgent('GET', '/kb/articles?limit=200')).items.filter((a) => a.title === 'Change your invoice address');
  assert.equal(mine.length, 1, 'one article for two submits');
  await page.locator('.versions li', { hasText: 'v1' }).waitFor();
  await page.getByLabel('Body (Markdown)').fill('Open **Billing**, then **Address**, and save.');
  await page.getByRole('button', { name: 'Save and publish' }).click();
  await page.locator('.versions li', { hasText: 'v2' }).waitFor();
  await assertAccessible(page, 'article editor');
  await shot(page, 'desktop-kb-editor');
  page.once('dialog', (d) => d.accept());
  await page.locator('.versions li', { hasText: 'v1' }).getByRole('button', { name: 'Restore' }).click();
  await page.locator('.versions li', { hasText: 'restored from version 1' }).waitFor();
  assert.equal(await page.getByLabel('Body (Markdown)').inputValue(), 'Open **Billing** and edit the address.');
  // the restore keeps the status: still published, readable by anyone
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const anon = await api(env.server, 'GET', `/api/v1/kb/articles/${id}`);
  assert.equal(anon.status, 200);
  assert.equal(anon.json.status, 'published');
  assertNoConsoleErrors(errors, /kb\/articles$/);
});

test('staff put an image into an article; readers see it on the article page', async () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const { page, errors } = await env.page(VIEWPORTS.desktop);
  await signIn(page, agentEmail);
  await page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
  await page.goto(`/agent/kb/${printerArticle.id}`);
  await page.getByRole('heading', { name: 'Edit article' }).waitFor();
  const body = page.getByLabel('Body (Markdown)');
  await body.fill('Look at the cartridge:\n\nThen run the cleaning cycle.');
  await body.evaluate((el) => el.setSelectionRange(22, 22)); // after "Look at the cartridge:"
  await page.getByLabel('Insert image or file').setInputFiles({ name: 'cartridge.png', mimeType: 'image/png', buffer: png });
  await page.waitForFunction(() => document.getElementById('kb-body').value.includes('/api/v1/kb/files/'));
  const md = await body.inputValue();
  assert.match(md, /^Look at the cartridge:\n\n!\[cartridge\.png\]\(\/api\/v1\/kb\/files\/\d+\)\n\nThen run the cleaning cycle\.$/);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.versions li', { hasText: 'v2' }).waitFor();
  // an oversized file is refused before it is sent
  await page.getByLabel('Insert image or file').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await page.getByRole('alert').filter({ hasText: 'at most 10 MB' }).waitFor();

  const reader = await env.page(VIEWPORTS.phone);
  await reader.page.goto(`/kb/${printerArticle.id}`);
  const img = reader.page.getByRole('img', { name: 'cartridge.png' });
  await img.waitFor();
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth === 1), 'the image loads for an anonymous reader');
  await assertAccessible(reader.page, 'article with an image');
  assertNoConsoleErrors(errors);
  assertNoConsoleErrors(reader.errors);
});
