// Images and files inside knowledge-base articles (issue 5): uploaded through the attachment
// store (multipart, streamed, 10 MiB, type sniffed with libmagic), referenced from Markdown as
// /api/v1/kb/files/{id}, served to whoever may read an article showing them (raster images
// inline; SVG, HTML and everything else as a download), kept across versions and restores, and
// no stored bytes left behind by a failed request. Runs on SQLite and PostgreSQL (PARLEY_TEST_DB).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, addUser, login } from './lib/server.mjs';
import { ok, apiError } from './lib/tickets.mjs';

const PW = 'Gl4cier-Mango-77!';
const KB = '/api/v1/kb';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n');
const HTML = Buffer.from('<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n');

/** A multipart/form-data body: parts are {name, filename?, type?, data}. */
function multipart(parts) {
  const boundary = `----parley${Math.random().toString(16).slice(2)}`;
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** The stored blobs of a data folder (temporary files excluded). */
function blobs(dataDir) {
  const root = path.join(dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter((d) => d !== 'tmp').flatMap((d) => fs.readdirSync(path.join(root, d)));
}

describe('knowledge-base files', () => {
  let server;
  const who = {}; // role → {token, id}

  const as = (role, method, p, opts = {}) =>
    api(server, method, p, { ...opts, token: role === 'anonymous' ? undefined : who[role].token });
  const upload = (role, parts, p = `${KB}/files`) => {
    const m = multipart(parts);
    return as(role, 'POST', p, { body: m.body, headers: { 'Content-Type': m.type } });
  };
  const file = (name, data, type = 'application/octet-stream') => ({ name: 'file', filename: name, type, data });
  const article = async (fields) =>
    ok(await as('agent', 'POST', `${KB}/articles`, { body: { status: 'published', ...fields } }), 201);

  before(async () => {
    server = await startServer();
    for (const role of ['customer', 'agent']) {
      const email = `${role}@kbfiles.example.com`;
      await addUser(server, { email, role, password: PW });
      const s = await login(server, email, PW);
      const key = await api(server, 'POST', '/api/v1/api-keys', { cookie: s.cookie, csrf: s.csrf, body: { name: 'kb' } });
      who[role] = { token: ok(key, 201).token, id: s.user.id };
    }
  });
  after(async () => {
    if (server) await server.cleanup();
  });

  test('an agent uploads an image, puts it in an article, and readers see it inline once the article is public', async () => {
    const up = ok(await upload('agent', [file('C:\\shots\\pixel [1].png', PNG, 'image/jpeg')]), 201);
    assert.equal(up.content_type, 'image/png', 'sniffed, not declared');
    assert.equal(up.size, PNG.length);
    assert.equal(up.filename, 'pixel [1].png');
    assert.equal(up.url, `${KB}/files/${up.id}`);
    assert.equal(up.markdown, `![pixel \\[1\\].png](${KB}/files/${up.id})`);

    // not shown by any article yet: staff only
    apiError(await as('anonymous', 'GET', up.url), 404, 'not_found');
    const staff = await as('agent', 'GET', up.url);
    assert.equal(staff.status, 200);

    const draft = await article({ title: 'Where the reset button is', body_markdown: `Press it:\n\n${up.markdown}\n`, status: 'draft' });
    assert.match(draft.body_html, new RegExp(`<img src="${up.url}" alt="pixel \\[1\\].png"`));
    apiError(await as('anonymous', 'GET', up.url), 404, 'not_found'); // a draft does not publish its images
    ok(await as('agent', 'PATCH', `${KB}/articles/${draft.id}`, { body: { status: 'published' } }));
    for (const role of ['anonymous', 'customer']) {
      const res = await as(role, 'GET', up.url);
      assert.equal(res.status, 200, role);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.match(res.headers.get('content-disposition'), /^inline; filename="pixel \[1\].png"/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
    const bytes = Buffer.from(await (await fetch(`${server.url}${up.url}`)).arrayBuffer());
    assert.deepEqual(bytes, PNG);

    // made internal: staff only again
    ok(await as('agent', 'PATCH', `${KB}/articles/${draft.id}`, { body: { visibility: 'internal' } }));
    apiError(await as('customer', 'GET', up.url), 404, 'not_found');
    assert.equal((await as('agent', 'GET', up.url)).status, 200);
  });

  test('SVG, HTML and other files are served as downloads, never inline', async () => {
    const svg = ok(await upload('agent', [file('logo.svg', SVG, 'image/svg+xml')]), 201);
    const html = ok(await upload('agent', [file('page.png', HTML, 'image/png')]), 201);
    assert.equal(html.content_type, 'text/html');
    assert.match(svg.content_type, /svg/);
    assert.equal(svg.markdown, `[logo.svg](${KB}/files/${svg.id})`, 'a link, not an image');
    await article({ title: 'Logos', body_markdown: `${svg.markdown} and [page](${html.url})` });
    for (const f of [svg, html]) {
      const res = await as('anonymous', 'GET', f.url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition'), /^attachment; /);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('kept across versions: an edit that drops the image hides it, a restore brings it back', async () => {
    const up = ok(await upload('agent', [file('diagram.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))]), 201);
    assert.equal(up.content_type, 'image/gif');
    const a = await article({ title: 'Network diagram', body_markdown: up.markdown });
    assert.equal((await as('anonymous', 'GET', up.url)).status, 200);
    ok(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { body: { body_markdown: 'No picture any more.' } }));
    apiError(await as('anonymous', 'GET', up.url), 404, 'not_found');
    assert.equal((await as('agent', 'GET', up.url)).status, 200, 'the file stays for the old version');
    const restored = ok(await as('agent', 'POST', `${KB}/articles/${a.id}/versions/1/restore`));
    assert.match(restored.body_html, /<img /);
    assert.equal((await as('anonymous', 'GET', up.url)).status, 200);
  });

  test('a guide step can show an image too; a reference to no file is refused and nothing is written', async () => {
    const up = ok(await upload('agent', [file('cable.png', PNG)]), 201);
    const guide = (img) => ({ steps: [{ id: 'start', body_markdown: `Is the cable in? ${img}`, answers: [{ label: 'Yes', outcome: 'solved' }] }] });
    await article({ title: 'Printer cable', guide: guide(up.markdown) });
    assert.equal((await as('anonymous', 'GET', up.url)).status, 200);

    const a = await article({ title: 'Broken reference', body_markdown: 'Fine.' });
    apiError(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { body: { body_markdown: `![x](${KB}/files/999999)` } }),
      422, 'validation_failed', 'body_markdown');
    apiError(await as('agent', 'PATCH', `${KB}/articles/${a.id}`, { body: { guide: guide(`![x](${KB}/files/999998)`) } }),
      422, 'validation_failed', 'guide');
    apiError(await as('agent', 'POST', `${KB}/articles`, { body: { title: 'T', body_markdown: `![x](${KB}/files/999997)` } }),
      422, 'validation_failed', 'body_markdown');
    const after = ok(await as('agent', 'GET', `${KB}/articles/${a.id}`));
    assert.equal(after.version, 1);
    assert.equal(after.body_markdown, 'Fine.');
  });

  test('who may upload; bad uploads are refused with JSON errors and leave no stored bytes', async () => {
    const before = blobs(server.dataDir).length;
    apiError(await upload('anonymous', [file('a.png', PNG)]), 401, 'unauthorized');
    apiError(await upload('customer', [file('a.png', PNG)]), 404, 'not_found');
    apiError(await as('agent', 'POST', `${KB}/files`, { body: { file: 'x' } }), 415);
    apiError(await upload('agent', [{ name: 'note', data: 'no file here' }]), 422, 'validation_failed', 'file');
    apiError(await upload('agent', [file('', PNG)]), 422, 'validation_failed', 'file');
    apiError(await upload('agent', [file('a.bin', Buffer.from('first')), file('b.bin', Buffer.from('second'))]), 422,
      'validation_failed', 'file');
    apiError(await upload('agent', [file('big.bin', Buffer.alloc(10 * 1024 * 1024 + 1, 7))]), 413, 'payload_too_large');
    const m = multipart([file('cut.bin', Buffer.from('the body stops early'))]);
    apiError(await as('agent', 'POST', `${KB}/files`, { body: m.body.subarray(0, m.body.length - 10), headers: { 'Content-Type': m.type } }),
      400, 'bad_request');
    assert.equal(blobs(server.dataDir).length, before, 'no bytes left behind');

    // exactly 10 MiB is fine; the same bytes twice are stored once
    const tenMiB = Buffer.alloc(10 * 1024 * 1024, 1);
    const a = ok(await upload('agent', [file('a.bin', tenMiB)]), 201);
    const b = ok(await upload('agent', [file('b.bin', tenMiB)]), 201);
    assert.notEqual(a.id, b.id);
    assert.equal(a.sha256, b.sha256);
    assert.equal(blobs(server.dataDir).length, before + 1);
  });

  test('a failed ticket attachment keeps the bytes a KB file shares, and leaves none of its own', async () => {
    const kbFile = ok(await upload('agent', [file('shared.png', PNG)]), 201);
    const ticket = ok(await as('customer', 'POST', '/api/v1/tickets', { body: { subject: 'Printer', body: 'It jams.' } }), 201);
    const before = blobs(server.dataDir).length;
    // customers may not add internal attachments: refused after the bytes were stored
    apiError(await upload('customer', [file('shared.png', PNG), { name: 'internal', data: 'true' }], `/api/v1/tickets/${ticket.id}/attachments`),
      422, 'validation_failed', 'internal');
    apiError(await upload('customer', [file('own.txt', Buffer.from('only mine')), { name: 'internal', data: 'true' }],
      `/api/v1/tickets/${ticket.id}/attachments`), 422, 'validation_failed', 'internal');
    assert.equal(blobs(server.dataDir).length, before);
    const res = await as('agent', 'GET', kbFile.url);
    assert.equal(res.status, 200, 'the shared bytes are still there');
    // and the ticket attachment route still works as before
    const att = ok(await upload('customer', [file('photo.png', PNG)], `/api/v1/tickets/${ticket.id}/attachments`), 201);
    assert.equal(att.content_type, 'image/png');
    const dl = await as('customer', 'GET', `/api/v1/attachments/${att.id}`);
    assert.equal(dl.status, 200);
    assert.match(dl.headers.get('content-disposition'), /^attachment; filename="photo.png"/);
  });
});
