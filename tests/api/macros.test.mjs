// Macros: personal and shared templates with placeholders and ticket actions. Who may manage
// which, validation naming the field, and applying one to a ticket (the body filled in, the
// actions in one audited change, all or nothing).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ticketServer, newTicket, ok, apiError } from './lib/tickets.mjs';

describe('macros', () => {
  let server; let admin; let agent; let other; let customer; let teamId;

  before(async () => {
    const t = await ticketServer();
    ({ server, admin } = t);
    agent = await t.newUser('agent', { name: 'Ada Lovelace' });
    other = await t.newUser('agent', { name: 'Otto Other' });
    customer = await t.newUser('customer', { name: 'Carl Customer' });
    teamId = ok(await admin.call('POST', 'teams', { name: 'Billing' }), 201).id;
  });
  after(async () => { await server?.cleanup(); });

  test('agents keep personal macros; others do not see them', async () => {
    const m = ok(await agent.call('POST', 'macros', { name: 'Thanks', body: 'Thanks {{requester.first_name}}!' }), 201);
    assert.equal(m.name, 'Thanks');
    assert.equal(m.shared, false);
    assert.equal(m.owner_id, agent.id);
    assert.deepEqual(m.actions, {});
    const mine = ok(await agent.call('GET', 'macros'));
    assert.ok(mine.items.some((x) => x.id === m.id));
    assert.ok(mine.placeholders.includes('ticket.number'));
    assert.ok(!ok(await other.call('GET', 'macros')).items.some((x) => x.id === m.id), 'personal stays personal');
    apiError(await other.call('PATCH', `macros/${m.id}`, { name: 'Mine now' }), 404, 'not_found');
    apiError(await other.call('DELETE', `macros/${m.id}`), 404, 'not_found');
    const changed = ok(await agent.call('PATCH', `macros/${m.id}`, { name: 'Thank you' }));
    assert.equal(changed.name, 'Thank you');
    assert.equal(changed.body, 'Thanks {{requester.first_name}}!', 'a PATCH keeps what it does not name');
    ok(await agent.call('DELETE', `macros/${m.id}`), 204);
    apiError(await agent.call('PATCH', `macros/${m.id}`, { name: 'x' }), 404, 'not_found');
  });

  test('admins manage shared macros; agents use them but may not change them', async () => {
    apiError(await agent.call('POST', 'macros', { name: 'Team', body: 'x', shared: true }), 403, 'forbidden', 'shared');
    const m = ok(await admin.call('POST', 'macros', { name: 'Shared hello', body: 'Hello', shared: true }), 201);
    assert.equal(m.shared, true);
    assert.equal(m.owner_id, null);
    assert.ok(ok(await agent.call('GET', 'macros')).items.some((x) => x.id === m.id), 'every agent sees it');
    apiError(await agent.call('PATCH', `macros/${m.id}`, { name: 'Mine' }), 403, 'forbidden');
    apiError(await agent.call('DELETE', `macros/${m.id}`), 403, 'forbidden');
    const personal = ok(await agent.call('POST', 'macros', { name: 'P', body: 'p' }), 201);
    apiError(await agent.call('PATCH', `macros/${personal.id}`, { shared: true }), 403, 'forbidden', 'shared');
    ok(await admin.call('DELETE', `macros/${m.id}`), 204);
  });

  test('the list pages with next_cursor', async () => {
    const names = ['Page A', 'Page B', 'Page C'];
    for (const name of names) ok(await other.call('POST', 'macros', { name, body: name }), 201);
    const seen = [];
    let cursor = null;
    for (let i = 0; i < 10; i++) {
      const page = ok(await other.call('GET', `macros?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((m) => m.name));
      cursor = page.next_cursor;
      if (!cursor) break;
      assert.equal(typeof cursor, 'string');
    }
    for (const name of names) assert.ok(seen.includes(name), `${name} on some page: ${seen}`);
    assert.equal(new Set(seen).size, seen.length, 'no macro twice');
  });

  test('customers get 404 on every macro route', async () => {
    apiError(await customer.call('GET', 'macros'), 404, 'not_found');
    apiError(await customer.call('POST', 'macros', { name: 'x', body: 'y' }), 404, 'not_found');
    apiError(await customer.call('POST', 'macros/1/apply', { ticket_id: 1 }), 404, 'not_found');
  });

  test('validation names the field', async () => {
    const cases = [
      [{ body: 'x' }, 'name'],
      [{ name: '   ', body: 'x' }, 'name'],
      [{ name: 'x'.repeat(101), body: 'x' }, 'name'],
      [{ name: 'n', body: 5 }, 'body'],
      [{ name: 'n', body: 'Hi {{requester.shoe_size}}' }, 'body'],
      [{ name: 'n', body: 'Hi {{requester.name' }, 'body'],
      [{ name: 'n', body: '' }, 'body'],
      [{ name: 'n', body: 'x', shared: 'yes' }, 'shared'],
      [{ name: 'n', body: 'x', actions: [] }, 'actions'],
      [{ name: 'n', body: 'x', actions: { colour: 'red' } }, 'actions'],
      [{ name: 'n', body: 'x', actions: { status: 'teleported' } }, 'actions.status'],
      [{ name: 'n', body: 'x', actions: { priority: 'whenever' } }, 'actions.priority'],
      [{ name: 'n', body: 'x', actions: { add_tags: 'vip' } }, 'actions.add_tags'],
      [{ name: 'n', body: 'x', actions: { remove_tags: ['a,b'] } }, 'actions.remove_tags'],
      [{ name: 'n', body: 'x', actions: { assignee_id: customer.id } }, 'actions.assignee_id'],
      [{ name: 'n', body: 'x', actions: { assignee_id: 'you' } }, 'actions.assignee_id'],
      [{ name: 'n', body: 'x', actions: { team_id: 999999 } }, 'actions.team_id'],
    ];
    for (const [body, field] of cases) {
      const err = apiError(await agent.call('POST', 'macros', body), 422, 'validation_failed', field);
      assert.ok(err.message.length > 5, JSON.stringify(body));
    }
    const m = ok(await agent.call('POST', 'macros', { name: 'ok', body: 'ok' }), 201);
    apiError(await agent.call('PATCH', `macros/${m.id}`, { actions: { status: 'nope' } }), 422, 'validation_failed',
      'actions.status');
    assert.deepEqual(ok(await agent.call('GET', 'macros')).items.find((x) => x.id === m.id).actions, {},
      'a refused change leaves the macro as it was');
  });

  test('applying fills the placeholders and applies the actions in one audited change', async () => {
    const t = await newTicket(customer, { subject: 'Invoice twice', tags: ['billing', 'new-customer'] });
    const m = ok(await agent.call('POST', 'macros', {
      name: 'Refund',
      body: 'Hi {{requester.first_name}}, ticket #{{ ticket.number }} ({{ticket.subject}}) is now {{ticket.status}}.'
        + ' — {{agent.name}} <{{agent.email}}>',
      actions: { status: 'pending', priority: 'high', add_tags: ['refund', 'Billing'], remove_tags: ['new-customer'],
        assignee_id: 'me', team_id: teamId },
    }), 201);
    const res = ok(await agent.call('POST', `macros/${m.id}/apply`, { ticket_id: t.id }));
    assert.equal(res.body, `Hi Carl, ticket #${t.id} (Invoice twice) is now pending.`
      + ` — Ada Lovelace <${agent.email}>`);
    assert.equal(res.ticket.status, 'pending');
    assert.equal(res.ticket.priority, 'high');
    assert.deepEqual([...res.ticket.tags].sort(), ['billing', 'refund']);
    assert.equal(res.ticket.assignee_id, agent.id);
    assert.equal(res.ticket.team_id, teamId);
    const events = ok(await agent.call('GET', `tickets/${t.id}/events`)).items;
    const macro = events.find((e) => e.action === 'ticket.macro');
    assert.ok(macro, `a macro event: ${JSON.stringify(events)}`);
    assert.equal(macro.new, 'Refund');
    assert.equal(macro.actor_id, agent.id);
    for (const field of ['status', 'priority', 'assignee_id', 'team_id', 'tags'])
      assert.ok(events.some((e) => e.field === field), `audited change of ${field}`);
    const msgs = ok(await agent.call('GET', `tickets/${t.id}/messages`)).items;
    assert.equal(msgs.length, 1, 'applying does not send anything: the body goes to the composer');
  });

  test('a failing action changes nothing (one transaction) and a stale version is a conflict', async () => {
    const t = await newTicket(customer, { subject: 'Atomic' });
    const m = ok(await agent.call('POST', 'macros', { name: 'Pend', body: '', actions: { status: 'pending', priority: 'urgent' } }), 201);
    ok(await admin.call('PUT', 'admin/statuses/new/transitions', { to: ['open'] }));
    try {
      const err = apiError(await agent.call('POST', `macros/${m.id}/apply`, { ticket_id: t.id }), 422, 'validation_failed');
      assert.equal(err.field, 'status');
      const after = ok(await agent.call('GET', `tickets/${t.id}`));
      assert.equal(after.priority, 'normal', 'the priority did not change either');
      assert.ok(!ok(await agent.call('GET', `tickets/${t.id}/events`)).items.some((e) => e.action === 'ticket.macro'));
    } finally {
      ok(await admin.call('PUT', 'admin/statuses/new/transitions', { to: [] }));
    }
    const cur = ok(await agent.call('GET', `tickets/${t.id}`));
    apiError(await agent.call('POST', `macros/${m.id}/apply`, { ticket_id: t.id, version: cur.version + 5 }), 409, 'conflict');
    const res = ok(await agent.call('POST', `macros/${m.id}/apply`, { ticket_id: t.id, version: cur.version }));
    assert.equal(res.body, '');
    assert.equal(res.ticket.status, 'pending');
  });

  test('apply checks the ticket and the macro', async () => {
    const m = ok(await agent.call('POST', 'macros', { name: 'Plain', body: 'plain' }), 201);
    apiError(await agent.call('POST', `macros/${m.id}/apply`, {}), 422, 'validation_failed', 'ticket_id');
    apiError(await agent.call('POST', `macros/${m.id}/apply`, { ticket_id: 999999 }), 404, 'not_found');
    const t = await newTicket(customer, {});
    apiError(await other.call('POST', `macros/${m.id}/apply`, { ticket_id: t.id }), 404, 'not_found');
    // a macro without actions only fills the composer: the ticket stays as it was
    const res = ok(await agent.call('POST', `macros/${m.id}/apply`, { ticket_id: t.id }));
    assert.equal(res.body, 'plain');
    assert.equal(res.ticket.version, t.version);
    assert.equal(res.ticket.status, t.status);
  });
});
