// Issue 4, tickets: durability. Several clients create tickets at once; parley is killed with
// SIGKILL in the middle; after a restart every ticket that was answered 201 is there, whole
// (subject and first message), and no ticket exists without its first message.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api } from './lib/server.mjs';
import { ticketServer, ok, until } from './lib/tickets.mjs';

const CLIENTS = 8;

describe('ticket durability across SIGKILL', () => {
  let server; let admin; let t;

  before(async () => {
    t = await ticketServer();
    ({ server, admin } = t);
  });
  after(async () => { await server?.cleanup(); });

  test('every ticket answered 201 before a SIGKILL is there, whole, after a restart', async () => {
    const people = [];
    for (let i = 0; i < CLIENTS; i++) people.push(await t.newUser(i % 2 ? 'customer' : 'agent'));
    const acked = [];
    let attempts = 0;
    let stop = false;
    async function client(who, n) {
      for (let i = 0; !stop; i++) {
        const subject = `durable ${n}-${i} ${'é'.repeat(i % 3)}`;
        const body = `first message of ${n}-${i}\n\n${'x'.repeat((n * 37 + i * 11) % 2000)}`;
        attempts += 1;
        let res;
        try {
          res = await api(server, 'POST', '/api/v1/tickets', { body: { subject, body }, token: who.token });
        } catch {
          return; // the server is gone
        }
        if (res.status === 201) acked.push({ id: res.json.id, subject, body, requester: who });
        else if (res.status >= 500 || res.status === 0) return;
        else assert.fail(`unexpected ${res.status}: ${res.text}`);
      }
    }
    const running = people.map((p, n) => client(p, n));
    // kill once a good number have been answered, while the others are in flight
    await until(() => acked.length >= 60, '60 acknowledged tickets', 30000, 5);
    await server.kill();
    stop = true;
    await Promise.all(running);
    assert.ok(attempts > acked.length, 'some requests were in flight when the server died');

    await server.restart();
    for (const a of acked) {
      const tk = ok(await admin.call('GET', `tickets/${a.id}`));
      assert.equal(tk.subject, a.subject);
      const msgs = ok(await admin.call('GET', `tickets/${a.id}/messages`)).items;
      assert.equal(msgs.length, 1, `ticket ${a.id} has its first message`);
      assert.equal(msgs[0].body, a.body);
      assert.equal(msgs[0].internal, false);
    }
    // nothing half-made: every ticket on the server has its first message
    let cursor = null;
    let total = 0;
    do {
      const page = ok(await admin.call('GET', `tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`));
      for (const tk of page.items) {
        total += 1;
        const msgs = ok(await admin.call('GET', `tickets/${tk.id}/messages`)).items;
        assert.equal(msgs.length, 1, `ticket ${tk.id} is whole`);
      }
      cursor = page.next_cursor;
    } while (cursor);
    assert.ok(total >= acked.length, `${total} tickets, ${acked.length} acknowledged`);
    assert.ok(total <= attempts);
    // and the server takes new tickets after the restart
    ok(await admin.call('POST', 'tickets', { subject: 'after restart', body: 'still here' }), 201);
  });
});
