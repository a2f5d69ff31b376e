// Several nodes on one PostgreSQL database: live events published on one node reach the
// streams of the others (NOTIFY/LISTEN), with the same visibility rules. PostgreSQL only.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dbKind, startServer } from './lib/server.mjs';
import { ticketServer, newTicket, openEvents, signIn, ok, PW } from './lib/tickets.mjs';

describe('live events across nodes', { skip: dbKind !== 'postgres' && 'needs PostgreSQL (PARLEY_TEST_DB=postgres)' }, () => {
  let a; let b; let agentOnB; let customer; let otherOnB; const streams = [];

  before(async () => {
    const t = await ticketServer();
    a = t.server;
    const agent = await t.newUser('agent', { email: `node-agent-${process.pid}@example.com` });
    customer = await t.newUser('customer');
    const other = await t.newUser('customer', { email: `node-other-${process.pid}@example.com` });
    b = await startServer({ store: a.store });
    agentOnB = await signIn(b, agent.email, PW);
    otherOnB = await signIn(b, other.email, PW);
  });
  after(async () => {
    for (const s of streams) s.close();
    await b?.stop();
    await a?.cleanup();
  });

  test('a ticket created on node A reaches an agent streaming from node B within a second', async () => {
    const agentStream = await openEvents(b, agentOnB);
    const otherStream = await openEvents(b, otherOnB);
    streams.push(agentStream, otherStream);
    const started = Date.now();
    const t = await newTicket(customer, { subject: 'Across nodes' });
    const e = await agentStream.waitFor((ev) => ev.type === 'ticket.created' && ev.data.id === t.id, 3000);
    assert.ok(e.at - started < 1500, `arrived after ${e.at - started} ms`);
    // an internal note reaches staff on B, never another customer there
    ok(await agentOnB.call('POST', `tickets/${t.id}/messages`, { body: 'private', internal: true }), 201);
    const note = await agentStream.waitFor((ev) => ev.type === 'message.created' && ev.data.internal === true, 3000);
    assert.equal(note.data.ticket_id, t.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!otherStream.events.some((ev) => ev.type !== 'message' && JSON.stringify(ev.data).includes(String(t.id))),
      'another customer hears nothing of this ticket');
  });
});
