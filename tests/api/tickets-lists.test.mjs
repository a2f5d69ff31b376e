// Issue 4, tickets: lists (every filter of API.md, sorting, cursor paging, limits), saved
// views (personal and shared, live counts, the built-in ones) and bulk changes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ticketServer, newTicket, ok, apiError, until } from './lib/tickets.mjs';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const N = 55;

describe('ticket lists, views and bulk', () => {
  let server; let admin; let a1; let a2; let c1; let c2; let t1; let t2;
  let tickets = []; // as the server has them after seeding

  /** Every ticket (as an agent sees it), fresh. */
  async function all() {
    const out = [];
    for (const t of tickets) out.push(ok(await a1.call('GET', `tickets/${t.id}`)));
    return out;
  }

  /** The ids a list answers, walking every page. */
  async function listIds(who, query, limit = 200) {
    const ids = [];
    let cursor = null;
    for (let pages = 0; pages < 100; pages++) {
      const sep = query ? '&' : '';
      const page = ok(await who.call('GET', `tickets?${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
      assert.ok(page.items.length <= limit);
      ids.push(...page.items.map((t) => t.id));
      cursor = page.next_cursor;
      if (!cursor) return ids;
    }
    throw new Error('more than 100 pages');
  }

  const idsOf = (list) => list.map((t) => t.id).sort((a, b) => a - b);
  const sorted = (ids) => [...ids].sort((a, b) => a - b);

  before(async () => {
    const t = await ticketServer();
    ({ server, admin } = t);
    a1 = await t.newUser('agent');
    a2 = await t.newUser('agent');
    c1 = await t.newUser('customer');
    c2 = await t.newUser('customer');
    t1 = ok(await admin.call('POST', 'teams', { name: 'One' }), 201);
    t2 = ok(await admin.call('POST', 'teams', { name: 'Two' }), 201);
    for (let i = 0; i < N; i++) {
      const subject = i % 7 === 0 ? `Gizmo trouble ${i}` : `Widget ${i}`;
      const body = i % 8 === 0 ? `The flux capacitor of ${i} is off` : `Plain body ${i}`;
      const created = await newTicket(i % 2 ? c1 : c2, { subject, body });
      const change = { priority: PRIORITIES[i % 4] };
      if (i % 3 === 0) change.status = 'open';
      if (i % 3 === 1) change.status = 'pending';
      if (i % 4 === 0) change.assignee_id = a1.id;
      if (i % 4 === 1) change.assignee_id = a2.id;
      if (i % 5 === 0) change.team_id = t1.id;
      if (i % 5 === 1) change.team_id = t2.id;
      if (i % 2 === 0) change.tags = i % 6 === 0 ? ['even', 'six'] : ['even'];
      tickets.push(ok(await admin.call('PATCH', `tickets/${created.id}`, change)));
    }
  });
  after(async () => { await server?.cleanup(); });

  test('every filter of API.md answers exactly the matching tickets', async () => {
    const everything = await all();
    const cases = [
      ['status=open', (t) => t.status === 'open'],
      ['status=open,pending', (t) => t.status === 'open' || t.status === 'pending'],
      ['status=new', (t) => t.status === 'new'],
      ['priority=high', (t) => t.priority === 'high'],
      [`assignee_id=${a2.id}`, (t) => t.assignee_id === a2.id],
      ['assignee_id=me', (t) => t.assignee_id === a1.id],
      ['assignee_id=none', (t) => t.assignee_id === null],
      [`team_id=${t1.id}`, (t) => t.team_id === t1.id],
      ['tag=six', (t) => t.tags.includes('six')],
      ['tag=even', (t) => t.tags.includes('even')],
      [`requester_id=${c1.id}`, (t) => t.requester_id === c1.id],
      ['q=gizmo', (t) => /gizmo/i.test(t.subject)],
      ['q=FLUX%20capacitor', (t) => [0, 8, 16, 24, 32, 40, 48].map((i) => tickets[i].id).includes(t.id)],
      [`status=open&priority=low&team_id=${t1.id}`, (t) => t.status === 'open' && t.priority === 'low' && t.team_id === t1.id],
      ['assignee_id=none&tag=even&status=pending,new', (t) => t.assignee_id === null && t.tags.includes('even') &&
        ['pending', 'new'].includes(t.status)],
    ];
    for (const [query, pred] of cases) {
      const want = idsOf(everything.filter(pred));
      assert.ok(want.length > 0 || query.includes('low'), `the seed has matches for ${query}`);
      assert.deepEqual(sorted(await listIds(a1, query)), want, query);
    }
    // a customer's filters apply within their own tickets
    assert.deepEqual(sorted(await listIds(c1, 'priority=high')),
      idsOf(everything.filter((t) => t.requester_id === c1.id && t.priority === 'high')));
    apiError(await a1.call('GET', 'tickets?assignee_id=someone'), 400, 'bad_request', 'assignee_id');
    apiError(await a1.call('GET', 'tickets?team_id=x'), 400, 'bad_request', 'team_id');
    apiError(await a1.call('GET', 'tickets?sort=priority'), 400, 'bad_request', 'sort');
  });

  test('limit: default 50, at most 200; bad values are 400', async () => {
    const page = ok(await a1.call('GET', 'tickets'));
    assert.equal(page.items.length, 50);
    assert.equal(typeof page.next_cursor, 'string');
    const big = ok(await a1.call('GET', 'tickets?limit=200'));
    assert.equal(big.items.length, N);
    assert.equal(big.next_cursor, null);
    for (const bad of ['0', '201', '-1', 'abc', '1000']) {
      apiError(await a1.call('GET', `tickets?limit=${bad}`), 400, 'bad_request', 'limit');
    }
    apiError(await a1.call('GET', 'tickets?cursor=garbage'), 400, 'bad_request', 'cursor');
  });

  test('sorting and cursor paging walk every ticket once, in order, for each sort', async () => {
    // make updated_at differ from creation order: touch the oldest ticket in a later second
    const start = Math.floor(Date.now() / 1000);
    await until(() => Math.floor(Date.now() / 1000) > start, 'the next second', 2000, 20);
    ok(await a1.call('PATCH', `tickets/${tickets[0].id}`, { subject: 'Touched last' }));
    const everything = await all();
    const key = (t, f) => Date.parse(t[f]);
    for (const sort of ['created_at', '-created_at', 'updated_at', '-updated_at']) {
      const f = sort.replace('-', '');
      const dir = sort.startsWith('-') ? -1 : 1;
      const want = [...everything].sort((a, b) => dir * (key(a, f) - key(b, f) || a.id - b.id)).map((t) => t.id);
      for (const limit of [7, 50]) {
        const got = await listIds(a1, `sort=${sort}`, limit);
        assert.equal(new Set(got).size, got.length, `no duplicates (${sort}, limit ${limit})`);
        assert.deepEqual(got, want, `order and completeness for ${sort}, limit ${limit}`);
      }
    }
    const newest = ok(await a1.call('GET', 'tickets?sort=-updated_at&limit=1')).items[0];
    assert.equal(newest.id, tickets[0].id);
    const first = ok(await a1.call('GET', 'tickets?limit=1')).items[0];
    assert.equal(first.id, tickets[N - 1].id, 'the default sort is newest first');
    // paging with a filter stays inside the filter
    const evens = await listIds(a1, 'tag=even&sort=updated_at', 4);
    assert.deepEqual(sorted(evens), idsOf(everything.filter((t) => t.tags.includes('even'))));
  });

  test('saved views: personal and shared, live counts, their tickets', async () => {
    const mine = ok(await a1.call('POST', 'views', { name: 'Urgent ones', filters: { priority: 'urgent' } }), 201);
    const shared = ok(await a1.call('POST', 'views', { name: 'My open', filters: { assignee_id: 'me', status: 'open' },
      shared: true }), 201);
    apiError(await a1.call('POST', 'views', { name: 'Bad', filters: { colour: 'red' } }), 422, 'validation_failed',
      'filters.colour');
    apiError(await a1.call('POST', 'views', { filters: {} }), 422, 'validation_failed', 'name');
    apiError(await a1.call('POST', 'views', { name: 'No filters' }), 422, 'validation_failed', 'filters');
    apiError(await c1.call('GET', 'views'), 404, 'not_found');

    const everything = await all();
    const count = (pred) => everything.filter(pred).length;
    const v1 = ok(await a1.call('GET', 'views')).items;
    const byId = (list, id) => list.find((v) => String(v.id) === String(id));
    assert.equal(byId(v1, mine.id).count, count((t) => t.priority === 'urgent'));
    assert.equal(byId(v1, shared.id).count, count((t) => t.assignee_id === a1.id && t.status === 'open'));
    const openCat = (t) => !['solved', 'closed'].includes(t.status);
    assert.equal(byId(v1, 'mine').count, count((t) => t.assignee_id === a1.id && openCat(t)));
    assert.equal(byId(v1, 'unassigned').count, count((t) => t.assignee_id === null && openCat(t)));
    assert.equal(byId(v1, 'reminders').count, 0);

    const v2 = ok(await a2.call('GET', 'views')).items;
    assert.equal(byId(v2, mine.id), undefined, 'a personal view is its owner\'s alone');
    assert.equal(byId(v2, shared.id).count, count((t) => t.assignee_id === a2.id && t.status === 'open'),
      'a shared view counts for whoever looks');
    apiError(await a2.call('GET', `views/${mine.id}/tickets`), 404, 'not_found');

    const listed = ok(await a1.call('GET', `views/${mine.id}/tickets?limit=200`)).items;
    assert.deepEqual(idsOf(listed), idsOf(everything.filter((t) => t.priority === 'urgent')));
    const builtin = ok(await a2.call('GET', 'views/mine/tickets?limit=200')).items;
    assert.deepEqual(idsOf(builtin), idsOf(everything.filter((t) => t.assignee_id === a2.id && openCat(t))));
    apiError(await a1.call('GET', 'views/nosuch/tickets'), 404, 'not_found');

    // counts are live
    const target = everything.find((t) => t.priority !== 'urgent');
    ok(await a1.call('PATCH', `tickets/${target.id}`, { priority: 'urgent' }));
    const again = ok(await a1.call('GET', 'views')).items;
    assert.equal(byId(again, mine.id).count, count((t) => t.priority === 'urgent') + 1);
    ok(await a1.call('PATCH', `tickets/${target.id}`, { priority: target.priority }));

    apiError(await a2.call('DELETE', `views/${mine.id}`), 404, 'not_found');
    apiError(await a2.call('DELETE', `views/${shared.id}`), 404, 'not_found');
    assert.equal((await a1.call('DELETE', `views/${mine.id}`)).status, 204);
    apiError(await a1.call('GET', `views/${mine.id}/tickets`), 404, 'not_found');
    assert.equal((await admin.call('DELETE', `views/${shared.id}`)).status, 204, 'admins may delete shared views');
  });

  test('bulk: up to 1,000 ids, per-id results (404 for unknown ids), add and remove tags, one audit event each', async () => {
    const targets = tickets.slice(0, 10).map((t) => t.id);
    const ids = [...targets];
    for (let i = 0; ids.length < 1000; i++) ids.push(90000000 + i);
    const res = ok(await a1.call('POST', 'tickets/bulk', { ids, set: { priority: 'urgent', add_tags: ['Bulk'],
      remove_tags: ['even'] } }));
    assert.equal(res.results.length, 1000);
    for (const r of res.results) {
      if (targets.includes(r.id)) assert.equal(r.status, 200, JSON.stringify(r));
      else {
        assert.equal(r.status, 404, JSON.stringify(r));
        assert.equal(r.error.code, 'not_found');
      }
    }
    for (const id of targets) {
      const t = ok(await a1.call('GET', `tickets/${id}`));
      assert.equal(t.priority, 'urgent');
      assert.ok(t.tags.includes('bulk'), JSON.stringify(t.tags));
      assert.ok(!t.tags.includes('even'), JSON.stringify(t.tags));
      const events = ok(await a1.call('GET', `tickets/${id}/events?limit=200`)).items;
      assert.ok(events.some((e) => e.action === 'ticket.update' && e.field === 'tags' && e.actor_id === a1.id));
    }
    assert.deepEqual(sorted(await listIds(a1, 'tag=bulk')), sorted(targets), 'the tag index follows');

    // the whole request is checked before anything changes
    apiError(await a1.call('POST', 'tickets/bulk', { ids: [...ids, 1], set: { priority: 'low' } }), 422,
      'validation_failed', 'ids');
    apiError(await a1.call('POST', 'tickets/bulk', { ids: [], set: { priority: 'low' } }), 422, 'validation_failed', 'ids');
    apiError(await a1.call('POST', 'tickets/bulk', { ids: targets }), 422, 'validation_failed', 'set');
    apiError(await a1.call('POST', 'tickets/bulk', { ids: targets, set: { priority: 'nope' } }), 422,
      'validation_failed', 'set.priority');
    apiError(await a1.call('POST', 'tickets/bulk', { ids: targets, set: { add_tags: 'x' } }), 422, 'validation_failed',
      'set.add_tags');
    for (const id of targets) assert.equal(ok(await a1.call('GET', `tickets/${id}`)).priority, 'urgent');
    apiError(await c1.call('POST', 'tickets/bulk', { ids: targets, set: { priority: 'low' } }), 404, 'not_found');

    apiError(await a1.call('POST', 'tickets/bulk', { ids: targets, set: { assignee_id: c1.id } }), 422,
      'validation_failed', 'set.assignee_id');
    apiError(await a1.call('POST', 'tickets/bulk', { ids: targets, set: { status: 'limbo' } }), 422,
      'validation_failed', 'set.status');
    for (const id of targets) assert.equal(ok(await a1.call('GET', `tickets/${id}`)).priority, 'urgent');

    const assign = ok(await a1.call('POST', 'tickets/bulk', { ids: targets.slice(0, 3), set: { assignee_id: a2.id,
      status: 'on_hold' } }));
    assert.ok(assign.results.every((r) => r.status === 200));
    for (const id of targets.slice(0, 3)) {
      const t = ok(await a2.call('GET', `tickets/${id}`));
      assert.equal(t.assignee_id, a2.id);
      assert.equal(t.status, 'on_hold');
    }
    // the workflow is checked per ticket: on_hold tickets may not be solved, the others may
    ok(await admin.call('PUT', 'admin/statuses/on_hold/transitions', { to: ['open'] }));
    try {
      const mixed = ok(await a1.call('POST', 'tickets/bulk', { ids: targets.slice(0, 5), set: { status: 'solved' } }));
      const byId = Object.fromEntries(mixed.results.map((r) => [r.id, r]));
      for (const id of targets.slice(0, 3)) {
        assert.equal(byId[id].status, 422, JSON.stringify(byId[id]));
        assert.equal(ok(await a1.call('GET', `tickets/${id}`)).status, 'on_hold');
      }
      for (const id of targets.slice(3, 5)) {
        assert.equal(byId[id].status, 200, JSON.stringify(byId[id]));
        assert.equal(ok(await a1.call('GET', `tickets/${id}`)).status, 'solved');
      }
    } finally {
      ok(await admin.call('PUT', 'admin/statuses/on_hold/transitions', { to: [] }));
    }
  });
});
