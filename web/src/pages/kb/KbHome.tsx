// The help center home (/): search as you type with highlighted snippets, the category
// tree, the articles of a chosen category, and for signed-in customers their recent
// tickets. Anonymous readers see the same, with sign-in links.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { ArticleSummary, KbCategory, KbSearchAnswer, Page, User } from '../../api/types';
import { Link } from '../../components/Link';
import { ErrorBox, LoadState, Loading } from '../../components/Misc';
import { useDebounced, useLoad, useTitle } from '../../lib/hooks';
import { journey, recordSearch, typingSession } from '../../lib/kb';
import { navigate, withQuery, type Location } from '../../lib/router';
import { useStore } from '../../lib/store';
import { TicketList } from '../portal/MyTickets';

export function useCategories() {
  return useLoad((signal) => get<Page<KbCategory>>('/kb/categories', { signal }).then((p) => p.items), []);
}

export function KbHome({ me, loc }: { me: User | null; loc: Location }) {
  useTitle('Help center');
  const j = useStore(journey);
  const [q, setQ] = useState(() => loc.query.get('q') || '');
  const dq = useDebounced(q.trim(), 200);
  const cat = Number(loc.query.get('category')) || null;
  const cats = useCategories();
  const [hits, setHits] = useState<KbSearchAnswer | null>(null);
  const [searchErr, setSearchErr] = useState<unknown>(null);
  const [typing] = useState(typingSession);

  useEffect(() => {
    // keep the query in the address, so Back from an article returns to the results
    const want = withQuery('/', loc.query, { q: dq || null });
    if (want !== location.pathname + location.search) navigate(want, { replace: true });
    if (!dq) {
      setHits(null);
      return;
    }
    const ctl = new AbortController();
    get<KbSearchAnswer>('/kb/search', { query: { q: dq, limit: 10, category: cat, typing }, signal: ctl.signal })
      .then((r) => {
        setHits(r);
        setSearchErr(null);
        recordSearch(dq, r.search_id);
      })
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setSearchErr(e);
      });
    return () => ctl.abort();
  }, [dq, cat]);

  const list = useLoad(
    (signal) => (cat ? get<Page<ArticleSummary>>('/kb/articles', { query: { category: cat, limit: 50 }, signal }) : Promise.resolve(null)),
    [cat],
  );
  const catName = cat ? cats.data?.find((c) => c.id === cat)?.name : null;
  const top = (cats.data || []).filter((c) => !c.parent_id);

  return (
    <div class="kb">
      <section class="kb-hero" aria-labelledby="kb-h">
        <h1 id="kb-h">{me ? `Hello, ${me.name.split(' ')[0]}. How can we help?` : 'How can we help?'}</h1>
        <form role="search" onSubmit={(e) => e.preventDefault()} class="kb-searchbox">
          <label class="sr-only" for="kb-q">
            Search the help center
          </label>
          <input id="kb-q" type="search" autoComplete="off" placeholder="Describe your problem, e.g. “reset password”" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        </form>
      </section>

      {dq && (
        <section class="card" aria-labelledby="kb-res-h">
          <h2 id="kb-res-h">Results for “{dq}”{catName ? ` in ${catName}` : ''}</h2>
          {searchErr != null && <ErrorBox error={searchErr} />}
          {!hits && searchErr == null && <Loading label="Searching…" />}
          <div aria-live="polite">
            {hits && hits.items.length === 0 && (
              <p class="muted">
                No article matches. <Link href="/tickets/new">Ask our team</Link> and we will help.
              </p>
            )}
            {hits && hits.items.length > 0 && (
              <ul class="kb-hits">
                {hits.items.map((h) => (
                  <li key={h.id}>
                    <Link href={`/kb/${h.id}${hits.search_id ? `?search_id=${hits.search_id}` : ''}`}>{h.title}</Link>
                    {h.snippet && <p class="muted snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </section>
      )}

      <div class="kb-grid">
        <section class="card" aria-labelledby="kb-cat-h">
          <h2 id="kb-cat-h">Browse by topic</h2>
          <LoadState load={cats} />
          {cats.data && top.length === 0 && <p class="muted">No topics yet.</p>}
          <ul class="kb-cats">
            {top.map((c) => (
              <li key={c.id}>
                <Link href={withQuery('/', loc.query, { category: c.id === cat ? null : String(c.id) })} aria-current={c.id === cat ? 'true' : undefined}>
                  {c.name}
                </Link>
                {c.description && <span class="muted small"> — {c.description}</span>}
                {(cats.data || []).some((s) => s.parent_id === c.id) && (
                  <ul>
                    {(cats.data || [])
                      .filter((s) => s.parent_id === c.id)
                      .map((s) => (
                        <li key={s.id}>
                          <Link href={withQuery('/', loc.query, { category: String(s.id) })} aria-current={s.id === cat ? 'true' : undefined}>
                            {s.name}
                          </Link>
                        </li>
                      ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
        {cat && (
          <section class="card" aria-labelledby="kb-list-h">
            <h2 id="kb-list-h">{catName || 'Articles'}</h2>
            <LoadState load={list} />
            {list.data && list.data.items.length === 0 && <p class="muted">No articles in this topic yet.</p>}
            <ul class="kb-hits">
              {(list.data?.items || []).map((a) => (
                <li key={a.id}>
                  <Link href={`/kb/${a.id}`}>{a.title}</Link>
                  {a.kind === 'guide' && <span class="badge small-badge">step-by-step guide</span>}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>

      <section class="card kb-ask" aria-labelledby="kb-ask-h">
        <h2 id="kb-ask-h">Still need help?</h2>
        <p>
          Our team answers every ticket.
          {j.kb_search ? ' We will pass on what you searched for, so you need not repeat yourself.' : ''}
        </p>
        <Link href="/tickets/new" class="btn primary">
          Open a ticket
        </Link>
        {!me && (
          <span class="muted small">
            {' '}
            You will be asked to <Link href="/signin?next=/tickets/new">sign in</Link> or <Link href="/signup?next=/tickets/new">create an account</Link>.
          </span>
        )}
      </section>

      {me && <TicketList me={me} limit={5} />}
    </div>
  );
}
