// Issue 4, tickets: creation, the ticket object, validation (a failed write writes nothing),
// custom fields, status workflows and priorities, the conversation (Markdown, internal notes),
// what customers may see and change, and the audit trail. Runs on PARLEY_TEST_DB's driver.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './lib/server.mjs';
import { ticketServer, newTicket, countTickets, ok, apiError } from './lib/tickets.mjs';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('tickets: creation, validation, workflow, conversation, visibility, audit', () => {
  let server; let admin; let agent; let agent2; let customer; let other; let team;

  before(async () => {
    const t = await ticketServer();
    ({ server, admin } = t);
    agent = await t.newUser('agent');
    agent2 = await t.newUser('agent');
    customer = await t.newUser('customer');
    other = await t.newUser('customer');
    team = ok(await admin.call('POST', 'teams', { name: 'Billing' }), 201);
  });
  after(async () => { await server?.cleanup(); });

  test('a customer creates a ticket: channel web, status new, the body is the first public message', async () => {
    const t = await newTicket(customer, { subject: 'Printer on fire', body: 'It *smokes*.' });
    for (const k of ['id', 'subject', 'status', 'priority', 'channel', 'requester_id', 'assignee_id', 'team_id',
      'tags', 'custom_fields', 'language', 'category', 'created_at', 'updated_at']) {
      assert.ok(k in t, `the ticket object has ${k}: ${JSON.stringify(t)}`);
    }
    assert.equal(typeof t.id, 'number');
    assert.equal(typeof t.number, 'number', 'a human-facing number');
    assert.equal(t.subject, 'Printer on fire');
    assert.equal(t.status, 'new');
    assert.equal(t.priority, 'normal');
    assert.equal(t.channel, 'web');
    assert.equal(t.requester_id, customer.id);
    assert.equal(t.assignee_id, null);
    assert.equal(t.team_id, null);
    assert.deepEqual(t.tags, []);
    assert.deepEqual(t.custom_fields, {});
    assert.match(t.created_at, RFC3339);
    assert.match(t.updated_at, RFC3339);
    assert.equal(t.first_response_at, null);
    assert.equal(t.solved_at, null);

    const got = ok(await customer.call('GET', `tickets/${t.id}`));
    assert.equal(got.subject, 'Printer on fire');
    const msgs = ok(await customer.call('GET', `tickets/${t.id}/messages`)).items;
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].body, 'It *smokes*.');
    assert.match(msgs[0].body_html, /<em>smokes<\/em>/);
    assert.equal(msgs[0].internal, false);
    assert.equal(msgs[0].author_id, customer.id);
    assert.equal(msgs[0].ticket_id, t.id);
    assert.match(msgs[0].created_at, RFC3339);
  });

  test('an agent creates a ticket on behalf of requester_email: the customer is created, then reused', async () => {
    const email = `walk-in-${process.pid}@example.org`;
    const t = await newTicket(agent, { subject: 'Phoned in', body: 'Caller says hi', requester_email: email,
      priority: 'high', tags: ['Phone', 'phone', ' vip '] });
    assert.notEqual(t.requester_id, agent.id);
    assert.equal(t.priority, 'high');
    assert.equal(t.channel, 'api');
    assert.deepEqual([...t.tags].sort(), ['phone', 'vip'], 'tags are trimmed, lower-cased and unique');
    const u = ok(await admin.call('GET', `users/${t.requester_id}`));
    assert.equal(u.email, email);
    assert.equal(u.role, 'customer');
    const msgs = ok(await agent.call('GET', `tickets/${t.id}/messages`)).items;
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].author_id, t.requester_id, 'the first message is the requester\'s');
    assert.equal(msgs[0].internal, false);
    const again = await newTicket(agent, { requester_email: email.toUpperCase() });
    assert.equal(again.requester_id, t.requester_id, 'the same customer is reused');
  });

  test('a customer cannot open a ticket for someone else', async () => {
    const before_ = await countTickets(admin);
    apiError(await customer.call('POST', 'tickets', { subject: 's', body: 'b', requester_email: 'x@example.com' }),
      422, 'validation_failed', 'requester_email');
    assert.equal(await countTickets(admin), before_);
  });

  test('invalid creations are 422 naming the field and write nothing', async () => {
    const before_ = await countTickets(admin);
    const cases = [
      [{ body: 'no subject' }, 'subject'],
      [{ subject: '   ', body: 'blank subject' }, 'subject'],
      [{ subject: 'x'.repeat(251), body: 'too long' }, 'subject'],
      [{ subject: 'no body' }, 'body'],
      [{ subject: 's', body: 'b', priority: 'apocalyptic' }, 'priority'],
      [{ subject: 's', body: 'b', priority: 7 }, 'priority'],
      [{ subject: 's', body: 'b', tags: 'not-a-list' }, 'tags'],
      [{ subject: 's', body: 'b', tags: ['ok', 'has,comma'] }, 'tags'],
      [{ subject: 's', body: 'b', custom_fields: ['not', 'an', 'object'] }, 'custom_fields'],
      [{ subject: 's', body: 'b', custom_fields: { no_such_field: 1 } }, 'custom_fields.no_such_field'],
      [{ subject: 's', body: 'b', requester_email: 'not an address' }, 'requester_email'],
      [{ subject: 's', body: 'b', channel: 'pigeon' }, 'channel'],
    ];
    for (const [body, field] of cases) {
      const who = field === 'requester_email' ? agent : customer;
      apiError(await who.call('POST', 'tickets', body), 422, 'validation_failed', field);
    }
    apiError(await customer.call('POST', 'tickets', '{"subject": "broken'), 400, 'bad_request');
    assert.equal(await countTickets(admin), before_, 'no half-made ticket');
    // no customer was created for the bad requester_email either
    const users = ok(await admin.call('GET', 'users?q=not%20an%20address'));
    assert.equal(users.items.length, 0);
  });

  test('invalid changes are 422 naming the field and leave the ticket and its audit trail as they were', async () => {
    const t = await newTicket(customer);
    const events0 = ok(await agent.call('GET', `tickets/${t.id}/events`)).items.length;
    const cases = [
      [{ status: 'exploded' }, 'status'],
      [{ priority: 'apocalyptic' }, 'priority'],
      [{ assignee_id: customer.id }, 'assignee_id'],
      [{ assignee_id: 99999999 }, 'assignee_id'],
      [{ assignee_id: 'bob' }, 'assignee_id'],
      [{ team_id: 99999999 }, 'team_id'],
      [{ remind_at: 'tomorrow-ish' }, 'remind_at'],
      [{ remind_at: '2026-13-45T99:00:00Z' }, 'remind_at'],
      [{ subject: 'y'.repeat(251) }, 'subject'],
      [{ subject: '' }, 'subject'],
      [{ tags: [1, 2] }, 'tags'],
      // a valid change followed by an invalid one: nothing of it is kept
      [{ priority: 'urgent', status: 'exploded' }, 'status'],
      [{ subject: 'fine', team_id: 99999999 }, 'team_id'],
    ];
    for (const [body, field] of cases) {
      apiError(await agent.call('PATCH', `tickets/${t.id}`, body), 422, 'validation_failed', field);
    }
    const after_ = ok(await agent.call('GET', `tickets/${t.id}`));
    assert.equal(after_.version, t.version);
    assert.equal(after_.priority, 'normal');
    assert.equal(after_.subject, t.subject);
    assert.equal(ok(await agent.call('GET', `tickets/${t.id}/events`)).items.length, events0);
    apiError(await agent.call('PATCH', 'tickets/99999999', { priority: 'low' }), 404, 'not_found');
  });

  test('custom fields of every type are validated, 422 naming custom_fields.<key>', async () => {
    const defs = [
      { key: 'order_ref', label: 'Order', type: 'text', customer_editable: true },
      { key: 'seats', label: 'Seats', type: 'number' },
      { key: 'due_on', label: 'Due', type: 'date' },
      { key: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'] },
      { key: 'os', label: 'OS', type: 'multiselect', options: ['linux', 'mac', 'windows'] },
      { key: 'vip', label: 'VIP', type: 'checkbox', customer_visible: false },
    ];
    const ids = [];
    for (const d of defs) ids.push(ok(await admin.call('POST', 'admin/fields', d), 201).id);
    apiError(await admin.call('POST', 'admin/fields', { key: 'bad', label: 'Bad', type: 'colour' }), 422, null, 'type');
    apiError(await admin.call('POST', 'admin/fields', { key: 'sel', label: 'S', type: 'select', options: [] }), 422, null,
      'options');
    apiError(await admin.call('POST', 'admin/fields', defs[0]), 409, 'conflict');
    apiError(await agent.call('POST', 'admin/fields', { key: 'x', label: 'X', type: 'text' }), 403, 'forbidden');

    const before_ = await countTickets(admin);
    const bad = [
      ['order_ref', 42], ['order_ref', 'x'.repeat(10001)],
      ['seats', 'three'], ['seats', true],
      ['due_on', '2026-02-30'], ['due_on', '25/11/2026'], ['due_on', '2026-11-25T10:00:00Z'], ['due_on', 20261125],
      ['plan', 'enterprise'], ['plan', ['pro']],
      ['os', 'linux'], ['os', ['linux', 'beos']],
      ['vip', 'yes'], ['vip', 1],
    ];
    for (const [key, value] of bad) {
      apiError(await agent.call('POST', 'tickets', { subject: 's', body: 'b', custom_fields: { [key]: value } }), 422,
        'validation_failed', `custom_fields.${key}`);
    }
    assert.equal(await countTickets(admin), before_, 'no ticket from a failed create');

    const good = { order_ref: 'A-1001', seats: 12.5, due_on: '2026-11-25', plan: 'pro', os: ['linux', 'mac'], vip: true };
    const t = await newTicket(agent, { requester_email: customer.email, custom_fields: good });
    assert.deepEqual(t.custom_fields, good);
    for (const [key, value] of bad) {
      apiError(await agent.call('PATCH', `tickets/${t.id}`, { custom_fields: { [key]: value } }), 422,
        'validation_failed', `custom_fields.${key}`);
    }
    const changed = ok(await agent.call('PATCH', `tickets/${t.id}`, { custom_fields: { seats: 3, os: null } }));
    assert.equal(changed.custom_fields.seats, 3);
    assert.ok(!('os' in changed.custom_fields), 'null removes a value');

    // customers see only visible fields and change only editable ones
    const seen = ok(await customer.call('GET', `tickets/${t.id}`));
    assert.ok(!('vip' in seen.custom_fields), 'a hidden field is not shown to the customer');
    assert.equal(seen.custom_fields.order_ref, 'A-1001');
    const fieldList = ok(await customer.call('GET', 'fields')).items.map((f) => f.key);
    assert.ok(!fieldList.includes('vip'));
    apiError(await customer.call('PATCH', `tickets/${t.id}`, { custom_fields: { seats: 4 } }), 422, 'validation_failed',
      'custom_fields.seats');
    apiError(await customer.call('PATCH', `tickets/${t.id}`, { custom_fields: { vip: false } }), 422,
      'validation_failed', 'custom_fields.vip');
    ok(await customer.call('PATCH', `tickets/${t.id}`, { custom_fields: { order_ref: 'A-1002' } }));
    assert.equal(ok(await agent.call('GET', `tickets/${t.id}`)).custom_fields.order_ref, 'A-1002');

    // a required field must be given on creation, and cannot be cleared
    const req = ok(await admin.call('POST', 'admin/fields', { key: 'product', label: 'Product', type: 'text',
      required: true, customer_editable: true }), 201);
    try {
      const n0 = await countTickets(admin);
      apiError(await customer.call('POST', 'tickets', { subject: 's', body: 'b' }), 422, 'validation_failed',
        'custom_fields.product');
      apiError(await agent.call('POST', 'tickets', { subject: 's', body: 'b', custom_fields: { product: null } }), 422,
        'validation_failed', 'custom_fields.product');
      assert.equal(await countTickets(admin), n0);
      const withIt = await newTicket(customer, { custom_fields: { product: 'Widget' } });
      apiError(await agent.call('PATCH', `tickets/${withIt.id}`, { custom_fields: { product: null } }), 422,
        'validation_failed', 'custom_fields.product');
    } finally {
      await admin.call('DELETE', `admin/fields/${req.id}`);
      for (const id of ids) await admin.call('DELETE', `admin/fields/${id}`);
    }
  });

  test('status workflow: admins add statuses and restrict transitions; a forbidden move is 422 on status', async () => {
    const st = ok(await admin.call('POST', 'admin/statuses', { key: 'awaiting_vendor', label: 'Awaiting vendor',
      category: 'pending' }), 201);
    assert.equal(st.key, 'awaiting_vendor');
    apiError(await admin.call('POST', 'admin/statuses', { key: 'awaiting_vendor', label: 'Again', category: 'pending' }),
      409, 'conflict');
    apiError(await admin.call('POST', 'admin/statuses', { key: 'Bad Key', label: 'x', category: 'pending' }), 422, null,
      'key');
    apiError(await admin.call('POST', 'admin/statuses', { key: 'weird', label: 'x', category: 'limbo' }), 422, null,
      'category');
    apiError(await agent.call('POST', 'admin/statuses', { key: 'sneaky', label: 'x', category: 'open' }), 403,
      'forbidden');
    const keys = ok(await customer.call('GET', 'statuses')).items.map((s) => s.key);
    for (const k of ['new', 'open', 'pending', 'on_hold', 'solved', 'closed', 'awaiting_vendor']) assert.ok(keys.includes(k));

    const t = await newTicket(customer);
    ok(await admin.call('PUT', 'admin/statuses/new/transitions', { to: ['open', 'awaiting_vendor'] }));
    try {
      const listed = ok(await agent.call('GET', 'statuses')).items.find((s) => s.key === 'new');
      assert.deepEqual([...listed.transitions].sort(), ['awaiting_vendor', 'open']);
      apiError(await agent.call('PATCH', `tickets/${t.id}`, { status: 'solved' }), 422, 'validation_failed', 'status');
      assert.equal(ok(await agent.call('GET', `tickets/${t.id}`)).status, 'new');
      const moved = ok(await agent.call('PATCH', `tickets/${t.id}`, { status: 'awaiting_vendor' }));
      assert.equal(moved.status, 'awaiting_vendor');
      apiError(await admin.call('PUT', 'admin/statuses/new/transitions', { to: ['nowhere'] }), 422, null, 'to');
      apiError(await admin.call('PUT', 'admin/statuses/nosuch/transitions', { to: [] }), 404, 'not_found');
    } finally {
      ok(await admin.call('PUT', 'admin/statuses/new/transitions', { to: [] }));
    }
    const free = await newTicket(customer);
    ok(await agent.call('PATCH', `tickets/${free.id}`, { status: 'solved' }), 200);

    // the automatic moves of replies follow the workflow too: where reopening is forbidden,
    // the reply is kept and the status stays
    const waiting = await newTicket(customer);
    ok(await agent.call('PATCH', `tickets/${waiting.id}`, { status: 'pending' }));
    ok(await admin.call('PUT', 'admin/statuses/pending/transitions', { to: ['solved'] }));
    try {
      ok(await customer.call('POST', `tickets/${waiting.id}/messages`, { body: 'any news?' }), 201);
      assert.equal(ok(await agent.call('GET', `tickets/${waiting.id}`)).status, 'pending');
      apiError(await agent.call('POST', `tickets/${waiting.id}/messages`, { body: 'reopen', status: 'open' }), 422,
        'validation_failed', 'status');
    } finally {
      ok(await admin.call('PUT', 'admin/statuses/pending/transitions', { to: [] }));
    }
    ok(await customer.call('POST', `tickets/${waiting.id}/messages`, { body: 'hello?' }), 201);
    assert.equal(ok(await agent.call('GET', `tickets/${waiting.id}`)).status, 'open');
  });

  test('priorities: admins add one, it can be used; unknown ones are 422 on priority', async () => {
    ok(await admin.call('POST', 'admin/priorities', { key: 'critical', label: 'Critical' }), 201);
    apiError(await admin.call('POST', 'admin/priorities', { key: 'critical', label: 'Again' }), 409, 'conflict');
    apiError(await agent.call('POST', 'admin/priorities', { key: 'mine', label: 'Mine' }), 403, 'forbidden');
    const keys = ok(await customer.call('GET', 'priorities')).items.map((p) => p.key);
    assert.deepEqual(keys, ['low', 'normal', 'high', 'urgent', 'critical']);
    const t = await newTicket(agent, { requester_email: customer.email, priority: 'critical' });
    assert.equal(t.priority, 'critical');
    apiError(await agent.call('PATCH', `tickets/${t.id}`, { priority: 'meh' }), 422, 'validation_failed', 'priority');
  });

  test('conversation: Markdown becomes safe body_html; raw HTML and javascript: links are inert', async () => {
    const t = await newTicket(customer);
    const body = '**bold** and [click](javascript:alert(1)) and [ok](https://example.com/x)\n\n' +
      '<script>alert("x")</script>\n\n<img src=x onerror="alert(2)">\n\n<a href="javascript:alert(3)">raw</a>';
    const m = ok(await agent.call('POST', `tickets/${t.id}/messages`, { body }), 201);
    assert.equal(m.body, body, 'the Markdown is kept as written');
    assert.match(m.body_html, /<strong>bold<\/strong>/);
    assert.match(m.body_html, /<a href="https:\/\/example.com\/x">ok<\/a>/);
    assert.doesNotMatch(m.body_html, /<script/i);
    assert.doesNotMatch(m.body_html, /onerror/i);
    assert.doesNotMatch(m.body_html, /javascript:/i);
    assert.doesNotMatch(m.body_html, /<img/i);
    assert.equal(m.internal, false);
    apiError(await agent.call('POST', `tickets/${t.id}/messages`, { body: '' }), 422, 'validation_failed', 'body');
    apiError(await agent.call('POST', `tickets/${t.id}/messages`, {}), 422, 'validation_failed', 'body');
    apiError(await agent.call('POST', 'tickets/99999999/messages', { body: 'x' }), 404, 'not_found');
  });

  test('workflow of replies: an agent\'s public reply opens a new ticket and sets first_response_at; a customer reply reopens', async () => {
    const t = await newTicket(customer);
    ok(await agent.call('POST', `tickets/${t.id}/messages`, { body: 'note first', internal: true }), 201);
    let now = ok(await agent.call('GET', `tickets/${t.id}`));
    assert.equal(now.status, 'new', 'an internal note does not open the ticket');
    assert.equal(now.first_response_at, null, 'an internal note is not a response');
    ok(await agent.call('POST', `tickets/${t.id}/messages`, { body: 'We are on it' }), 201);
    now = ok(await agent.call('GET', `tickets/${t.id}`));
    assert.equal(now.status, 'open');
    assert.match(now.first_response_at, RFC3339);
    const first = now.first_response_at;
    ok(await agent.call('POST', `tickets/${t.id}/messages`, { body: 'Waiting for you', status: 'pending' }), 201);
    assert.equal(ok(await agent.call('GET', `tickets/${t.id}`)).status, 'pending');
    ok(await customer.call('POST', `tickets/${t.id}/messages`, { body: 'Here you go' }), 201);
    now = ok(await agent.call('GET', `tickets/${t.id}`));
    assert.equal(now.status, 'open', 'a customer reply reopens a pending ticket');
    assert.equal(now.first_response_at, first, 'first_response_at is set once');
    ok(await agent.call('PATCH', `tickets/${t.id}`, { status: 'solved' }));
    assert.match(ok(await agent.call('GET', `tickets/${t.id}`)).solved_at, RFC3339);
    ok(await customer.call('POST', `tickets/${t.id}/messages`, { body: 'Still broken' }), 201);
    now = ok(await agent.call('GET', `tickets/${t.id}`));
    assert.equal(now.status, 'open', 'a customer reply reopens a solved ticket');
    assert.equal(now.solved_at, null);
    // customers may solve their own ticket but not put it on hold
    apiError(await customer.call('PATCH', `tickets/${t.id}`, { status: 'on_hold' }), 422, 'validation_failed', 'status');
    assert.equal(ok(await customer.call('PATCH', `tickets/${t.id}`, { status: 'solved' })).status, 'solved');
  });

  test('internal notes never reach a customer: message list, search, ticket list, counts', async () => {
    const secret = `zebracorn${process.pid}`;
    const t = await newTicket(customer, { subject: 'Plain subject' });
    const note = ok(await agent.call('POST', `tickets/${t.id}/messages`, { body: `staff only ${secret}`, internal: true }),
      201);
    assert.equal(note.internal, true);
    ok(await agent.call('POST', `tickets/${t.id}/messages`, { body: 'public answer' }), 201);
    apiError(await customer.call('POST', `tickets/${t.id}/messages`, { body: 'me too', internal: true }), 422,
      'validation_failed', 'internal');

    const staffMsgs = ok(await agent.call('GET', `tickets/${t.id}/messages`)).items;
    assert.equal(staffMsgs.length, 3);
    assert.ok(staffMsgs.some((m) => m.internal && m.body.includes(secret)));
    const custMsgs = ok(await customer.call('GET', `tickets/${t.id}/messages`)).items;
    assert.equal(custMsgs.length, 2, 'the customer sees the two public messages only');
    assert.ok(custMsgs.every((m) => !m.internal && !m.body.includes(secret)));
    // paging does not reveal it either
    const p1 = ok(await customer.call('GET', `tickets/${t.id}/messages?limit=1`));
    assert.equal(p1.items.length, 1);
    const p2 = ok(await customer.call('GET', `tickets/${t.id}/messages?limit=1&cursor=${p1.next_cursor}`));
    assert.ok(p2.items.every((m) => !m.internal));

    const staffHits = ok(await agent.call('GET', `tickets?q=${secret}`)).items.map((x) => x.id);
    assert.deepEqual(staffHits, [t.id], 'agents find tickets by their internal notes');
    const custHits = ok(await customer.call('GET', `tickets?q=${secret}`)).items;
    assert.equal(custHits.length, 0, 'a customer\'s search does not match internal notes');
    assert.deepEqual(ok(await customer.call('GET', 'tickets?q=public%20answer')).items.map((x) => x.id), [t.id]);
    assert.ok(!JSON.stringify(ok(await customer.call('GET', `tickets/${t.id}`))).includes(secret));
    assert.ok(!JSON.stringify(ok(await customer.call('GET', 'tickets'))).includes(secret));
  });

  test('customers get 404 for other people\'s tickets and 422 for fields they may not change', async () => {
    const mine = await newTicket(customer);
    const theirs = await newTicket(other);
    apiError(await customer.call('GET', `tickets/${theirs.id}`), 404, 'not_found');
    apiError(await customer.call('PATCH', `tickets/${theirs.id}`, { status: 'solved' }), 404, 'not_found');
    apiError(await customer.call('GET', `tickets/${theirs.id}/messages`), 404, 'not_found');
    apiError(await customer.call('POST', `tickets/${theirs.id}/messages`, { body: 'hi' }), 404, 'not_found');
    ok(await agent.call('PATCH', `tickets/${theirs.id}`, { status: 'solved' }));
    apiError(await customer.call('POST', `tickets/${theirs.id}/rating`, { score: 1 }), 404, 'not_found');
    assert.equal(ok(await other.call('GET', `tickets/${theirs.id}`)).id, theirs.id);
    const listed = ok(await customer.call('GET', `tickets?requester_id=${other.id}&limit=200`)).items;
    assert.ok(listed.every((x) => x.requester_id === customer.id), 'a customer lists only their own tickets');
    assert.ok(!listed.some((x) => x.id === theirs.id));
    assert.ok(listed.some((x) => x.id === mine.id));
    apiError(await customer.call('GET', `tickets/${mine.id}/events`), 404, 'not_found');

    for (const [body, field] of [[{ assignee_id: agent.id }, 'assignee_id'], [{ priority: 'urgent' }, 'priority'],
      [{ tags: ['vip'] }, 'tags'], [{ team_id: team.id }, 'team_id'], [{ subject: 'mine now' }, 'subject']]) {
      apiError(await customer.call('PATCH', `tickets/${mine.id}`, body), 422, 'validation_failed', field);
    }
    const unchanged = ok(await agent.call('GET', `tickets/${mine.id}`));
    assert.equal(unchanged.assignee_id, null);
    assert.equal(unchanged.priority, 'normal');
    assert.equal(unchanged.version, mine.version);
  });

  test('the audit trail has the creation and every changed field with old, new and actor; the chain verifies', async () => {
    const t = await newTicket(customer, { subject: 'Audit me' });
    ok(await agent.call('PATCH', `tickets/${t.id}`, { status: 'open', priority: 'high', assignee_id: agent2.id,
      team_id: team.id, tags: ['a', 'b'], subject: 'Audit me more', remind_at: '2030-01-02T03:04:05Z' }));
    ok(await agent2.call('PATCH', `tickets/${t.id}`, { assignee_id: null, priority: 'high' }));
    ok(await agent.call('POST', `tickets/${t.id}/messages`, { body: 'a note', internal: true }), 201);
    const events = ok(await agent.call('GET', `tickets/${t.id}/events?limit=200`)).items;
    for (const e of events) {
      assert.match(e.at, RFC3339);
      assert.equal(typeof e.id, 'number');
    }
    const find = (action, field, actor) => events.find((e) => e.action === action && e.field === field &&
      (actor === undefined || e.actor_id === actor));
    const created = events.find((e) => e.action === 'ticket.create');
    assert.ok(created, `a create event: ${JSON.stringify(events)}`);
    assert.equal(created.actor_id, customer.id);
    const expect = [
      ['status', 'new', 'open'], ['priority', 'normal', 'high'], ['assignee_id', null, String(agent2.id)],
      ['team_id', null, String(team.id)], ['subject', 'Audit me', 'Audit me more'],
      ['remind_at', null, '2030-01-02T03:04:05Z'],
    ];
    for (const [field, old, neu] of expect) {
      const e = find('ticket.update', field, agent.id);
      assert.ok(e, `an update event for ${field}: ${JSON.stringify(events)}`);
      assert.equal(e.old, old, `old ${field}`);
      assert.equal(e.new, neu, `new ${field}`);
    }
    const tags = find('ticket.update', 'tags', agent.id);
    assert.deepEqual(JSON.parse(tags.new), ['a', 'b']);
    const unassigned = find('ticket.update', 'assignee_id', agent2.id);
    assert.equal(unassigned.old, String(agent2.id));
    assert.equal(unassigned.new, null);
    assert.equal(events.filter((e) => e.field === 'priority').length, 1, 'an unchanged value writes no event');
    assert.ok(events.some((e) => e.action === 'ticket.note' && e.actor_id === agent.id));
    apiError(await agent.call('GET', 'tickets/99999999/events'), 404, 'not_found');

    const r = await runCli(server, ['audit', 'verify']);
    assert.equal(r.code, 0, `audit verify: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /intact/);
  });
});
