// Automated resolution: for the categories an admin marks, a confident knowledge-base answer is
// sent by the AI and the ticket waits (pending) for the customer: confirmed (or a reply that only
// thanks) → solved, "did not help" or any other reply → reopened and routed to a person, silence →
// solved at the timeout. Settings, audit, decisions, interventions, metrics, what customers see,
// the AI's messages and moves on live event streams (SSE), and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ticketServer, ok, apiError, until, openEvents } from './lib/tickets.mjs';
import { CATEGORY, csv, train } from './lib/ai.mjs';

let server, admin, agent, supervisor, customer, stranger, team, dir;

const PASSWORD = ['I forgot my password', 'Hello, I cannot sign in because I forgot my password. How can I reset it?'];

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-autoresolve-'));
  let newUser;
  ({ server, admin, newUser } = await ticketServer());
  agent = await newUser('agent');
  supervisor = await newUser('supervisor');
  customer = await newUser('customer', { name: 'Dana Fox' });
  stranger = await newUser('customer');
  team = ok(await admin.call('POST', 'teams', { name: 'Accounts' }), 201);
  ok(await admin.call('PUT', 'admin/ai', { category_teams: { login: team.id } }));
  const post = async (fields) => ok(await agent.call('POST', 'kb/articles', { status: 'published', ...fields }), 201);
  await post({
    title: 'Reset your password',
    tags: ['password', 'login'],
    body_markdown: '1. Open the sign-in page and choose **Forgot password**.\n2. Enter the email address of your'
      + ' account.\n3. Follow the link in the email we send you to reset the password.',
  });
  await post({
    title: 'Refund of a double charge',
    tags: ['refund', 'invoice'],
    body_markdown: 'When you were charged twice, the second charge on your invoice is refunded within 5 days.',
  });
  const r = await train(server, dir, 'category', csv(CATEGORY));
  assert.equal(r.code, 0, r.stderr);
  // the server loads the model within a scheduler tick
  await until(async () => (await ticket(...PASSWORD)).category === 'login', 'the category model', 10000, 300);
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server?.cleanup();
});

async function ticket(subject, body, who = customer) {
  return ok(await who.call('POST', 'tickets', { subject, body }), 201);
}

async function messages(id, who) {
  return ok(await who.call('GET', `tickets/${id}/messages`)).items;
}

async function resolution(id, who = customer) {
  return ok(await who.call('GET', `tickets/${id}/resolution`));
}

/** Resolves the ticket's resolution once it is no longer pending (polling up to 10 s). */
function settled(id, what) {
  return until(async () => {
    const r = await resolution(id);
    return r.state !== 'pending' && r;
  }, what, 10000, 200);
}

/** A password ticket answered automatically: asserts the answer and resolves the ticket. */
async function answered() {
  const t = await ticket(...PASSWORD);
  assert.equal(t.category, 'login');
  assert.equal(t.status, 'pending', 'the ticket waits for the customer');
  const msgs = await messages(t.id, customer);
  assert.equal(msgs.length, 2, JSON.stringify(msgs));
  assert.equal(msgs[1].author_kind, 'ai');
  assert.equal(msgs[1].internal, false);
  assert.match(msgs[1].body, /^Hello Dana Fox,/);
  assert.match(msgs[1].body, /Forgot password/);
  assert.match(msgs[1].body, /sent automatically/, 'marked as automated');
  const res = await resolution(t.id);
  assert.equal(res.state, 'pending');
  assert.equal(res.outcome, null);
  assert.equal(res.message_id, msgs[1].id);
  return t;
}

test('settings: off by default, validated, admins only', async () => {
  const cfg = ok(await admin.call('GET', 'admin/ai'));
  assert.deepEqual(cfg.auto_resolve, { enabled: false, categories: [], min_confidence: 0.6, timeout_seconds: 259200 });
  const bad = [
    [{ enabled: 'yes' }, 'auto_resolve.enabled'],
    [{ categories: 'login' }, 'auto_resolve.categories'],
    [{ categories: [''] }, 'auto_resolve.categories[0]'],
    [{ categories: ['login', 7] }, 'auto_resolve.categories[1]'],
    [{ min_confidence: 1.5 }, 'auto_resolve.min_confidence'],
    [{ min_confidence: 'high' }, 'auto_resolve.min_confidence'],
    [{ timeout_seconds: 0 }, 'auto_resolve.timeout_seconds'],
    [{ timeout_seconds: 1.5 }, 'auto_resolve.timeout_seconds'],
    [[], 'auto_resolve'],
  ];
  for (const [v, field] of bad) {
    apiError(await admin.call('PUT', 'admin/ai', { auto_resolve: v }), 422, 'validation_failed', field);
  }
  // nothing half-written: a bad member leaves the good ones unsaved too
  apiError(await admin.call('PUT', 'admin/ai', { auto_resolve: { enabled: true, timeout_seconds: -1 } }), 422);
  assert.equal(ok(await admin.call('GET', 'admin/ai')).auto_resolve.enabled, false);
  apiError(await agent.call('PUT', 'admin/ai', { auto_resolve: { enabled: true } }), 403);
  // off: a matching ticket gets no automated answer
  const quiet = await ticket(...PASSWORD);
  assert.equal(quiet.status, 'new');
  assert.equal((await messages(quiet.id, customer)).length, 1);
  apiError(await customer.call('GET', `tickets/${quiet.id}/resolution`), 404, 'not_found');

  const on = ok(await admin.call('PUT', 'admin/ai', {
    auto_resolve: { enabled: true, categories: ['login'], min_confidence: 0.2, timeout_seconds: 3600 },
  }));
  assert.deepEqual(on.auto_resolve, { enabled: true, categories: ['login'], min_confidence: 0.2, timeout_seconds: 3600 });
  const audit = ok(await admin.call('GET', 'admin/audit?action=settings.change'));
  assert.ok(audit.items.some((e) => e.field === 'ai.auto_resolve'), JSON.stringify(audit.items.slice(0, 3)));
});

test('the customer confirms: solved, every step audited and logged', async () => {
  const t = await answered();
  // only the requester answers; others get 404 (customers) or 403 (staff); bad input is 422
  apiError(await stranger.call('POST', `tickets/${t.id}/resolution`, { helped: true }), 404, 'not_found');
  apiError(await stranger.call('GET', `tickets/${t.id}/resolution`), 404, 'not_found');
  apiError(await agent.call('POST', `tickets/${t.id}/resolution`, { helped: true }), 403, 'forbidden');
  apiError(await customer.call('POST', `tickets/${t.id}/resolution`, {}), 422, 'validation_failed', 'helped');
  apiError(await customer.call('POST', `tickets/${t.id}/resolution`, { helped: 'yes' }), 422, 'validation_failed', 'helped');
  apiError(await customer.call('POST', 'tickets/999999/resolution', { helped: true }), 404, 'not_found');
  assert.equal((await resolution(t.id)).state, 'pending', 'bad answers changed nothing');

  const res = ok(await customer.call('POST', `tickets/${t.id}/resolution`, { helped: true }));
  assert.equal(res.state, 'solved');
  assert.equal(res.outcome, 'confirmed');
  assert.match(res.closed_at, /^\d{4}-\d\d-\d\dT/);
  const after = ok(await customer.call('GET', `tickets/${t.id}`));
  assert.equal(after.status, 'solved');
  assert.ok(after.solved_at);
  apiError(await customer.call('POST', `tickets/${t.id}/resolution`, { helped: false }), 409, 'conflict');

  const events = ok(await agent.call('GET', `tickets/${t.id}/events`));
  const list = events.items || events;
  const ai = list.filter((e) => e.actor_kind === 'ai');
  assert.ok(ai.some((e) => e.action === 'ticket.reply'), JSON.stringify(list));
  assert.ok(ai.some((e) => e.field === 'status' && e.new === 'pending'), JSON.stringify(list));
  assert.ok(ai.some((e) => e.field === 'status' && e.old === 'pending' && e.new === 'solved'), JSON.stringify(list));
  assert.ok(list.some((e) => e.action === 'ticket.auto_resolution' && e.actor_id === customer.id && e.new === 'confirmed'),
    JSON.stringify(list));
  const view = ok(await agent.call('GET', `tickets/${t.id}/ai`));
  assert.equal(view.auto_resolution.label, 'solved');
  apiError(await customer.call('GET', `tickets/${t.id}/ai`), 404);
});

test('"did not help": reopened, routed to the category\'s team, a note only agents see', async () => {
  const t = await answered();
  assert.equal(t.team_id, null);
  const res = ok(await customer.call('POST', `tickets/${t.id}/resolution`, { helped: false }));
  assert.equal(res.state, 'reopened');
  assert.equal(res.outcome, 'not_helped');
  const after = ok(await agent.call('GET', `tickets/${t.id}`));
  assert.equal(after.status, 'open');
  assert.equal(after.team_id, team.id);
  assert.equal(after.solved_at, null);
  const staff = await messages(t.id, agent);
  const note = staff.find((m) => m.internal);
  assert.ok(note, JSON.stringify(staff));
  assert.equal(note.author_kind, 'ai');
  assert.match(note.body, /did not help/);
  const mine = await messages(t.id, customer);
  assert.equal(mine.length, 2, 'customers never see the note');
  assert.ok(mine.every((m) => !m.internal));
  const page = ok(await supervisor.call('GET', `ai/interventions?ticket_id=${t.id}`));
  assert.equal(page.items.length, 1);
  assert.equal(page.items[0].kind, 'auto_resolution');
  assert.equal(page.items[0].ai_label, 'resolved');
  assert.equal(page.items[0].human_label, 'not_helped');
  assert.equal(page.items[0].user_id, customer.id);
  assert.equal(page.items[0].overrode, true);
});

test('a reply from the customer counts as "did not help"', async () => {
  const t = await answered();
  ok(await customer.call('POST', `tickets/${t.id}/messages`, { body: 'That did not work, the link never arrives.' }), 201);
  const res = await settled(t.id, 'the reply to be seen');
  assert.equal(res.state, 'reopened');
  assert.equal(res.outcome, 'replied');
  const after = ok(await agent.call('GET', `tickets/${t.id}`));
  assert.equal(after.status, 'open');
  assert.equal(after.team_id, team.id);
  assert.ok((await messages(t.id, agent)).some((m) => m.internal && /replied/.test(m.body)));
  assert.equal((await messages(t.id, customer)).filter((m) => m.internal).length, 0);
});

test('a reply that only thanks confirms the answer: solved, no note, no intervention', async () => {
  const t = await answered();
  ok(await customer.call('POST', `tickets/${t.id}/messages`, { body: 'Thanks, that worked!' }), 201);
  const res = await settled(t.id, 'the thanks to be seen');
  assert.equal(res.state, 'solved');
  assert.equal(res.outcome, 'confirmed');
  const after = ok(await agent.call('GET', `tickets/${t.id}`));
  assert.equal(after.status, 'solved', 'the reply reopened it; the confirmation solves it');
  assert.ok(after.solved_at);
  assert.equal(after.team_id, null, 'not routed to a person');
  assert.equal((await messages(t.id, agent)).filter((m) => m.internal).length, 0, 'no note for the agents');
  assert.equal(ok(await supervisor.call('GET', `ai/interventions?ticket_id=${t.id}`)).items.length, 0);
  const events = ok(await agent.call('GET', `tickets/${t.id}/events`));
  assert.ok((events.items || events).some((e) => e.action === 'ticket.auto_resolution' && e.actor_kind === 'ai'
    && e.new === 'confirmed'), JSON.stringify(events));
  assert.equal(ok(await agent.call('GET', `tickets/${t.id}/ai`)).auto_resolution.label, 'solved');
});

test('live: the AI\'s answer, note and status moves reach open streams; the customer never gets the note', async () => {
  const staff = await openEvents(server, agent);
  const mine = await openEvents(server, customer);
  const theirs = await openEvents(server, stranger);
  try {
    const t = await answered();
    const isAnswer = (e) => e.type === 'message.created' && e.data.ticket_id === t.id && e.data.author_kind === 'ai';
    const seen = await staff.waitFor(isAnswer, 2000);
    assert.equal(seen.data.internal, false);
    assert.match(seen.data.body, /sent automatically/);
    assert.match((await mine.waitFor(isAnswer, 2000)).data.body, /Forgot password/);
    // a question is not a confirmation: reopened by the job, a note for the agents
    ok(await customer.call('POST', `tickets/${t.id}/messages`, { body: 'Thanks, but how do I change my email address too?' }),
      201);
    const note = await staff.waitFor((e) => e.type === 'message.created' && e.data.ticket_id === t.id
      && e.data.internal === true, 8000);
    assert.equal(note.data.author_kind, 'ai');
    assert.match(note.data.body, /replied/);
    await staff.waitFor((e) => e.type === 'ticket.updated' && e.data.id === t.id && e.data.team_id === team.id, 2000);
    const { version } = ok(await agent.call('GET', `tickets/${t.id}`));
    const brief = await mine.waitFor((e) => e.type === 'ticket.updated' && e.data.ticket_id === t.id
      && e.data.version === version, 2000);
    assert.deepEqual(Object.keys(brief.data).sort(), ['ticket_id', 'version'], 'the customer gets the short notice');
    assert.equal((await resolution(t.id)).outcome, 'replied');
    const text = JSON.stringify(mine.events);
    assert.ok(!mine.events.some((e) => e.data.internal === true), 'no internal note event reaches the customer');
    assert.ok(!text.includes(note.data.body), 'nor its text');
    assert.ok(!theirs.events.some((e) => e.data.ticket_id === t.id || e.data.id === t.id), 'another customer hears nothing');

    // the first response (on when no automated answer is sent) reaches both streams too
    ok(await admin.call('PUT', 'admin/ai', { first_response: { enabled: true, min_confidence: 0.2 } }));
    const billing = await ticket('Charged twice', 'I was charged twice on my invoice, please refund my payment.');
    const first = (e) => e.type === 'message.created' && e.data.ticket_id === billing.id && e.data.author_kind === 'ai';
    const ai = (await messages(billing.id, customer)).find((m) => m.author_kind === 'ai');
    assert.ok(ai, 'the first response was sent');
    assert.equal((await staff.waitFor(first, 2000)).data.id, ai.id);
    assert.equal((await mine.waitFor(first, 2000)).data.body, ai.body);
    ok(await admin.call('PUT', 'admin/ai', { first_response: { enabled: false } }));
  } finally {
    for (const s of [staff, mine, theirs]) s.close();
  }
});

test('silence until the timeout solves the ticket; a person moving it first drops the answer', async () => {
  ok(await admin.call('PUT', 'admin/ai', { auto_resolve: { timeout_seconds: 2 } }));
  const quiet = await answered();
  const taken = await answered();
  ok(await agent.call('PATCH', `tickets/${taken.id}`, { status: 'open' }));
  const res = await settled(quiet.id, 'the timeout');
  assert.equal(res.state, 'solved');
  assert.equal(res.outcome, 'timeout');
  assert.equal(ok(await customer.call('GET', `tickets/${quiet.id}`)).status, 'solved');
  const events = ok(await agent.call('GET', `tickets/${quiet.id}/events`));
  assert.ok((events.items || events).some((e) => e.actor_kind === 'ai' && e.action === 'ticket.auto_resolution'
    && e.new === 'timeout'));
  const dropped = await settled(taken.id, 'the dropped answer');
  assert.equal(dropped.state, 'dropped');
  assert.equal(ok(await agent.call('GET', `tickets/${taken.id}`)).status, 'open', 'the person\'s status stays');
  ok(await admin.call('PUT', 'admin/ai', { auto_resolve: { timeout_seconds: 3600 } }));
});

test('no automated answer outside the categories or below the threshold', async () => {
  const billing = await ticket('Charged twice', 'I was charged twice on my invoice, please refund my payment.');
  assert.equal(billing.category, 'billing');
  assert.equal(billing.status, 'new');
  assert.equal((await messages(billing.id, customer)).length, 1);
  apiError(await customer.call('GET', `tickets/${billing.id}/resolution`), 404);
  apiError(await customer.call('POST', `tickets/${billing.id}/resolution`, { helped: true }), 409, 'conflict');

  ok(await admin.call('PUT', 'admin/ai', { auto_resolve: { min_confidence: 0.99 } }));
  const weak = await ticket(...PASSWORD);
  assert.equal(weak.status, 'new');
  assert.equal((await messages(weak.id, customer)).length, 1);
  const view = ok(await agent.call('GET', `tickets/${weak.id}/ai`));
  assert.equal(view.auto_resolution.label, 'declined');
  assert.equal(view.auto_resolution.applied, false, 'nothing was done to the ticket');
  assert.ok(view.auto_resolution.confidence < 0.99);
  ok(await admin.call('PUT', 'admin/ai', { auto_resolve: { min_confidence: 0.2 } }));
});

test('the metrics count automated answers and their outcomes by day', async () => {
  const m = ok(await supervisor.call('GET', 'ai/metrics?days=2'));
  const today = m.days[1].auto_resolution;
  // confirmed, not helped, replied, confirmed by a thanks, replied with a question, timeout, dropped
  assert.deepEqual(today, {
    answered: 7, confirmed: 2, timed_out: 1, resolved: 3, reopened: 3, pending: 0, resolution_rate: 3 / 7,
    reopen_rate: 3 / 7,
  });
  assert.deepEqual(m.days[0].auto_resolution.answered, 0);
  assert.equal(m.totals.auto_resolution.answered, 7);
});
