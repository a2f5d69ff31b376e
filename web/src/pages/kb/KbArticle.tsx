// An article page (/kb/{id}): the server's sanitised HTML of the Markdown, "did this
// help?" feedback, a troubleshooting guide stepped through when the article has one, and
// a way on to a ticket that carries what the reader did (lib/kb.ts).
import { useEffect, useState } from 'preact/hooks';
import { errorMessage, get, post } from '../../api/client';
import type { Article, GuideWalk, User } from '../../api/types';
import { Link } from '../../components/Link';
import { ErrorBox, Loading } from '../../components/Misc';
import { timeAgo } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { recordGuide, recordNotHelpful, recordView } from '../../lib/kb';
import { isStaff } from '../../lib/session';
import { useCategories } from './KbHome';

export function KbArticle({ id, me, searchId }: { id: number; me: User | null; searchId: string | null }) {
  const a = useLoad((signal) => get<Article>(`/kb/articles/${id}`, { query: { search_id: searchId }, signal }), [id]);
  const cats = useCategories();
  useTitle(a.data?.title || 'Article');
  useEffect(() => {
    if (a.data) recordView(a.data.id, a.data.title);
  }, [a.data?.id]);

  if (a.loading && !a.data) return <Loading />;
  if (!a.data)
    return (
      <section class="card narrow">
        <h1>Article not found</h1>
        <ErrorBox error={a.error} />
        <Link href="/">Back to the help center</Link>
      </section>
    );
  const art = a.data;
  const cat = cats.data?.find((c) => c.id === art.category_id);
  return (
    <div class="kb">
      <p class="crumbs">
        <Link href="/">Help center</Link>
        {cat && (
          <>
            {' › '}
            <Link href={`/?category=${cat.id}`}>{cat.name}</Link>
          </>
        )}
      </p>
      <article class="card kb-article" aria-labelledby="art-h">
        <div class="page-head">
          <h1 id="art-h">{art.title}</h1>
          {me && isStaff(me) && (
            <Link href={`/agent/kb/${art.id}`} class="btn small">
              Edit
            </Link>
          )}
        </div>
        <p class="muted small">
          Updated {timeAgo(art.updated_at)}
          {art.status !== 'published' && <span class="badge"> {art.status}</span>}
          {art.visibility === 'internal' && <span class="badge"> internal</span>}
        </p>
        <div class="prose" dangerouslySetInnerHTML={{ __html: art.body_html }} />
        {art.guide && <Guide article={art} />}
        {art.translations && art.translations.length > 0 && (
          <p class="muted small">
            Also in:{' '}
            {art.translations.map((t, i) => (
              <span key={t.id}>
                {i > 0 && ', '}
                <Link href={`/kb/${t.id}`} hrefLang={t.language}>
                  {t.title} ({t.language})
                </Link>
              </span>
            ))}
          </p>
        )}
      </article>
      {!art.guide && <Feedback article={art} />}
    </div>
  );
}

function Feedback({ article }: { article: Article }) {
  const [answer, setAnswer] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [commentSent, setCommentSent] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  async function send(helpful: boolean, text?: string) {
    setErr(null);
    try {
      await post(`/kb/articles/${article.id}/feedback`, { helpful, ...(text ? { comment: text } : {}) });
      if (text) setCommentSent(true);
    } catch (e) {
      setErr(errorMessage(e));
    }
  }

  return (
    <section class="card kb-feedback" aria-labelledby="fb-h">
      <h2 id="fb-h">Did this help?</h2>
      {answer === null && (
        <div class="actions">
          <button
            type="button"
            class="btn"
            onClick={() => {
              setAnswer(true);
              send(true);
            }}
          >
            Yes, it did
          </button>
          <button
            type="button"
            class="btn"
            onClick={() => {
              setAnswer(false);
              recordNotHelpful(article.id);
              send(false);
            }}
          >
            No, it did not
          </button>
        </div>
      )}
      {answer === true && <p role="status">Thanks for telling us. Glad it helped!</p>}
      {answer === false && (
        <div role="status">
          <p>Sorry it did not help. Tell us what was missing, or ask our team directly: your ticket will say which articles you already read.</p>
          {commentSent ? (
            <p class="muted">Thanks, we will use this to improve the article.</p>
          ) : (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (comment.trim()) send(false, comment.trim());
            }}
          >
            <label for="fb-comment">What was missing? (optional)</label>
            <textarea id="fb-comment" rows={2} maxLength={2000} value={comment} onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)} />
            <div class="actions">
              <button type="submit" class="btn small" disabled={!comment.trim()}>
                Send comment
              </button>
            </div>
          </form>
          )}
          <Link href="/tickets/new" class="btn primary">
            Open a ticket
          </Link>
        </div>
      )}
      {err && (
        <p class="form-error" role="alert">
          {err}
        </p>
      )}
    </section>
  );
}

/** Steps through a guide with GET /kb/articles/{id}/guide?path=; the server decides each step. */
function Guide({ article }: { article: Article }) {
  const [path, setPath] = useState<number[]>([]);
  const [walk, setWalk] = useState<GuideWalk | null>(null);
  const [err, setErr] = useState<unknown>(null);
  useEffect(() => {
    const ctl = new AbortController();
    get<GuideWalk>(`/kb/articles/${article.id}/guide`, { query: { path: path.join(',') }, signal: ctl.signal })
      .then((w) => {
        setWalk(w);
        setErr(null);
        if (w.outcome === 'ticket' && w.ticket_context) recordGuide(w.ticket_context);
      })
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setErr(e);
      });
    return () => ctl.abort();
  }, [article.id, path.join(',')]);

  return (
    <section class="guide" aria-labelledby="guide-h">
      <h2 id="guide-h">Step by step</h2>
      {err != null && <ErrorBox error={err} onRetry={() => setPath([])} />}
      {!walk && err == null && <Loading />}
      {walk && (
        <>
          {walk.path.length > 0 && (
            <ol class="guide-path" aria-label="Your answers so far">
              {walk.path.map((p, i) => (
                <li key={i}>
                  {p.title || p.step} → <strong>{p.answer}</strong>
                </li>
              ))}
            </ol>
          )}
          {walk.step && (
            <div class="guide-step" aria-live="polite">
              {walk.step.title && <h3>{walk.step.title}</h3>}
              <div class="prose" dangerouslySetInnerHTML={{ __html: walk.step.body_html }} />
              <div class="actions" role="group" aria-label="Your answer">
                {walk.step.answers.map((ans, i) => (
                  <button key={i} type="button" class="btn" onClick={() => setPath([...path, i])}>
                    {ans.label}
                  </button>
                ))}
              </div>
            </div>
          )}
          {walk.outcome === 'solved' && (
            <p class="guide-done" role="status">
              Great, that solved it. Nothing else to do.
            </p>
          )}
          {walk.outcome === 'ticket' && (
            <div class="guide-done guide-ticket" role="status">
              <p>This needs our team. Your ticket will include the steps you already tried.</p>
              <Link href="/tickets/new" class="btn primary">
                Open a ticket
              </Link>
            </div>
          )}
          <div class="actions">
            {path.length > 0 && (
              <button type="button" class="btn ghost small" onClick={() => setPath(path.slice(0, -1))}>
                Back one step
              </button>
            )}
            {path.length > 0 && (
              <button type="button" class="btn ghost small" onClick={() => setPath([])}>
                Start over
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
