// Issue 4, tickets: live events (SSE) and who gets them, follow-up reminders, merging,
// satisfaction ratings, collisions (viewers, ETag / If-Match) and rate limits.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ticketServer, newTicket, ok, apiError, until, openEvents } from './lib/tickets.mjs';

describe('live tickets: events, reminders, merge, ratings, collisions, rate limits', () => {
  let server; let admin; let agent; let agent2; let customer; let other; let t;
  const streams = [];
  async function stream(who) {
    const s = await openEvents(server, who);
    streams.push(s);
    return s;
  }

  before(async () => {
    t = await ticketServer();
    ({ server, admin } = t);
    agent = await t.newUser('agent');
    agent2 = await t.newUser('agent');
    customer = await t.newUser('customer');
    other = await t.newUser('customer');
  });
  after(async () => {
    for (const s of streams) s.close();
    await server?.cleanup();
  });

  test('an agent sees a new ticket and a reply within 1 s; customers only their own tickets and no notes', async () => {
    const staff = await stream(agent);
    const mine = await stream(customer);
    const theirs = await stream(other);

    const t0 = Date.now();
    const created = await newTicket(customer, { subject: 'Live one' });
    const ev = await staff.waitFor((e) => e.type === 'ticket.created' && (e.data.id ?? e.data.ticket_id) === created.id, 1000);
    assert.ok(ev.at - t0 <= 1000, `ticket.created arrived after ${ev.at - t0} ms`);
    assert.equal(ev.data.subject, 'Live one', 'staff get the ticket');
    await mine.waitFor((e) => e.type === 'ticket.created' && (e.data.id ?? e.data.ticket_id) === created.id, 1000);

    const secret = `hush${process.pid}`;
    ok(await agent.call('POST', `tickets/${created.id}/messages`, { body: `note ${secret}`, internal: true }), 201);
    const note = await staff.waitFor((e) => e.type === 'message.created' && e.data.body?.includes(secret), 1000);
    assert.equal(note.data.internal, true);
    const t1 = Date.now();
    ok(await agent.call('POST', `tickets/${created.id}/messages`, { body: 'public reply' }), 201);
    const reply = await mine.waitFor((e) => e.type === 'message.created' && e.data.body === 'public reply', 1000);
    assert.ok(reply.at - t1 <= 1000);
    await staff.waitFor((e) => e.type === 'message.created' && e.data.body === 'public reply', 1000);
    ok(await customer.call('POST', `tickets/${created.id}/messages`, { body: 'customer says' }), 201);
    await staff.waitFor((e) => e.type === 'message.created' && e.data.body === 'customer says', 1000);

    // someone else's ticket, then a marker on our own: everything before the marker has arrived
    const foreign = await newTicket(other, { subject: 'Not yours' });
    await theirs.waitFor((e) => e.type === 'ticket.created' && (e.data.id ?? e.data.ticket_id) === foreign.id, 1000);
    ok(await agent.call('PATCH', `tickets/${created.id}`, { priority: 'high' }));
    await mine.waitFor((e) => e.type === 'ticket.updated' && (e.data.id ?? e.data.ticket_id) === created.id, 1000);
    const text = JSON.stringify(mine.events);
    assert.ok(!text.includes(secret), 'no internal note content reaches the customer');
    assert.ok(!mine.events.some((e) => e.data.internal === true), 'no internal note event reaches the customer');
    assert.ok(!mine.events.some((e) => (e.data.id ?? e.data.ticket_id) === foreign.id ||
      e.data.ticket_id === foreign.id), 'no event of another customer\'s ticket');
    assert.ok(!theirs.events.some((e) => e.data.ticket_id === created.id || e.data.id === created.id),
      'the other customer hears nothing of this ticket');
  });

  test('follow-up reminders: the assignee gets reminder.due and the ticket shows in "due reminders"', async () => {
    const s = await stream(agent);
    const other_ = await stream(agent2);
    const tk = await newTicket(customer, { subject: 'Remind me' });
    const inTwo = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toISOString().replace(/\.\d+Z$/, 'Z');
    const set = ok(await agent.call('PATCH', `tickets/${tk.id}`, { assignee_id: agent.id, remind_at: inTwo }));
    assert.equal(set.remind_at, inTwo);
    const due = (list) => list.some((x) => x.id === tk.id);
    assert.ok(!due(ok(await agent.call('GET', 'views/reminders/tickets')).items), 'not due yet');
    const ev = await s.waitFor((e) => e.type === 'reminder.due' && e.data.ticket_id === tk.id, 8000);
    assert.ok(Date.now() >= Date.parse(inTwo), 'not announced before its time');
    assert.equal(ev.data.subject, 'Remind me');
    assert.ok(due(ok(await agent.call('GET', 'views/reminders/tickets')).items), 'shows in due reminders');
    const count = ok(await agent.call('GET', 'views')).items.find((v) => v.id === 'reminders').count;
    assert.ok(count >= 1);
    assert.ok(!due(ok(await agent2.call('GET', 'views/reminders/tickets')).items), 'only the assignee\'s reminders');
    assert.ok(!other_.events.some((e) => e.type === 'reminder.due'), 'other agents are not told');
    // announced once: a later tick does not repeat it
    const before_ = s.events.filter((e) => e.type === 'reminder.due' && e.data.ticket_id === tk.id).length;
    assert.equal(before_, 1);
    // clearing the reminder takes it out of the view
    ok(await agent.call('PATCH', `tickets/${tk.id}`, { remind_at: null }));
    assert.ok(!due(ok(await agent.call('GET', 'views/reminders/tickets')).items));
    apiError(await customer.call('PATCH', `tickets/${tk.id}`, { remind_at: inTwo }), 422, 'validation_failed',
      'remind_at');

    // a reminder that comes due on an unassigned ticket is told to whoever takes the ticket
    const orphan = await newTicket(customer, { subject: 'Nobody yet' });
    const past = new Date(Date.now() - 60000).toISOString().replace(/\.\d+Z$/, 'Z');
    ok(await agent.call('PATCH', `tickets/${orphan.id}`, { remind_at: past }));
    ok(await agent.call('PATCH', `tickets/${orphan.id}`, { assignee_id: agent2.id }));
    await other_.waitFor((e) => e.type === 'reminder.due' && e.data.ticket_id === orphan.id, 8000);
    assert.ok(!s.events.some((e) => e.type === 'reminder.due' && e.data.ticket_id === orphan.id));
  });

  test('merge: messages move, the source is closed and linked, both are audited', async () => {
    const src = await newTicket(customer, { subject: 'Dup', body: 'first of source' });
    ok(await agent.call('POST', `tickets/${src.id}/messages`, { body: 'reply on source' }), 201);
    const dst = await newTicket(customer, { subject: 'Original', body: 'first of target' });
    apiError(await agent.call('POST', `tickets/${src.id}/merge`, { into: src.id }), 422, 'validation_failed', 'into');
    apiError(await agent.call('POST', `tickets/${src.id}/merge`, { into: 99999999 }), 422, 'validation_failed', 'into');
    apiError(await agent.call('POST', `tickets/${src.id}/merge`, {}), 422, 'validation_failed', 'into');
    apiError(await customer.call('POST', `tickets/${src.id}/merge`, { into: dst.id }), 404, 'not_found');
    const merged = ok(await agent.call('POST', `tickets/${src.id}/merge`, { into: dst.id }));
    assert.equal(merged.id, dst.id);
    const bodies = ok(await agent.call('GET', `tickets/${dst.id}/messages`)).items.map((m) => m.body);
    for (const b of ['first of source', 'reply on source', 'first of target']) assert.ok(bodies.includes(b), b);
    assert.equal(ok(await agent.call('GET', `tickets/${src.id}/messages`)).items.length, 0);
    const s = ok(await agent.call('GET', `tickets/${src.id}`));
    assert.equal(s.status, 'closed');
    assert.equal(s.merged_into, dst.id);
    assert.equal(ok(await customer.call('GET', `tickets/${src.id}`)).merged_into, dst.id);
    const srcEvents = ok(await agent.call('GET', `tickets/${src.id}/events`)).items;
    const dstEvents = ok(await agent.call('GET', `tickets/${dst.id}/events`)).items;
    const m1 = srcEvents.find((e) => e.action === 'ticket.merge');
    const m2 = dstEvents.find((e) => e.action === 'ticket.merge');
    assert.ok(m1 && m2, 'both tickets have a merge event');
    assert.equal(m1.new, String(dst.id));
    assert.equal(m2.new, String(src.id));
    assert.equal(m1.actor_id, agent.id);
    apiError(await agent.call('POST', `tickets/${src.id}/merge`, { into: dst.id }), 409, 'conflict');
  });

  test('CSAT: only the requester, only once solved, only once; agents see it', async () => {
    const tk = await newTicket(customer);
    apiError(await customer.call('POST', `tickets/${tk.id}/rating`, { score: 5 }), 422, 'validation_failed');
    ok(await agent.call('PATCH', `tickets/${tk.id}`, { status: 'solved' }));
    apiError(await other.call('POST', `tickets/${tk.id}/rating`, { score: 1 }), 404, 'not_found');
    apiError(await agent.call('POST', `tickets/${tk.id}/rating`, { score: 1 }), 422, 'validation_failed');
    for (const score of [0, 6, 'five', 2.5]) {
      apiError(await customer.call('POST', `tickets/${tk.id}/rating`, { score }), 422, 'validation_failed', 'score');
    }
    apiError(await customer.call('POST', `tickets/${tk.id}/rating`, {}), 422, 'validation_failed', 'score');
    const r = ok(await customer.call('POST', `tickets/${tk.id}/rating`, { score: 4, comment: 'Quick and kind' }), 201);
    assert.equal(r.score, 4);
    apiError(await customer.call('POST', `tickets/${tk.id}/rating`, { score: 5 }), 409, 'conflict');
    const seen = ok(await agent.call('GET', `tickets/${tk.id}`));
    assert.equal(seen.rating.score, 4);
    assert.equal(seen.rating.comment, 'Quick and kind');
    assert.ok(ok(await agent.call('GET', `tickets/${tk.id}/events`)).items.some((e) => e.action === 'ticket.rate'));
    assert.equal(ok(await agent.call('GET', `tickets/${(await newTicket(customer)).id}`)).rating, null);
  });

  test('collision: viewers within 30 s; a stale If-Match is 409 and the current ETag passes', async () => {
    const tk = await newTicket(customer);
    const first = await agent.call('GET', `tickets/${tk.id}`);
    assert.deepEqual(ok(first).viewers, []);
    const second = await agent2.call('GET', `tickets/${tk.id}`);
    const viewers = ok(second).viewers;
    assert.equal(viewers.length, 1);
    assert.equal(viewers[0].user_id, agent.id);
    assert.equal(viewers[0].name, agent.name);
    assert.ok(!('viewers' in ok(await customer.call('GET', `tickets/${tk.id}`))) ||
      ok(await customer.call('GET', `tickets/${tk.id}`)).viewers.length === 0, 'customers are not told who looks');
    const again = ok(await agent.call('GET', `tickets/${tk.id}`)).viewers.map((v) => v.user_id);
    assert.deepEqual(again, [agent2.id], 'the caller is not among the viewers');

    const etag = first.headers.get('etag');
    assert.match(etag, /^"\d+"$/);
    // agent 2 replies first, with the current ETag
    const r2 = await agent2.call('POST', `tickets/${tk.id}/messages`, { body: 'Answer from two' }, { 'If-Match': etag });
    ok(r2, 201);
    // agent 1 answers from the stale page: refused, nothing written
    const count0 = ok(await agent.call('GET', `tickets/${tk.id}/messages`)).items.length;
    apiError(await agent.call('POST', `tickets/${tk.id}/messages`, { body: 'Answer from one' }, { 'If-Match': etag }),
      409, 'conflict');
    assert.equal(ok(await agent.call('GET', `tickets/${tk.id}/messages`)).items.length, count0);
    apiError(await agent.call('PATCH', `tickets/${tk.id}`, { priority: 'low' }, { 'If-Match': etag }), 409, 'conflict');
    assert.equal(ok(await agent.call('GET', `tickets/${tk.id}`)).priority, 'normal');
    // with the fresh ETag both pass, and each answer carries the next ETag
    const fresh = await agent.call('GET', `tickets/${tk.id}`);
    const patched = await agent.call('PATCH', `tickets/${tk.id}`, { priority: 'low' }, { 'If-Match': fresh.headers.get('etag') });
    ok(patched, 200);
    assert.notEqual(patched.headers.get('etag'), fresh.headers.get('etag'));
    assert.equal(patched.headers.get('etag'), `"${patched.json.version}"`);
    // a change that changes nothing keeps the version: it makes nobody's page stale
    const same = await agent.call('PATCH', `tickets/${tk.id}`, { priority: 'low' });
    assert.equal(ok(same).version, patched.json.version);
    assert.equal(same.headers.get('etag'), patched.headers.get('etag'));
    ok(await agent.call('POST', `tickets/${tk.id}/messages`, { body: 'Answer from one' },
      { 'If-Match': patched.headers.get('etag') }), 201);
    // the weak form and a bare version work too
    const v = ok(await agent.call('GET', `tickets/${tk.id}`)).version;
    ok(await agent.call('PATCH', `tickets/${tk.id}`, { priority: 'high' }, { 'If-Match': `W/"${v}"` }));
    apiError(await agent.call('PATCH', `tickets/${tk.id}`, { priority: 'low' }, { 'If-Match': String(v) }), 409,
      'conflict');
    apiError(await agent.call('PATCH', `tickets/${tk.id}`, { priority: 'low' }, { 'If-Match': 'garbage' }), 400,
      'bad_request');

    // If-Match may carry the ticket's updated_at instead of the ETag
    const seen = ok(await agent.call('GET', `tickets/${tk.id}`)).updated_at;
    const sec = Math.floor(Date.now() / 1000);
    await until(() => Math.floor(Date.now() / 1000) > sec, 'the next second', 2000, 20);
    ok(await agent2.call('POST', `tickets/${tk.id}/messages`, { body: 'meanwhile' }), 201);
    apiError(await agent.call('POST', `tickets/${tk.id}/messages`, { body: 'late' }, { 'If-Match': seen }), 409,
      'conflict');
    apiError(await agent.call('PATCH', `tickets/${tk.id}`, { priority: 'urgent' }, { 'If-Match': `"${seen}"` }), 409,
      'conflict');
    const current = ok(await agent.call('GET', `tickets/${tk.id}`)).updated_at;
    assert.notEqual(current, seen);
    ok(await agent.call('PATCH', `tickets/${tk.id}`, { priority: 'urgent' }, { 'If-Match': `"${current}"` }));
  });

  test('rate limits: the 4th creation in a minute is 429 with Retry-After; RateLimit-* headers on limited routes', async () => {
    ok(await admin.call('PATCH', 'admin/settings', { rate_limits: { ticket_create_per_minute: 3 } }));
    try {
      const who = await t.newUser('customer');
      const limits = [];
      for (let i = 0; i < 3; i++) {
        const res = await who.call('POST', 'tickets', { subject: `rl ${i}`, body: 'b' });
        ok(res, 201);
        limits.push(res.headers);
      }
      for (const h of limits) {
        assert.equal(h.get('ratelimit-limit'), '3');
        assert.match(h.get('ratelimit-remaining') || '', /^\d+$/);
        assert.match(h.get('ratelimit-reset') || '', /^\d+$/);
      }
      assert.equal(limits[2].get('ratelimit-remaining'), '0');
      const limited = await who.call('POST', 'tickets', { subject: 'rl 4', body: 'b' });
      apiError(limited, 429, 'rate_limited');
      assert.match(limited.headers.get('retry-after') || '', /^\d+$/);
      assert.ok(Number(limited.headers.get('retry-after')) <= 60);
      assert.equal(limited.headers.get('ratelimit-remaining'), '0');
      const mine = ok(await who.call('GET', 'tickets')).items;
      assert.equal(mine.length, 3, 'the limited request wrote nothing');
      // another user has a limit of their own
      const fresh = await t.newUser('customer');
      ok(await fresh.call('POST', 'tickets', { subject: 'still fine', body: 'b' }), 201);
      // updates are a limited route too
      const upd = await agent.call('PATCH', `tickets/${mine[0].id}`, { priority: 'low' });
      ok(upd);
      assert.match(upd.headers.get('ratelimit-limit') || '', /^\d+$/);
      const msg = await agent.call('POST', `tickets/${mine[0].id}/messages`, { body: 'x' });
      ok(msg, 201);
      assert.match(msg.headers.get('ratelimit-remaining') || '', /^\d+$/);
    } finally {
      ok(await admin.call('PATCH', 'admin/settings', { rate_limits: { ticket_create_per_minute: 1000000 } }));
    }
  });

  test('streams that are open do not stop the server from answering, and they end cleanly', async () => {
    await until(async () => (await newTicket(customer)).id > 0, 'a ticket while streams are open', 2000);
    for (const s of streams) s.close();
  });
});
