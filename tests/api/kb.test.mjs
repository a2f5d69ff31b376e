// Knowledge base (issue 5): articles (Markdown rendered safely, categories, tags, languages and
// translations, statuses, versions with restore, public/internal), troubleshooting guides and
// their walk into a ticket's context, search (ranking, snippets, filters, paging, bad input),
// the index kept in step on one node and across nodes, recommendations, feedback, views and
// the admin report. Runs on SQLite and PostgreSQL (PARLEY_TEST_DB).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, addUser, login } from './lib/server.mjs';
import { ok, apiError, until } from './lib/tickets.mjs';

const PW = 'Gl4cier-Mango-77!';
const KB = '/api/v1/kb';

describe('knowledge base', () => {
  let server;
  const who = {}; // role → {token, id}

  /** A request as a role ('anonymous' for none). */
  const as = (role, method, path, body) =>
    api(server, method, path, { body, token: role === 'anonymous' ? undefined : who[role].token });

  /** Creates an article as the agent and returns it. */
  async function article(fields) {
    return ok(await as('agent', 'POST', `${KB}/articles`, { status: 'published', body_markdown: '', ...fields }), 201);
  }

  const search = async (role, query) => ok(await as(role, 'GET', `${KB}/search?${new URLSearchParams(query)}`));
  const ids = (res) => res.items.map((i) => i.id);

  before(async () => {
    server = await startServer();
    for (const role of ['customer', 'agent', 'supervisor', 'admin']) {
      const email = `${role}@kb.example.com`;
      await addUser(server, { email, role, password: PW });
      const s = await login(server, email, PW);
      const key = await api(server, 'POST', '/api/v1/api-keys', { cookie: s.cookie, csrf: s.csrf, body: { name: 'kb' } });
      who[role] = { token: ok(key, 201).token, id: s.user.id };
    }
  });
  after(async () => {
    if (server) await server.cleanup();
  });

  describe('articles', () => {
    test('an agent writes an article; Markdown is rendered safely (raw HTML and javascript: links inert)', async () => {
      const a = await article({
        title: 'Exporting invoices',
        body_markdown: '# Export\n\nOpen **Billing** <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n' +
          '[click](javascript:alert(3)) [data](data:text/html,<b>x</b>) <a href="javascript:alert(4)">raw</a>\n\n' +
          '<iframe src="https://evil.example"></iframe>',
        tags: [' Billing ', 'INVOICES', 'billing'],
      });
      assert.equal(a.kind, 'article');
      assert.equal(a.status, 'published');
      assert.equal(a.visibility, 'public');
      assert.equal(a.language, 'en');
      assert.equal(a.version, 1);
      assert.deepEqual(a.tags, ['billing', 'invoices']);
      assert.match(a.body_html, /<strong>Billing<\/strong>/);
      for (const bad of [/<script/i, /onerror/i, /javascript:/i, /<iframe/i, /data:text\/html/i, /<img/i]) {
        assert.doesNotMatch(a.body_html, bad);
      }
      // the body is kept as written
      assert.match(a.body_markdown, /<script>/);
      const anon = ok(await as('anonymous', 'GET', `${KB}/articles/${a.id}`));
      assert.equal(anon.body_html, a.body_html);
      assert.equal(anon.author_id, undefined, 'staff-only members are not shown to readers');
    });

    test('bad input is refused with 422 naming the field', async () => {
      const cases = [
        [{ body_markdown: 'x' }, 'title'],
        [{ title: '   ' }, 'title'],
        [{ title: 'x'.repeat(301) }, 'title'],
        [{ title: 'T', status: 'live' }, 'status'],
        [{ title: 'T', visibility: 'secret' }, 'visibility'],
        [{ title: 'T', language: 'english' }, 'language'],
        [{ title: 'T', language: 'EN' }, 'language'],
        [{ title: 'T', tags: 'a,b' }, 'tags'],
        [{ title: 'T', tags: ['a,b'] }, 'tags'],
        [{ title: 'T', category_id: 999999 }, 'category_id'],
        [{ title: 'T', translation_of: 999999 }, 'translation_of'],
        [{ title: 'T', guide: { steps: [] } }, 'guide.steps'],
      ];
      for (const [body, field] of cases) {
        apiError(await as('agent', 'POST', `${KB}/articles`, body), 422, 'validation_failed', field);
      }
      apiError(await as('agent', 'POST', `${KB}/articles`, '{"title":'), 400, 'bad_request');
    });

    test('customers and anonymous readers may not write', async () => {
      apiError(await as('customer', 'POST', `${KB}/articles`, { title: 'x' }), 404, 'not_found');
      apiError(await as('anonymous', 'POST', `${KB}/articles`, { title: 'x' }), 401, 'unauthorized');
    });

    test('drafts, archived and internal articles are staff-only; anonymous readers see published public ones', async () => {
      const draft = await article({ title: 'Draft about refunds', status: 'draft' });
      const internal = await article({ title: 'Internal escalation policy', visibility: 'internal' });
      const archived = await article({ title: 'Old archived notes', status: 'archived' });
      for (const a of [draft, internal, archived]) {
        for (const role of ['anonymous', 'customer']) {
          apiError(await as(role, 'GET', `${KB}/articles/${a.id}`), 404, 'not_found');
        }
        ok(await as('agent', 'GET', `${KB}/articles/${a.id}`));
      }
      const pub = ok(await as('anonymous', 'GET', `${KB}/articles?limit=200`));
      assert.ok(pub.items.every((i) => i.status === 'published' && i.visibility === 'public'));
      assert.ok(!pub.items.some((i) => [draft.id, internal.id, archived.id].includes(i.id)));
      const staff = ok(await as('agent', 'GET', `${KB}/articles?limit=200`));
      for (const a of [draft, internal, archived]) assert.ok(ids(staff).includes(a.id));
      const drafts = ok(await as('agent', 'GET', `${KB}/articles?status=draft&limit=200`));
      assert.ok(drafts.items.every((i) => i.status === 'draft'));
      // a customer asking for drafts still gets only published public articles
      const sneaky = ok(await as('customer', 'GET', `${KB}/articles?status=draft`));
      assert.ok(sneaky.items.every((i) => i.status === 'published'));
      apiError(await as('anonymous', 'GET', `${KB}/articles/999999`), 404, 'not_found');
      apiError(await as('anonymous', 'GET', `${KB}/articles/abc`), 404, 'not_found');
    });

    test('lists page with a cursor and filter by tag and language', async () => {
      const made = [];
      for (let i = 0; i < 5; i++) made.push((await article({ title: `Paging ${i}`, tags: ['paging-test'] })).id);
      const first = ok(await as('anonymous', 'GET', `${KB}/articles?tag=paging-test&limit=3`));
      assert.equal(first.items.length, 3);
      assert.ok(first.next_cursor);
      const second = ok(await as('anonymous', 'GET', `${KB}/articles?tag=paging-test&limit=3&cursor=${first.next_cursor}`));
      assert.deepEqual([...ids(first), ...ids(second)].sort(), [...made].sort());
      assert.equal(second.next_cursor, null);
      const none = ok(await as('anonymous', 'GET', `${KB}/articles?tag=${encodeURIComponent('paging%')}`));
      assert.equal(none.items.length, 0, 'LIKE wildcards in a tag are literal');
      const de = ok(await as('anonymous', 'GET', `${KB}/articles?lang=xx`));
      assert.equal(de.items.length, 0);
    });

    test('translations are linked both ways; one article per language in a group', async () => {
      const en = await article({ title: 'Change your email address', body_markdown: 'Open your profile.' });
      const de = await article({ title: 'E-Mail-Adresse ändern', body_markdown: 'Öffnen Sie Ihr Profil.', language: 'de',
        translation_of: en.id });
      assert.equal(de.translation_of, en.id);
      // a translation of the translation joins the same group
      const fr = await article({ title: 'Changer votre adresse e-mail', language: 'fr', translation_of: de.id });
      assert.equal(fr.translation_of, en.id);
      const got = ok(await as('anonymous', 'GET', `${KB}/articles/${en.id}`));
      assert.deepEqual(got.translations.map((t) => t.language), ['de', 'fr']);
      const gotDe = ok(await as('anonymous', 'GET', `${KB}/articles/${de.id}`));
      assert.deepEqual(gotDe.translations.map((t) => [t.language, t.id]), [['en', en.id], ['fr', fr.id]]);
      apiError(await as('agent', 'POST', `${KB}/articles`, { title: 'Dup', language: 'de', translation_of: en.id }),
        409, 'conflict');
      apiError(await as('agent', 'PATCH', `${KB}/articles/${fr.id}`, { language: 'de' }), 409, 'conflict');
      // a draft translation is not listed to readers
      await article({ title: 'Cambiar el correo', language: 'es', translation_of: en.id, status: 'draft' });
      const again = ok(await as('anonymous', 'GET', `${KB}/articles/${en.id}`));
      assert.deepEqual(again.translations.map((t) => t.language), ['de', 'fr']);
      const staff = ok(await as('agent', 'GET', `${KB}/articles/${en.id}`));
      assert.deepEqual(staff.translations.map((t) => t.language), ['de', 'es', 'fr']);
    });

    test('every change is a version; an old version can be restored; stale writes get 409', async () => {
      const a = await article({ title: 'Version one', body_markdown: 'First text.', tags: ['v'] });
      const b = ok(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { title: 'Version two', body_markdown: 'Second text.',
        version: 1 }));
      assert.equal(b.version, 2);
      assert.equal(b.title, 'Version two');
      apiError(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { title: 'Late', version: 1 }), 409, 'conflict');
      const list = ok(await as('agent', 'GET', `${KB}/articles/${a.id}/versions`));
      assert.deepEqual(list.items.map((v) => v.version), [2, 1]);
      const v1 = ok(await as('agent', 'GET', `${KB}/articles/${a.id}/versions/1`));
      assert.equal(v1.title, 'Version one');
      assert.equal(v1.body_markdown, 'First text.');
      assert.match(v1.body_html, /First text/);
      const restored = ok(await as('agent', 'POST', `${KB}/articles/${a.id}/versions/1/restore`, {}));
      assert.equal(restored.version, 3);
      assert.equal(restored.title, 'Version one');
      assert.equal(restored.body_markdown, 'First text.');
      const after3 = ok(await as('agent', 'GET', `${KB}/articles/${a.id}/versions?limit=1`));
      assert.equal(after3.items[0].note, 'restored from version 1');
      assert.equal(after3.next_cursor, '3');
      const older = ok(await as('agent', 'GET', `${KB}/articles/${a.id}/versions?limit=5&cursor=3`));
      assert.deepEqual(older.items.map((v) => v.version), [2, 1]);
      apiError(await as('agent', 'GET', `${KB}/articles/${a.id}/versions/99`), 404, 'not_found');
      apiError(await as('agent', 'POST', `${KB}/articles/${a.id}/versions/99/restore`, {}), 404, 'not_found');
      apiError(await as('customer', 'GET', `${KB}/articles/${a.id}/versions`), 404, 'not_found');
      apiError(await as('agent', 'PATCH', `${KB}/articles/999999`, { title: 'x' }), 404, 'not_found');
    });
  });

  describe('categories', () => {
    test('nested categories: tree order, moves, no loops, only empty ones deleted', async () => {
      const help = ok(await as('agent', 'POST', `${KB}/categories`, { name: 'Help centre' }), 201);
      const acc = ok(await as('agent', 'POST', `${KB}/categories`, { name: 'Accounts', parent_id: help.id }), 201);
      const sec = ok(await as('agent', 'POST', `${KB}/categories`, { name: 'Security', parent_id: acc.id, position: 2 }), 201);
      const list = ok(await as('anonymous', 'GET', `${KB}/categories`));
      const order = ids(list);
      assert.ok(order.indexOf(help.id) < order.indexOf(acc.id) && order.indexOf(acc.id) < order.indexOf(sec.id));
      assert.equal(list.items.find((c) => c.id === sec.id).parent_id, acc.id);
      apiError(await as('agent', 'PATCH', `${KB}/categories/${help.id}`, { parent_id: sec.id }), 422, 'validation_failed',
        'parent_id');
      apiError(await as('agent', 'PATCH', `${KB}/categories/${help.id}`, { parent_id: help.id }), 422, 'validation_failed',
        'parent_id');
      apiError(await as('agent', 'POST', `${KB}/categories`, { name: 'x', parent_id: 999999 }), 422, 'validation_failed',
        'parent_id');
      apiError(await as('agent', 'POST', `${KB}/categories`, {}), 422, 'validation_failed', 'name');
      const moved = ok(await as('agent', 'PATCH', `${KB}/categories/${sec.id}`, { parent_id: null, name: 'Security & 2FA' }));
      assert.equal(moved.parent_id, null);
      assert.equal(moved.name, 'Security & 2FA');
      ok(await as('agent', 'PATCH', `${KB}/categories/${sec.id}`, { parent_id: acc.id }));
      // articles in a subcategory count for the parent
      const deep = await article({ title: 'Two-factor recovery codes', body_markdown: 'Keep your recovery codes safe.',
        category_id: sec.id });
      const under = ok(await as('anonymous', 'GET', `${KB}/articles?category=${help.id}`));
      assert.deepEqual(ids(under), [deep.id]);
      const found = await search('anonymous', { q: 'recovery codes', category: help.id });
      assert.deepEqual(ids(found), [deep.id]);
      const elsewhere = await search('anonymous', { q: 'recovery codes', category: 999999 });
      assert.equal(elsewhere.items.length, 0);
      apiError(await as('agent', 'DELETE', `${KB}/categories/${acc.id}`), 409, 'conflict');
      apiError(await as('agent', 'DELETE', `${KB}/categories/${sec.id}`), 409, 'conflict');
      ok(await as('agent', 'PATCH', `${KB}/articles/${deep.id}`, { category_id: null }));
      assert.equal((await as('agent', 'DELETE', `${KB}/categories/${sec.id}`)).status, 204);
      apiError(await as('agent', 'DELETE', `${KB}/categories/${sec.id}`), 404, 'not_found');
      apiError(await as('customer', 'POST', `${KB}/categories`, { name: 'x' }), 404, 'not_found');
    });
  });

  describe('troubleshooting guides', () => {
    const guide = {
      steps: [
        { id: 'start', title: 'Is the printer on?', body_markdown: 'Check the **power** light.',
          answers: [{ label: 'Yes', next: 'cable' }, { label: 'No', outcome: 'solved' }] },
        { id: 'cable', title: 'Is the cable plugged in?', body_markdown: 'Look behind the printer <script>x</script>.',
          answers: [{ label: 'It was loose', outcome: 'solved' }, { label: 'Still not printing', outcome: 'ticket' }] },
      ],
    };

    test('a guide is a tree of steps; bad trees are refused naming the place', async () => {
      const bad = [
        [{ steps: [{ id: 'a', body_markdown: 'x', answers: [{ label: 'go', next: 'nowhere' }] }] },
          'guide.steps[0].answers[0].next'],
        [{ steps: [{ id: 'a', body_markdown: 'x', answers: [{ label: 'go', next: 'b' }] },
          { id: 'b', body_markdown: 'y', answers: [{ label: 'back', next: 'a' }] }] }, 'guide.steps'],
        [{ steps: [{ id: 'a', body_markdown: 'x', answers: [{ label: 'ok', outcome: 'solved' }] },
          { id: 'b', body_markdown: 'y', answers: [{ label: 'ok', outcome: 'solved' }] }] }, 'guide.steps[1]'],
        [{ steps: [{ id: 'a', body_markdown: 'x', answers: [{ label: 'ok', outcome: 'maybe' }] }] },
          'guide.steps[0].answers[0]'],
        [{ steps: [{ id: 'a', body_markdown: 'x', answers: [{ label: 'ok', outcome: 'solved', next: 'a' }] }] },
          'guide.steps[0].answers[0]'],
        [{ steps: [{ id: 'a', body_markdown: 'x', answers: [] }] }, 'guide.steps[0].answers'],
        [{ steps: [{ id: 'a b', body_markdown: 'x', answers: [{ label: 'ok', outcome: 'solved' }] }] }, 'guide.steps[0].id'],
        [{ steps: [{ id: 'a', answers: [{ label: 'ok', outcome: 'solved' }] }] }, 'guide.steps[0].body_markdown'],
        [{ steps: [{ id: 'a', body_markdown: 'x', answers: [{ outcome: 'solved' }] }] }, 'guide.steps[0].answers[0].label'],
        ['not a guide', 'guide.steps'],
      ];
      for (const [g, field] of bad) {
        apiError(await as('agent', 'POST', `${KB}/articles`, { title: 'Bad guide', guide: g }), 422, 'validation_failed',
          field);
      }
    });

    test('walking a guide to "create a ticket" gives the context the ticket carries to the agent', async () => {
      const g = await article({ title: 'Printer does not print', guide });
      assert.equal(g.kind, 'guide');
      assert.match(g.guide.steps[0].body_html, /<strong>power<\/strong>/);
      assert.doesNotMatch(g.guide.steps[1].body_html, /<script/);
      const start = ok(await as('anonymous', 'GET', `${KB}/articles/${g.id}/guide`));
      assert.equal(start.step.id, 'start');
      assert.equal(start.outcome, null);
      assert.deepEqual(start.path, []);
      const solved = ok(await as('anonymous', 'GET', `${KB}/articles/${g.id}/guide?path=1`));
      assert.equal(solved.outcome, 'solved');
      assert.equal(solved.step, null);
      const walk = ok(await as('customer', 'GET', `${KB}/articles/${g.id}/guide?path=0,1`));
      assert.equal(walk.outcome, 'ticket');
      assert.deepEqual(walk.path.map((p) => [p.step, p.answer]), [['start', 'Yes'], ['cable', 'Still not printing']]);
      assert.equal(walk.ticket_context.guide_id, g.id);
      for (const path of ['0,1,0', '5', 'x', '0,,1', '-1']) {
        apiError(await as('anonymous', 'GET', `${KB}/articles/${g.id}/guide?path=${path}`), 422, 'validation_failed', 'path');
      }
      const plain = await article({ title: 'Not a guide' });
      apiError(await as('anonymous', 'GET', `${KB}/articles/${plain.id}/guide`), 404, 'not_found');
      // search finds a guide by the words of its steps
      assert.ok(ids(await search('anonymous', { q: 'cable plugged' })).includes(g.id));
      // the client sends the recommended context shape with the ticket; the agent sees it
      const context = { kb_search: 'printer not printing', articles_viewed: [g.id], guide_path: walk.ticket_context.guide_path };
      const t = ok(await as('customer', 'POST', '/api/v1/tickets', { subject: 'Printer', body: 'Still broken', context }), 201);
      const seen = ok(await as('agent', 'GET', `/api/v1/tickets/${t.id}`));
      assert.deepEqual(seen.context, context);
      // removing the guide makes it a plain article again
      const back = ok(await as('agent', 'PATCH', `${KB}/articles/${g.id}`, { guide: null }));
      assert.equal(back.kind, 'article');
      assert.equal(back.guide, null);
    });
  });

  describe('search', () => {
    let vpn, wifi, internalDoc;
    before(async () => {
      vpn = await article({ title: 'Connect to the VPN', body_markdown: 'Install the client, then sign in with your account.',
        tags: ['network'] });
      wifi = await article({ title: 'Office wifi', body_markdown: 'The guest network has no VPN access. Ask reception.' });
      internalDoc = await article({ title: 'VPN server maintenance runbook', body_markdown: 'Restart the concentrator.',
        visibility: 'internal' });
      await article({ title: 'VPN verbinden', body_markdown: 'Installieren Sie den Client.', language: 'de' });
    });

    test('results are ranked (title above body), with highlighted snippets and scores', async () => {
      const res = await search('anonymous', { q: 'vpn' });
      assert.ok(res.items.length >= 2);
      assert.ok(ids(res).indexOf(vpn.id) < ids(res).indexOf(wifi.id));
      const w = res.items.find((i) => i.id === wifi.id);
      assert.match(w.snippet, /<mark>VPN<\/mark>/);
      assert.equal(w.title, 'Office wifi');
      assert.equal(typeof w.score, 'number');
      for (let i = 1; i < res.items.length; i++) assert.ok(res.items[i - 1].score >= res.items[i].score);
      assert.equal(typeof res.search_id, 'number');
    });

    test('stemming and typo tolerance', async () => {
      assert.ok(ids(await search('anonymous', { q: 'installing clients' })).includes(vpn.id));
      assert.ok(ids(await search('anonymous', { q: 'conect' })).includes(vpn.id));
    });

    test('internal articles are found by staff only; language filter', async () => {
      assert.ok(!ids(await search('anonymous', { q: 'vpn' })).includes(internalDoc.id));
      assert.ok(!ids(await search('customer', { q: 'vpn' })).includes(internalDoc.id));
      assert.ok(ids(await search('agent', { q: 'vpn' })).includes(internalDoc.id));
      const de = await search('anonymous', { q: 'vpn', lang: 'de' });
      assert.deepEqual(de.items.map((i) => i.title), ['VPN verbinden']);
      assert.ok(!(await search('anonymous', { q: 'vpn', lang: 'en' })).items.some((i) => i.title === 'VPN verbinden'));
    });

    test('paging through results with next_cursor', async () => {
      for (let i = 0; i < 7; i++) await article({ title: `Zebra care ${i}`, body_markdown: 'zebra '.repeat(i + 1) });
      const seen = [];
      let cursor = null;
      let pages = 0;
      do {
        const q = { q: 'zebra', limit: 3 };
        if (cursor) q.cursor = cursor;
        const res = await search('anonymous', q);
        seen.push(...ids(res));
        cursor = res.next_cursor;
        if (pages > 0) assert.equal(res.search_id, null, 'a search is logged once, on its first page');
        pages++;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.equal(seen.length, 7);
      assert.equal(new Set(seen).size, 7);
    });

    test('bad queries get a normal answer, never a 500', async () => {
      const queries = ['', '   ', 'x'.repeat(10000), 'word '.repeat(2000), '"unbalanced', '"vpn"', 'vpn*', '*',
        'vpn NEAR wifi', 'NEAR(vpn wifi, 3)', '-vpn', 'vpn -wifi', 'title:vpn', 'AND OR NOT', '((((', "'; DROP TABLE x; --",
        '\u0001\u0002\u0003', '💥🔥 vpn', 'ǅ̈̈̈̈̈̈', '<script>alert(1)</script>'];
      for (const q of queries) {
        const res = await as('anonymous', 'GET', `${KB}/search?q=${encodeURIComponent(q)}`);
        assert.equal(res.status, 200, `${JSON.stringify(q.slice(0, 40))} → ${res.status} ${res.text.slice(0, 200)}`);
        assert.ok(Array.isArray(res.json.items));
        for (const i of res.json.items) assert.doesNotMatch(i.snippet, /<script/);
      }
      // invalid UTF-8 and raw bytes in the query string
      for (const raw of ['%FF%FE%FD', 'vpn%C3', '%80%80vpn', '%EF%BF%BF%F4%90%80%80']) {
        const res = await as('anonymous', 'GET', `${KB}/search?q=${raw}`);
        assert.ok(res.status === 200 || res.status === 400, `${raw} → ${res.status} ${res.text}`);
      }
      assert.equal((await search('anonymous', { q: '' })).search_id, null);
      apiError(await as('anonymous', 'GET', `${KB}/search?q=vpn&lang=english`), 400, 'bad_request', 'lang');
      apiError(await as('anonymous', 'GET', `${KB}/search?q=vpn&limit=0`), 400, 'bad_request', 'limit');
      apiError(await as('anonymous', 'GET', `${KB}/search?q=vpn&limit=51`), 400, 'bad_request', 'limit');
      apiError(await as('anonymous', 'GET', `${KB}/search?q=vpn&cursor=abc`), 400, 'bad_request', 'cursor');
      apiError(await as('anonymous', 'GET', `${KB}/search?q=vpn&category=-1`), 400, 'bad_request', 'category');
      // a long query is logged cut, and the report still reads
      ok(await as('admin', 'GET', '/api/v1/admin/kb/report'));
    });

    test('a change shows in search in the same request: edit, unpublish, republish', async () => {
      const a = await article({ title: 'Quokka feeding schedule', body_markdown: 'Feed twice a day.' });
      assert.deepEqual(ids(await search('anonymous', { q: 'quokka' })), [a.id]);
      ok(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { title: 'Wombat feeding schedule' }));
      assert.deepEqual(ids(await search('anonymous', { q: 'quokka' })), []);
      assert.deepEqual(ids(await search('anonymous', { q: 'wombat' })), [a.id]);
      ok(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { status: 'draft' }));
      assert.deepEqual(ids(await search('agent', { q: 'wombat' })), [], 'drafts are not searchable');
      ok(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { status: 'published', visibility: 'internal' }));
      assert.deepEqual(ids(await search('anonymous', { q: 'wombat' })), []);
      assert.deepEqual(ids(await search('agent', { q: 'wombat' })), [a.id]);
      ok(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { status: 'archived' }));
      assert.deepEqual(ids(await search('agent', { q: 'wombat' })), []);
    });

    test('recommendations for a draft ticket of about 1,000 characters', async () => {
      const text = ('Hello, I am working from home today and I cannot connect to the VPN. I installed the client ' +
        'yesterday but when I try to sign in with my account nothing happens. ').repeat(6).slice(0, 1000);
      const res = ok(await as('anonymous', 'GET', `${KB}/recommend?text=${encodeURIComponent(text)}`));
      assert.equal(res.items[0].id, vpn.id);
      assert.ok(res.items.length <= 5);
      assert.ok(!ids(res).includes(internalDoc.id));
      assert.ok(ids(ok(await as('agent', 'GET', `${KB}/recommend?text=vpn%20server%20runbook`))).includes(internalDoc.id));
      assert.deepEqual(ok(await as('anonymous', 'GET', `${KB}/recommend`)).items, []);
      assert.equal(ok(await as('anonymous', 'GET', `${KB}/recommend?text=vpn&limit=1`)).items.length, 1);
      apiError(await as('anonymous', 'GET', `${KB}/recommend?text=vpn&limit=21`), 400, 'bad_request', 'limit');
    });
  });

  describe('feedback, views and the report', () => {
    test('"did this help?" with an optional comment; views count; the report shows unanswered searches', async () => {
      const a = await article({ title: 'Reset a forgotten password', body_markdown: 'Use the reset link on the sign-in page.' });
      const draft = await article({ title: 'Unpublished', status: 'draft' });
      ok(await as('anonymous', 'POST', `${KB}/articles/${a.id}/feedback`, { helpful: true }), 201);
      const fb = ok(await as('customer', 'POST', `${KB}/articles/${a.id}/feedback`,
        { helpful: false, comment: 'The link expired' }), 201);
      assert.equal(fb.helpful, false);
      assert.equal(fb.comment, 'The link expired');
      apiError(await as('anonymous', 'POST', `${KB}/articles/${a.id}/feedback`, {}), 422, 'validation_failed', 'helpful');
      apiError(await as('anonymous', 'POST', `${KB}/articles/${a.id}/feedback`, { helpful: 'yes' }), 422,
        'validation_failed', 'helpful');
      apiError(await as('anonymous', 'POST', `${KB}/articles/${a.id}/feedback`, { helpful: true, comment: 'x'.repeat(2001) }),
        422, 'validation_failed', 'comment');
      apiError(await as('anonymous', 'POST', `${KB}/articles/${draft.id}/feedback`, { helpful: true }), 404, 'not_found');

      // a search that finds and is followed by a read, one that finds nothing, one nobody opens
      const found = await search('anonymous', { q: 'forgotten password' });
      assert.equal(found.items[0].id, a.id);
      ok(await as('anonymous', 'GET', `${KB}/articles/${a.id}?search_id=${found.search_id}`));
      ok(await as('anonymous', 'GET', `${KB}/articles/${a.id}?search_id=garbage`));
      for (let i = 0; i < 3; i++) {
        assert.equal((await search('anonymous', { q: `  Flux CAPACITOR  ${i ? '' : ''}` })).items.length, 0);
      }
      await search('customer', { q: 'sign-in page' });
      const staffView = ok(await as('agent', 'GET', `${KB}/articles/${a.id}`));
      assert.ok(staffView.view_count >= 3, `view_count ${staffView.view_count}`);
      assert.equal(staffView.helpful_yes, 1);
      assert.equal(staffView.helpful_no, 1);

      apiError(await as('agent', 'GET', '/api/v1/admin/kb/report'), 403, 'forbidden');
      apiError(await as('customer', 'GET', '/api/v1/admin/kb/report'), 404, 'not_found');
      const rep = ok(await as('supervisor', 'GET', '/api/v1/admin/kb/report?days=1&limit=50'));
      assert.ok(rep.searches >= 5);
      const zero = rep.zero_results.find((z) => z.query === 'flux capacitor');
      assert.ok(zero, JSON.stringify(rep.zero_results));
      assert.equal(zero.count, 3);
      assert.ok(rep.no_click.some((q) => q.query === 'sign-in page'), JSON.stringify(rep.no_click));
      assert.ok(!rep.no_click.some((q) => q.query === 'forgotten password'), 'a search followed by a read is answered');
      const row = rep.articles.find((x) => x.id === a.id);
      assert.ok(row.views >= 3);
      assert.equal(row.helpful_yes, 1);
      assert.equal(row.helpful_no, 1);
      assert.ok(rep.recent_feedback.some((x) => x.article_id === a.id && x.comment === 'The link expired'));
      apiError(await as('admin', 'GET', '/api/v1/admin/kb/report?days=0'), 400, 'bad_request', 'days');
    });
  });

  describe('search as you type', () => {
    test('keystroke searches (typing=1 or a typing session) fold into the query the reader ends with; the report is not flooded', async () => {
      const a = await article({ title: 'Kangaroo pouch cleaning', body_markdown: 'Gently, with warm water.' });
      const typed = [];
      for (const q of ['ka', 'kan', 'kang', 'kangaroo', 'kangaroo pu', 'kangaroo p', 'kangaroo pouch']) {
        typed.push((await search('anonymous', { q, typing: 1 })).search_id);
      }
      assert.equal(new Set(typed).size, 1, `one search, one id: ${typed}`);
      // another searcher typing meanwhile is another search
      const customer = (await search('customer', { q: 'kangaroo', typing: 1 })).search_id;
      assert.notEqual(customer, typed[0]);
      // a query that does not continue the last one is a new search
      const food = (await search('anonymous', { q: 'kangaroo food', typing: 1 })).search_id;
      assert.notEqual(food, typed[0]);
      // two readers behind one address (a proxy) type at once: their typing sessions keep them apart
      const one = [];
      const two = [];
      for (const [a, b] of [['zo', 'qu'], ['zor', 'qui'], ['zorblat', 'quizzle']]) {
        one.push((await search('anonymous', { q: a, typing: 'tab-one_1' })).search_id);
        two.push((await search('anonymous', { q: b, typing: 'tab-two_2' })).search_id);
      }
      assert.equal(new Set(one).size, 1);
      assert.equal(new Set(two).size, 1);
      assert.notEqual(one[0], two[0]);
      // searches not marked as typing are each logged, even when one continues the other
      const k1 = (await search('anonymous', { q: 'koala' })).search_id;
      const k2 = (await search('anonymous', { q: 'koala bear' })).search_id;
      assert.notEqual(k1, k2);
      // once a result is opened from a search, typing on starts a new one
      const w1 = (await search('anonymous', { q: 'kangaroo pouch clean', typing: 1 })).search_id;
      ok(await as('anonymous', 'GET', `${KB}/articles/${a.id}?search_id=${w1}`));
      const w2 = (await search('anonymous', { q: 'kangaroo pouch cleaning', typing: 1 })).search_id;
      assert.notEqual(w1, w2);
      for (const bad of ['a%20b', 'x'.repeat(65), '%C3%A9']) {
        apiError(await as('anonymous', 'GET', `${KB}/search?q=x&typing=${bad}`), 400, 'bad_request', 'typing');
      }

      const rep = ok(await as('supervisor', 'GET', '/api/v1/admin/kb/report?days=1&limit=200'));
      const queries = [...rep.zero_results, ...rep.no_click].map((q) => q.query);
      for (const partial of ['ka', 'kan', 'kang', 'kangaroo pu', 'kangaroo p', 'koala b', 'zo', 'zor', 'qu', 'qui']) {
        assert.ok(!queries.includes(partial), `${partial} is not in the report: ${JSON.stringify(queries)}`);
      }
      const noClick = (q) => rep.no_click.find((x) => x.query === q)?.count;
      assert.equal(noClick('kangaroo pouch'), 1);
      assert.equal(noClick('kangaroo'), 1, "the customer's search");
      assert.ok(!queries.includes('kangaroo pouch clean'), 'opened from: answered');
      assert.equal(noClick('kangaroo pouch cleaning'), 1);
      for (const q of ['zorblat', 'quizzle']) assert.equal(rep.zero_results.find((x) => x.query === q)?.count, 1, q);
    });
  });

  describe('several nodes', () => {
    test('an edit on one node reaches the search index of another within seconds', async () => {
      const other = await startServer({ store: server.store });
      try {
        const a = await article({ title: 'Axolotl habitat', body_markdown: 'Cold water.' });
        const viaOther = (q) => api(other, 'GET', `${KB}/search?q=${q}`).then((r) => ids(ok(r)));
        await until(async () => (await viaOther('axolotl')).includes(a.id), 'the new article on the other node', 10000, 200);
        ok(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { status: 'archived' }));
        await until(async () => !(await viaOther('axolotl')).includes(a.id), 'the archived article to leave', 10000, 200);
        // and a restarted node loads what is published
        ok(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { status: 'published' }));
        await other.restart();
        assert.deepEqual(await viaOther('axolotl'), [a.id]);
      } finally {
        await other.kill();
      }
    });
  });
});
