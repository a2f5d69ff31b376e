// People are shown by name: ticket requesters and assignees, message authors, and the staff
// directory agents read to assign tickets. Emails of requesters go to staff only.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ticketServer, newTicket, ok, apiError } from './lib/tickets.mjs';

describe('names of people', () => {
  let server; let agent; let customer; let admin;

  before(async () => {
    const t = await ticketServer();
    ({ server, admin } = t);
    agent = await t.newUser('agent', { name: 'Ada Agent' });
    customer = await t.newUser('customer', { name: 'Carl Customer' });
  });
  after(async () => { await server?.cleanup(); });

  test('tickets carry the requester (email for staff only) and the assignee name', async () => {
    const t = await newTicket(customer, { subject: 'Names please' });
    assert.deepEqual(t.requester, { id: customer.id, name: 'Carl Customer' });
    ok(await agent.call('PATCH', `tickets/${t.id}`, { assignee_id: agent.id }));
    const seen = ok(await agent.call('GET', `tickets/${t.id}`));
    assert.equal(seen.requester.name, 'Carl Customer');
    assert.match(seen.requester.email, /@example\.com$/);
    assert.equal(seen.assignee_name, 'Ada Agent');
    const list = ok(await customer.call('GET', 'tickets'));
    assert.equal(list.items[0].requester.email, undefined, 'customers get no emails');
    assert.equal(list.items[0].assignee_name, 'Ada Agent');
  });

  test('messages carry the author name', async () => {
    const t = await newTicket(customer, { body: 'first words' });
    ok(await agent.call('POST', `tickets/${t.id}/messages`, { body: 'hello from Ada' }), 201);
    const msgs = ok(await customer.call('GET', `tickets/${t.id}/messages`)).items;
    assert.deepEqual(msgs.map((m) => m.author_name), ['Carl Customer', 'Ada Agent']);
  });

  test('the staff directory lists active staff by name for agents, not for customers', async () => {
    const staff = ok(await agent.call('GET', 'staff')).items;
    const names = staff.map((s) => s.name);
    assert.ok(names.includes('Ada Agent'));
    assert.ok(!names.includes('Carl Customer'), 'customers are not staff');
    for (const s of staff) assert.deepEqual(Object.keys(s).sort(), ['id', 'name', 'role', 'skills', 'team_ids']);
    apiError(await customer.call('GET', 'staff'), 404, 'not_found');
    ok(await admin.call('PATCH', `users/${agent.id}`, { active: false }));
    assert.ok(!ok(await admin.call('GET', 'staff')).items.some((s) => s.name === 'Ada Agent'), 'inactive staff leave');
  });
});
