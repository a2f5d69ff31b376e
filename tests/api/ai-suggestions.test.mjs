// Suggested replies (GET /tickets/{id}/suggestions): grounded in the knowledge base through the
// one retrieval engine, composed offline in the ticket's language, or drafted by an
// OpenAI-compatible LLM (a fake one started here) with a fall-back to the offline composer when
// it fails; feedback and metrics on suggestions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { freePort } from './lib/server.mjs';
import { ticketServer, ok, apiError, until } from './lib/tickets.mjs';

let server, admin, agent, supervisor, customer;
let llm, llmPort, llmMode = 'ok';
const llmRequests = [];
const articles = {};

// A tiny OpenAI-compatible server: POST /v1/chat/completions answers according to llmMode.
function startFakeLlm(port) {
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      llmRequests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      if (req.url !== '/v1/chat/completions') { res.writeHead(404); res.end(); return; }
      if (llmMode === 'hang') return; // never answers: the client's timeout must end it
      if (llmMode === '500') { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":"boom"}'); return; }
      if (llmMode === 'garbage') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"choices": [tr'); return; }
      if (llmMode === 'empty') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: '  ' } }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'chatcmpl-1', object: 'chat.completion', model: 'tiny',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant',
          content: 'Hello,\n\nUse **Forgot password** on the sign-in page and follow the link we email you [1].\n\nBest regards,' } }],
      }));
    });
  });
  return new Promise((resolve) => srv.listen(port, '127.0.0.1', () => resolve(srv)));
}

before(async () => {
  let newUser;
  ({ server, admin, newUser } = await ticketServer());
  agent = await newUser('agent');
  supervisor = await newUser('supervisor');
  customer = await newUser('customer', { name: 'Dana Fox' });
  llmPort = await freePort();
  llm = await startFakeLlm(llmPort);
  const post = async (fields) => ok(await agent.call('POST', 'kb/articles', { status: 'published', ...fields }), 201);
  articles.reset = await post({
    title: 'Reset your password',
    tags: ['password', 'login'],
    body_markdown: 'Accounts are protected by a password that only you know.\n\n## Steps\n'
      + '1. Open the sign-in page and choose **Forgot password**.\n2. Enter the email address of your account.\n'
      + '3. Follow the link in the email we send you to reset the password.\n\n'
      + 'Our office is closed on public holidays.',
  });
  articles.resetDe = await post({
    title: 'Passwort zurücksetzen', language: 'de', translation_of: articles.reset.id, tags: ['passwort'],
    body_markdown: 'Öffnen Sie die Anmeldeseite und wählen Sie **Passwort vergessen**. Folgen Sie dem Link in der E-Mail,'
      + ' um Ihr Passwort zurückzusetzen.',
  });
  articles.shipping = await post({
    title: 'Change the shipping address of an order',
    body_markdown: 'Open the order in your account and choose **Edit address** before it ships.',
  });
  articles.internal = await post({
    title: 'Password reset override for staff', visibility: 'internal',
    body_markdown: 'Staff only: reset a password from the admin console.',
  });
});

after(async () => {
  llm?.close();
  llm?.closeAllConnections?.();
  await server?.cleanup();
});

async function ticket(subject, body) {
  return ok(await customer.call('POST', 'tickets', { subject, body }), 201);
}

async function suggest(id, who = agent) {
  return ok(await who.call('GET', `tickets/${id}/suggestions`));
}

let enTicket, firstSuggestion;

test('offline suggestions cite the right article with its relevant paragraphs', async () => {
  enTicket = await ticket('I forgot my password', 'Hello, I cannot sign in because I forgot my password. How can I reset it?');
  const s = await suggest(enTicket.id);
  assert.ok(s.items.length >= 1 && s.items.length <= 3, JSON.stringify(s));
  const top = s.items[0];
  firstSuggestion = top;
  assert.equal(typeof top.id, 'number');
  assert.equal(top.provider, 'offline');
  assert.deepEqual(top.sources, [{ type: 'article', id: articles.reset.id, title: 'Reset your password' }]);
  assert.ok(top.confidence > 0 && top.confidence < 1, `confidence ${top.confidence}`);
  assert.match(top.body, /^Hello Dana Fox,/);
  assert.match(top.body, /Forgot password/);
  assert.match(top.body, /Reset your password/, 'the reply points to the article');
  assert.match(top.body, /Best regards,$/);
  assert.doesNotMatch(top.body, /public holidays/, 'unrelated paragraphs are left out');
  assert.doesNotMatch(top.body, /## Steps/, 'headings are left out');
  for (const item of s.items) {
    assert.notEqual(item.sources[0].id, articles.internal.id, 'internal articles never go to customers');
    assert.equal(item.llm_error, undefined);
  }
  // each call is a new set of suggestions with their own ids
  const again = await suggest(enTicket.id);
  assert.notEqual(again.items[0].id, top.id);
});

test('a German ticket gets the German translation and a German greeting', async () => {
  const t = await ticket('Passwort vergessen',
    'Guten Tag, ich habe mein Passwort vergessen und kann mich nicht mehr anmelden. Wie kann ich es zurücksetzen?');
  const s = await suggest(t.id);
  assert.ok(s.items.length >= 1, JSON.stringify(s));
  assert.equal(s.items[0].sources[0].id, articles.resetDe.id);
  assert.match(s.items[0].body, /^Hallo Dana Fox,/);
  assert.match(s.items[0].body, /Passwort vergessen/);
  assert.match(s.items[0].body, /Viele Grüße$/);
});

test('nothing in the knowledge base: no suggestions; permissions and missing tickets', async () => {
  const t = await ticket('Qwzx', 'Zzkqv xqwvt pflorbz.');
  assert.deepEqual((await suggest(t.id)).items, []);
  apiError(await customer.call('GET', `tickets/${enTicket.id}/suggestions`), 404);
  apiError(await agent.call('GET', 'tickets/99999999/suggestions'), 404);
});

test('feedback on suggestions feeds the acceptance and edit rates', async () => {
  const s = await suggest(enTicket.id);
  ok(await agent.call('POST', 'ai/feedback', { suggestion_id: firstSuggestion.id, outcome: 'edited',
    final_text: 'Hello Dana, use Forgot password. Regards', rating: 4 }), 201);
  ok(await agent.call('POST', 'ai/feedback', { suggestion_id: s.items[0].id, outcome: 'sent' }), 201);
  const m = ok(await supervisor.call('GET', 'ai/metrics?days=1'));
  assert.equal(m.totals.suggestions.total, 2);
  assert.equal(m.totals.suggestions.sent, 1);
  assert.equal(m.totals.suggestions.edited, 1);
  assert.equal(m.totals.suggestions.acceptance_rate, 0.5);
  assert.equal(m.totals.suggestions.edit_rate, 0.5);
});

test('LLM settings: validated, the key never shown', async () => {
  for (const [bad, field] of [[{ base_url: 'ftp://x/v1', model: 'm' }, 'llm.base_url'],
    [{ base_url: 'http://127.0.0.1/v1', model: '' }, 'llm.model'],
    [{ base_url: 'http://127.0.0.1/v1', model: 'm', api_key: 7 }, 'llm.api_key'],
    [{ base_url: 'http://127.0.0.1/v1', model: 'm', timeout_seconds: 60 }, 'llm.timeout_seconds'], ['nope', 'llm']]) {
    apiError(await admin.call('PUT', 'admin/ai', { llm: bad }), 422, 'validation_failed', field);
  }
  apiError(await agent.call('PUT', 'admin/ai', { llm: null }), 403);
  const cfg = ok(await admin.call('PUT', 'admin/ai', { llm: { base_url: `http://127.0.0.1:${llmPort}/v1/`, model: 'tiny',
    api_key: 'sk-test-secret', timeout_seconds: 2 } }));
  assert.deepEqual(cfg.llm, { base_url: `http://127.0.0.1:${llmPort}/v1/`, model: 'tiny', timeout_seconds: 2,
    has_api_key: true });
  const got = await admin.call('GET', 'admin/ai');
  assert.ok(!got.text.includes('sk-test-secret'));
  // changing the model keeps the key
  ok(await admin.call('PUT', 'admin/ai', { llm: { base_url: `http://127.0.0.1:${llmPort}/v1/`, model: 'tiny',
    timeout_seconds: 2 } }));
  assert.equal(ok(await admin.call('GET', 'admin/ai')).llm.has_api_key, true);
});

test('with an LLM: a grounded draft citing the passages, then offline ones', async () => {
  llmMode = 'ok';
  llmRequests.length = 0;
  const s = await suggest(enTicket.id);
  assert.equal(llmRequests.length, 1);
  const req = llmRequests[0];
  assert.equal(req.url, '/v1/chat/completions');
  assert.equal(req.auth, 'Bearer sk-test-secret', 'the sealed key is opened for the call');
  const sent = JSON.parse(req.body);
  assert.equal(sent.model, 'tiny');
  assert.equal(sent.messages[0].role, 'system');
  assert.match(sent.messages[1].content, /\[1\] Reset your password/);
  assert.match(sent.messages[1].content, /Forgot password/, 'the passages are in the prompt');
  assert.match(sent.messages[1].content, /I forgot my password/, 'the ticket is in the prompt');
  assert.ok(s.items.length >= 1 && s.items.length <= 3);
  const draft = s.items[0];
  assert.equal(draft.provider, 'llm');
  assert.equal(draft.model, 'tiny');
  assert.match(draft.body, /Forgot password/);
  assert.deepEqual(draft.sources, [{ type: 'article', id: articles.reset.id, title: 'Reset your password' }]);
  for (const item of s.items.slice(1)) assert.equal(item.provider, 'offline');
  ok(await agent.call('POST', 'ai/feedback', { suggestion_id: draft.id, outcome: 'discarded' }), 201);
});

for (const mode of ['500', 'garbage', 'empty', 'hang']) {
  test(`an LLM answering ${mode}: offline suggestions saying so, in bounded time`, async () => {
    llmMode = mode;
    const started = Date.now();
    const s = await suggest(enTicket.id);
    const ms = Date.now() - started;
    assert.ok(ms < 10000, `took ${ms} ms`);
    assert.ok(s.items.length >= 1);
    for (const item of s.items) {
      assert.equal(item.provider, 'offline');
      assert.equal(typeof item.llm_error, 'string');
    }
    assert.equal(s.items[0].sources[0].id, articles.reset.id);
    if (mode === 'hang') assert.match(s.items[0].llm_error, /time/i);
  });
}

test('an LLM that is down: offline suggestions; removing the provider', async () => {
  const closed = await freePort();
  ok(await admin.call('PUT', 'admin/ai', { llm: { base_url: `http://127.0.0.1:${closed}/v1`, model: 'tiny' } }));
  const s = await suggest(enTicket.id);
  assert.equal(s.items[0].provider, 'offline');
  assert.equal(typeof s.items[0].llm_error, 'string');
  const cfg = ok(await admin.call('PUT', 'admin/ai', { llm: null }));
  assert.equal(cfg.llm, null);
  const after = await suggest(enTicket.id);
  assert.equal(after.items[0].provider, 'offline');
  assert.equal(after.items[0].llm_error, undefined);
});

test('AI first response: off by default; a KB answer when confident, else an acknowledgement', async () => {
  const cfg = ok(await admin.call('GET', 'admin/ai'));
  assert.deepEqual(cfg.first_response, { enabled: false, min_confidence: 0.5, response_hours: 24 });
  const quiet = await ticket('Forgot my password', 'I forgot my password, how do I reset it?');
  assert.equal(ok(await customer.call('GET', `tickets/${quiet.id}/messages`)).items.length, 1);
  for (const [bad, field] of [[{ enabled: 'yes' }, 'first_response.enabled'],
    [{ min_confidence: 2 }, 'first_response.min_confidence'], [{ response_hours: 0 }, 'first_response.response_hours'],
    [[], 'first_response']]) {
    apiError(await admin.call('PUT', 'admin/ai', { first_response: bad }), 422, 'validation_failed', field);
  }
  const on = ok(await admin.call('PUT', 'admin/ai', { first_response: { enabled: true, min_confidence: 0.2, response_hours: 8 } }));
  assert.deepEqual(on.first_response, { enabled: true, min_confidence: 0.2, response_hours: 8 });

  const t = await ticket('I forgot my password', 'Hello, I cannot sign in because I forgot my password. How can I reset it?');
  const msgs = ok(await customer.call('GET', `tickets/${t.id}/messages`)).items;
  assert.equal(msgs.length, 2, JSON.stringify(msgs));
  const reply = msgs[1];
  assert.equal(reply.author_kind, 'ai');
  assert.equal(reply.internal, false);
  assert.match(reply.body, /^Hello Dana Fox,/);
  assert.match(reply.body, /Forgot password/);
  assert.match(reply.body, /Reset your password/);
  const audit = ok(await admin.call('GET', `admin/audit?target_type=ticket&target_id=${t.id}`));
  assert.ok(audit.items.some((e) => e.action === 'ticket.reply' && e.actor_kind === 'ai'), JSON.stringify(audit.items));

  const unknown = await ticket('Qwzx', 'Zzkqv xqwvt pflorbz.');
  const ack = ok(await customer.call('GET', `tickets/${unknown.id}/messages`)).items;
  assert.equal(ack.length, 2);
  assert.equal(ack[1].author_kind, 'ai');
  assert.match(ack[1].body, /within 8 hours/);

  // a high bar: an acknowledgement even for a matching ticket
  ok(await admin.call('PUT', 'admin/ai', { first_response: { min_confidence: 1 } }));
  const strict = await ticket('I forgot my password', 'I forgot my password, how can I reset it?');
  const strictMsgs = ok(await customer.call('GET', `tickets/${strict.id}/messages`)).items;
  assert.match(strictMsgs[1].body, /within 8 hours/);
  ok(await admin.call('PUT', 'admin/ai', { first_response: { enabled: false } }));
});

test('response templates: the admin\'s greeting and closing per language, with placeholders', async () => {
  assert.deepEqual(ok(await admin.call('GET', 'admin/ai')).templates, {});
  const bad = [
    ['hello', 'templates'], [{ english: { greeting: 'Hi' } }, 'templates.english'], [{ en: 'Hi' }, 'templates.en'],
    [{ en: { greeting: '' } }, 'templates.en.greeting'], [{ de: { greeting: 7 } }, 'templates.de.greeting'],
    [{ en: { closing: 'x'.repeat(501) } }, 'templates.en.closing'],
    [{ default: { greeting: 'Hi {{customer.name}},' } }, 'templates.default.greeting'],
  ];
  for (const [v, field] of bad) {
    apiError(await admin.call('PUT', 'admin/ai', { templates: v }), 422, 'validation_failed', field);
  }
  apiError(await agent.call('PUT', 'admin/ai', { templates: {} }), 403);
  const templates = {
    en: { greeting: 'Hi {{requester.name}},', closing: 'Kind regards,\n{{agent.name}}\nThe ACME team (ticket #{{ticket.id}})' },
    default: { greeting: 'Hi there, about "{{ticket.subject}}":', closing: null },
  };
  const saved = ok(await admin.call('PUT', 'admin/ai', { templates }));
  assert.deepEqual(saved.templates, { ...templates, default: { greeting: 'Hi there, about "{{ticket.subject}}":', closing: null } });

  const en = (await suggest(enTicket.id)).items[0];
  assert.match(en.body, /^Hi Dana Fox,\n\n/);
  assert.ok(en.body.endsWith(`Kind regards,\n${agent.name}\nThe ACME team (ticket #${enTicket.id})`), en.body);
  assert.match(en.body, /Forgot password/, 'the passages stay');
  // German has no template of its own: the default greeting, the built-in German closing
  const de = await ticket('Passwort vergessen', 'Guten Tag, ich habe mein Passwort vergessen. Wie kann ich es zurücksetzen?');
  const deBody = (await suggest(de.id)).items[0].body;
  assert.match(deBody, /^Hi there, about "Passwort vergessen":\n\n/);
  assert.match(deBody, /Viele Grüße$/);
  // the AI's own messages have no agent: that line is left out
  ok(await admin.call('PUT', 'admin/ai', { first_response: { enabled: true, min_confidence: 0.2 } }));
  const t = await ticket('I forgot my password', 'I cannot sign in because I forgot my password. How can I reset it?');
  const first = ok(await customer.call('GET', `tickets/${t.id}/messages`)).items[1];
  assert.ok(first.body.endsWith(`Kind regards,\nThe ACME team (ticket #${t.id})`), first.body);
  ok(await admin.call('PUT', 'admin/ai', { first_response: { enabled: false }, templates: {} }));
  assert.match((await suggest(enTicket.id)).items[0].body, /^Hello Dana Fox,[^]*Best regards,$/);
});

test('past solved tickets: their public staff reply as a source, never an internal note', async () => {
  const past = await ticket('CSV export times out', 'My CSV export of all orders fails with a timeout error every time.');
  ok(await agent.call('POST', `tickets/${past.id}/messages`, {
    body: 'Hello,\n\nLarge exports time out: split the export by month under **Reports → Export** and download each month separately.\n\nBest regards,',
  }), 201);
  ok(await agent.call('POST', `tickets/${past.id}/messages`, { body: 'Zebracorn: legacy plan, export limits raised by hand', internal: true }), 201);
  ok(await agent.call('PATCH', `tickets/${past.id}`, { status: 'solved' }));
  // solved with only an internal note: nothing to offer
  const noted = await ticket('Quibblefrost sync', 'The quibblefrost sync stopped working.');
  ok(await agent.call('POST', `tickets/${noted.id}/messages`, { body: 'Quibblefrost: restart the worker', internal: true }), 201);
  ok(await agent.call('PATCH', `tickets/${noted.id}`, { status: 'solved' }));

  const now = await ticket('Export fails', 'The CSV export of my orders fails with a timeout.');
  const s = await until(async () => {
    const r = await suggest(now.id);
    return r.items.some((it) => it.sources[0].type === 'ticket') && r;
  }, 'a past ticket among the sources', 8000, 250);
  const it = s.items.find((x) => x.sources[0].type === 'ticket');
  assert.deepEqual(it.sources, [{ type: 'ticket', id: past.id, title: 'CSV export times out' }]);
  assert.equal(it.provider, 'offline');
  assert.match(it.body, /^Hello Dana Fox,/);
  assert.match(it.body, /split the export by month/);
  assert.doesNotMatch(it.body, /You can find more in our article/, 'no article to point to');
  for (const x of s.items) assert.doesNotMatch(x.body, /Zebracorn|legacy plan/, 'internal notes never reach a suggestion');
  const quib = await ticket('Quibblefrost', 'My quibblefrost sync is broken.');
  const qs = await suggest(quib.id);
  assert.ok(qs.items.every((x) => x.sources[0].type !== 'ticket'), JSON.stringify(qs));
  assert.ok(qs.items.every((x) => !/restart the worker/.test(x.body)));
  // customers never get suggestions, nor does the AI's first response use past tickets
  apiError(await customer.call('GET', `tickets/${now.id}/suggestions`), 404);
  ok(await admin.call('PUT', 'admin/ai', { first_response: { enabled: true, min_confidence: 0 } }));
  const fr = await ticket('Export broken', 'The CSV export of my orders fails with a timeout.');
  const msgs = ok(await customer.call('GET', `tickets/${fr.id}/messages`)).items;
  assert.doesNotMatch(msgs[1].body, /split the export by month/);
  ok(await admin.call('PUT', 'admin/ai', { first_response: { enabled: false } }));
  // reopened: no longer offered
  ok(await agent.call('PATCH', `tickets/${past.id}`, { status: 'open' }));
  await until(async () => (await suggest(now.id)).items.every((x) => x.sources[0].type !== 'ticket'),
    'the reopened ticket to leave the sources', 8000, 250);
});

test('tone check with rewrite: the LLM\'s version in the house style, a clean fall-back without one', async () => {
  const text = 'AS I ALREADY SAID, this is your fault. Unfortunately we cannot help.';
  apiError(await agent.call('POST', 'ai/tone', { text, rewrite: 'yes' }), 422, 'validation_failed', 'rewrite');
  const plain = ok(await agent.call('POST', 'ai/tone', { text }));
  assert.equal(plain.rewrite, undefined, 'no rewrite unless asked');
  const none = ok(await agent.call('POST', 'ai/tone', { text, rewrite: true }));
  assert.equal(none.rewrite, null);
  assert.match(none.rewrite_error, /no LLM/);
  assert.ok(none.findings.length > 0, 'the check itself still runs');

  ok(await admin.call('PUT', 'admin/ai', { llm: { base_url: `http://127.0.0.1:${llmPort}/v1`, model: 'tiny', timeout_seconds: 2 },
    tone_words: [{ phrase: 'cannot help', suggestion: 'will find another way' }] }));
  llmMode = 'ok';
  const base = ok(await agent.call('POST', 'ai/tone', { text }));
  llmRequests.length = 0;
  const done = ok(await agent.call('POST', 'ai/tone', { text, rewrite: true }));
  assert.equal(llmRequests.length, 1);
  const sent = JSON.parse(llmRequests[0].body);
  assert.match(sent.messages[0].content, /house style/);
  assert.match(sent.messages[1].content, /your fault/, 'the reply is in the prompt');
  assert.match(sent.messages[1].content, /blame/, 'so are the findings');
  assert.match(sent.messages[1].content, /cannot help \(say instead: will find another way\)/, 'and the admin\'s words');
  assert.match(done.rewrite, /^Hello,/);
  assert.equal(done.rewrite_error, undefined);
  assert.equal(done.score, base.score, 'the findings are the original text\'s');
  assert.deepEqual(done.findings, base.findings);
  llmMode = '500';
  const failed = ok(await agent.call('POST', 'ai/tone', { text, rewrite: true }));
  assert.equal(failed.rewrite, null);
  assert.equal(typeof failed.rewrite_error, 'string');
  llmMode = 'ok';
  const long = ok(await agent.call('POST', 'ai/tone', { text: 'word '.repeat(5000), rewrite: true }));
  assert.equal(long.rewrite, null);
  assert.match(long.rewrite_error, /too long/);
  ok(await admin.call('PUT', 'admin/ai', { llm: null, tone_words: [] }));
});
