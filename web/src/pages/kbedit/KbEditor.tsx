// The staff article editor (a chunk of its own): /agent/kb lists every article (drafts
// included) with a status filter and adds categories; /agent/kb/new and /agent/kb/{id}
// edit one (title, topic, language, status, visibility, tags, Markdown body with uploaded
// images and files, an optional guide as JSON), with its version history and restore. Saving sends the version the edit
// was based on; a 409 says someone else saved first. Both forms submit through useSubmit: one
// save at a time, the API's error beside the field it names (a guide path beside the guide).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, patch, post } from '../../api/client';
import type { Article, ArticleSummary, ArticleVersion, KbCategory, Page, User } from '../../api/types';
import { FormError, SelectField, TextArea, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { ErrorBox, LoadState, Loading } from '../../components/Misc';
import { toast } from '../../components/Toasts';
import { fullTime, timeAgo } from '../../lib/format';
import { useLoad, useSubmit, useTitle } from '../../lib/hooks';
import { navigate, withQuery } from '../../lib/router';
import { InsertFile, insertAt } from './InsertFile';

export function KbEditor({ me, id, query }: { me: User; id: string; query: URLSearchParams }) {
  if (!id) return <ArticleList query={query} />;
  return <ArticleForm key={id} me={me} id={id === 'new' ? null : Number(id)} />;
}

function useCats() {
  return useLoad((signal) => get<Page<KbCategory>>('/kb/categories', { signal }).then((p) => p.items), []);
}

function ArticleList({ query }: { query: URLSearchParams }) {
  useTitle('Knowledge base');
  const status = query.get('status') || '';
  const list = useLoad((signal) => get<Page<ArticleSummary>>('/kb/articles', { query: { status, limit: 200 }, signal }), [status]);
  const cats = useCats();
  const [catName, setCatName] = useState('');
  const catLabel = (cid: number | null) => (cid ? cats.data?.find((c) => c.id === cid)?.name || '' : '');
  const topic = useSubmit(async () => {
    await post('/kb/categories', { name: catName.trim() });
    setCatName('');
    cats.reload();
    toast('Topic added');
  }, ['name']);

  return (
    <div class="kb-admin">
      <div class="page-head">
        <h1>Knowledge base</h1>
        <Link href="/agent/kb/new" class="btn primary">
          New article
        </Link>
      </div>
      <div class="two-col wide-left">
        <section class="card" aria-labelledby="arts-h">
          <div class="card-head">
            <h2 id="arts-h">Articles</h2>
            <div class="filter">
              <label for="kb-status">Status</label>
              <select id="kb-status" value={status} onChange={(e) => navigate(withQuery('/agent/kb', query, { status: (e.currentTarget as HTMLSelectElement).value }), { replace: true })}>
                <option value="">any</option>
                <option value="draft">draft</option>
                <option value="published">published</option>
                <option value="archived">archived</option>
              </select>
            </div>
          </div>
          <LoadState load={list} />
          {list.data && list.data.items.length === 0 && <p class="muted">No articles{status ? ` with status ${status}` : ''} yet.</p>}
          {list.data && list.data.items.length > 0 && (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Topic</th>
                    <th scope="col">Status</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <Link href={`/agent/kb/${a.id}`}>{a.title}</Link>
                        {a.kind === 'guide' && <span class="badge">guide</span>}
                        {a.visibility === 'internal' && <span class="badge">internal</span>}
                        <span class="muted small"> {a.language}</span>
                      </td>
                      <td>{catLabel(a.category_id)}</td>
                      <td>
                        <span class={`badge kb-${a.status}`}>{a.status}</span>
                      </td>
                      <td>{timeAgo(a.updated_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section class="card" aria-labelledby="topics-h">
          <h2 id="topics-h">Topics</h2>
          <ul class="kb-cats">
            {(cats.data || []).map((c) => (
              <li key={c.id}>
                {c.parent_id ? '— ' : ''}
                {c.name}
              </li>
            ))}
          </ul>
          <form onSubmit={topic.submit} class="inline-form" noValidate>
            <TextField label="New topic" name="name" value={catName} onValue={setCatName} error={topic.fields.name} maxLength={100} />
            <button type="submit" class="btn small" disabled={topic.busy || !catName.trim()}>
              {topic.busy ? 'Adding…' : 'Add topic'}
            </button>
            <FormError error={topic.form} />
          </form>
        </section>
      </div>
    </div>
  );
}

interface Draft {
  title: string;
  body_markdown: string;
  category_id: string;
  language: string;
  status: string;
  visibility: string;
  tags: string;
  guide: string;
}

/** The members of an article the form shows as fields: the API's errors go by them. */
const ARTICLE_FIELDS = ['title', 'body_markdown', 'category_id', 'language', 'status', 'visibility', 'tags', 'guide'];

const EMPTY: Draft = { title: '', body_markdown: '', category_id: '', language: 'en', status: 'draft', visibility: 'public', tags: '', guide: '' };

type Loaded = { draft: Draft; version: number };

/** The newest version's content, read from the version history (which, unlike
 *  GET /kb/articles/{id}, does not count as a reader's view). */
async function loadArticle(id: number, signal: AbortSignal): Promise<Loaded> {
  const vs = await get<Page<ArticleVersion>>(`/kb/articles/${id}/versions`, { query: { limit: 1 }, signal });
  const v = vs.items[0];
  const a = await get<Article & { article_id: number }>(`/kb/articles/${id}/versions/${v.version}`, { signal });
  return {
    version: v.version,
    draft: {
      title: a.title,
      body_markdown: a.body_markdown || '',
      category_id: a.category_id ? String(a.category_id) : '',
      language: a.language,
      status: a.status,
      visibility: a.visibility,
      tags: (a.tags || []).join(', '),
      guide: a.guide ? JSON.stringify(a.guide, null, 2) : '',
    },
  };
}

function ArticleForm({ id }: { me: User; id: number | null }) {
  const cats = useCats();
  const loaded = useLoad((signal) => (id ? loadArticle(id, signal) : Promise.resolve({ draft: EMPTY, version: 0 })), [id]);
  const [current, setDraft] = useState<Draft>(EMPTY);
  const draft = current;
  const [version, setVersion] = useState(0);
  const [histTick, setHistTick] = useState(0);
  // which button sent the form: "Save and publish" saves with the status published
  const publishing = useRef(false);
  useTitle(id ? `Edit: ${draft.title || 'article'}` : 'New article');
  useEffect(() => {
    if (loaded.data) {
      setDraft(loaded.data.draft);
      setVersion(loaded.data.version);
    }
  }, [loaded.data]);
  const set = (k: keyof Draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));

  const save = useSubmit(async () => {
    const draft = publishing.current ? { ...current, status: 'published' } : current;
    if (publishing.current) setDraft(draft);
    let guide: unknown = null;
    if (draft.guide.trim()) {
      try {
        guide = JSON.parse(draft.guide);
      } catch {
        throw new ApiError(422, 'validation_failed', 'The guide is not valid JSON.', 'guide');
      }
    }
    const body: Record<string, unknown> = {
      title: draft.title.trim(),
      body_markdown: draft.body_markdown,
      category_id: draft.category_id ? Number(draft.category_id) : null,
      language: draft.language.trim(),
      status: draft.status,
      visibility: draft.visibility,
      tags: draft.tags.split(',').map((t) => t.trim()).filter(Boolean),
      guide,
    };
    try {
      if (id) {
        const a = await patch<Article>(`/kb/articles/${id}`, { ...body, version });
        setVersion(a.version);
        setHistTick((t) => t + 1);
        toast(`Saved as version ${a.version}`);
      } else {
        const a = await post<Article>('/kb/articles', body);
        toast('Article created');
        navigate(`/agent/kb/${a.id}`, { replace: true });
      }
    } catch (err) {
      // a 409 on the version (not a translation's language taken): someone saved first
      if (err instanceof ApiError && err.status === 409 && err.field !== 'language')
        throw new Error('Someone else saved this article since you opened it. Copy your changes, reload, and apply them again.');
      throw err;
    }
  }, ARTICLE_FIELDS);
  /** Sends the form as its primary button (publish false) or as "Save and publish". */
  function send(e: Event | undefined, publish: boolean) {
    publishing.current = publish; // read by the action before it awaits anything
    return save.submit(e);
  }

  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error != null) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  return (
    <div class="kb-admin">
      <p class="crumbs">
        <Link href="/agent/kb">Knowledge base</Link> › {id ? draft.title || `Article ${id}` : 'New article'}
      </p>
      <div class="two-col wide-left">
        <form class="card" onSubmit={(e) => send(e, false)} noValidate aria-labelledby="edit-h">
          <div class="page-head">
            <h1 id="edit-h">{id ? 'Edit article' : 'New article'}</h1>
            {id && (
              <Link href={`/kb/${id}`} class="btn small">
                View as reader
              </Link>
            )}
          </div>
          <TextField label="Title" name="title" required maxLength={300} value={draft.title} onValue={set('title')} error={save.fields.title} />
          <div class="field-row">
            <SelectField label="Topic" name="category_id" value={draft.category_id} onValue={set('category_id')} error={save.fields.category_id} options={[{ value: '', label: 'No topic' }, ...(cats.data || []).map((c) => ({ value: String(c.id), label: c.name }))]} />
            <TextField label="Language" name="language" value={draft.language} onValue={set('language')} error={save.fields.language} maxLength={2} hint="two letters, e.g. en" />
          </div>
          <div class="field-row">
            <SelectField label="Status" name="status" value={draft.status} onValue={set('status')} error={save.fields.status} options={['draft', 'published', 'archived'].map((s) => ({ value: s, label: s }))} />
            <SelectField label="Visibility" name="visibility" value={draft.visibility} onValue={set('visibility')} error={save.fields.visibility} options={[{ value: 'public', label: 'public' }, { value: 'internal', label: 'internal (staff only)' }]} />
          </div>
          <TextField label="Tags" name="tags" value={draft.tags} onValue={set('tags')} error={save.fields.tags} hint="Separate with commas" />
          <TextArea id="kb-body" label="Body (Markdown)" name="body_markdown" rows={14} value={draft.body_markdown} onValue={set('body_markdown')} error={save.fields.body_markdown} />
          <InsertFile target="kb-body" onInsert={(md, at) => setDraft((d) => ({ ...d, body_markdown: insertAt(d.body_markdown, md, at) }))} />
          <TextArea
            label="Troubleshooting guide (JSON, optional)"
            name="guide"
            rows={6}
            value={draft.guide}
            onValue={set('guide')}
            error={save.fields.guide}
            hint='{"steps": [{"id": "start", "title": "…", "body_markdown": "…", "answers": [{"label": "Yes", "next": "…"}, {"label": "No", "outcome": "ticket"}]}]}'
          />
          <FormError error={save.form} />
          <div class="actions">
            <button type="submit" class="btn primary" disabled={save.busy || !draft.title.trim()}>
              {save.busy ? 'Saving…' : id ? 'Save' : 'Create'}
            </button>
            {id && draft.status !== 'published' && (
              <button type="button" class="btn" disabled={save.busy} onClick={(e) => send(e, true)}>
                Save and publish
              </button>
            )}
          </div>
        </form>
        {id && <Versions id={id} tick={histTick} current={version} onRestored={loaded.reload} />}
      </div>
    </div>
  );
}

function Versions({ id, tick, current, onRestored }: { id: number; tick: number; current: number; onRestored: () => void }) {
  const list = useLoad((signal) => get<Page<ArticleVersion>>(`/kb/articles/${id}/versions`, { query: { limit: 50 }, signal }), [id, tick, current]);
  const [err, setErr] = useState<unknown>(null);
  async function restore(v: number) {
    if (!confirm(`Restore version ${v}? Its title, body, guide, tags and topic become a new version.`)) return;
    try {
      const a = await post<Article>(`/kb/articles/${id}/versions/${v}/restore`);
      toast(`Version ${v} restored as version ${a.version}`);
      onRestored();
    } catch (e) {
      setErr(e);
    }
  }
  return (
    <section class="card" aria-labelledby="vers-h">
      <h2 id="vers-h">Versions</h2>
      {err != null && <ErrorBox error={err} />}
      {list.loading && !list.data && <Loading />}
      <ol class="versions">
        {(list.data?.items || []).map((v) => (
          <li key={v.version}>
            <strong>v{v.version}</strong> <span class={`badge kb-${v.status}`}>{v.status}</span>{' '}
            <time dateTime={v.created_at} title={fullTime(v.created_at)}>
              {timeAgo(v.created_at)}
            </time>
            {v.note && <span class="muted small"> · {v.note}</span>}
            <div class="muted small">{v.title}</div>
            {v.version !== current && (
              <button type="button" class="btn tiny ghost" onClick={() => restore(v.version)}>
                Restore
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
