// Articles that may answer a draft ticket, while the customer types it (debounced
// GET /kb/recommend); shown only when the server has the knowledge base.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { KbHit } from '../../api/types';
import { hasFeature } from '../../lib/features';
import { useDebounced } from '../../lib/hooks';

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
    <aside class="card kb-recs" aria-labelledby="kb-recs-h">
      <h2 id="kb-recs-h">These articles may answer your question</h2>
      <ul aria-live="polite">
        {hits.map((h) => (
          <li key={h.id}>
            <a href={`/kb/${h.id}`} target="_blank" rel="noopener">
              {h.title}
            </a>
            {h.snippet && <p class="muted small snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />}
          </li>
        ))}
      </ul>
      <p class="muted small">Opens in a new tab; your draft stays here.</p>
    </aside>
  );
}
