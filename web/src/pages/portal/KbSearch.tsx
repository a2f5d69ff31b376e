// Knowledge-base search as you type, shown only when the server has the knowledge base
// (GET /kb/search answers). Results link to the article API until article pages exist.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { KbHit } from '../../api/types';
import { hasFeature } from '../../lib/features';
import { useDebounced } from '../../lib/hooks';

export function KbSearch() {
  const [on, setOn] = useState(false);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<KbHit[] | null>(null);
  const dq = useDebounced(q.trim(), 200);
  useEffect(() => {
    hasFeature('kb-search').then(setOn);
  }, []);
  useEffect(() => {
    if (!on || !dq) {
      setHits(null);
      return;
    }
    const ctl = new AbortController();
    get<{ items: KbHit[] }>('/kb/search', { query: { q: dq, limit: 8 }, signal: ctl.signal })
      .then((r) => setHits(r.items || []))
      .catch(() => setHits([]));
    return () => ctl.abort();
  }, [dq, on]);
  if (!on) return null;
  return (
    <section class="card kb-search" aria-labelledby="kb-h">
      <h2 id="kb-h">Find an answer</h2>
      <label class="sr-only" for="kb-q">
        Search the help center
      </label>
      <input id="kb-q" type="search" placeholder="Describe your problem…" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
      {hits && (
        <ul class="kb-hits" aria-live="polite">
          {hits.length === 0 && <li class="muted">No articles match; open a ticket and we will help.</li>}
          {hits.map((h) => (
            <li key={h.id}>
              <a href={`/api/v1/kb/articles/${h.id}`}>{h.title}</a>
              {h.snippet && <p class="muted">{h.snippet.replace(/<[^>]*>/g, '')}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Articles that may answer a draft ticket, while the customer types it (GET /kb/recommend). */
export function KbRecommendations({ text }: { text: string }) {
  const [on, setOn] = useState(false);
  const [hits, setHits] = useState<KbHit[]>([]);
  const dt = useDebounced(text.trim(), 400);
  useEffect(() => {
    hasFeature('kb-recommend').then(setOn);
  }, []);
  useEffect(() => {
    if (!on || dt.length < 12) {
      setHits([]);
      return;
    }
    const ctl = new AbortController();
    get<{ items: KbHit[] }>('/kb/recommend', { query: { text: dt.slice(0, 2000), limit: 3 }, signal: ctl.signal })
      .then((r) => setHits(r.items || []))
      .catch(() => setHits([]));
    return () => ctl.abort();
  }, [dt, on]);
  if (!on || hits.length === 0) return null;
  return (
    <aside class="card kb-recs" aria-label="Articles that may help">
      <h2>These articles may answer your question</h2>
      <ul>
        {hits.map((h) => (
          <li key={h.id}>
            <a href={`/api/v1/kb/articles/${h.id}`} target="_blank" rel="noopener">
              {h.title}
            </a>
          </li>
        ))}
      </ul>
    </aside>
  );
}
