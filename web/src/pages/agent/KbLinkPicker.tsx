// Search the knowledge base from the composer and insert a Markdown link to an article.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { KbSearchAnswer } from '../../api/types';
import { useDebounced } from '../../lib/hooks';
import { typingSession } from '../../lib/kb';

export function KbLinkPicker({ onPick, onClose }: { onPick: (title: string, id: number) => void; onClose: () => void }) {
  const [q, setQ] = useState('');
  const dq = useDebounced(q.trim(), 200);
  const [hits, setHits] = useState<KbSearchAnswer | null>(null);
  const [typing] = useState(typingSession);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (!dq) {
      setHits(null);
      return;
    }
    const ctl = new AbortController();
    get<KbSearchAnswer>('/kb/search', { query: { q: dq, limit: 6, typing }, signal: ctl.signal })
      .then(setHits)
      .catch(() => undefined);
    return () => ctl.abort();
  }, [dq]);
  return (
    <div
      class="kb-picker"
      id="kb-insert"
      role="group"
      aria-label="Insert a knowledge-base link"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <label for="kb-insert-q">Search articles to link</label>
      <input id="kb-insert-q" ref={input} type="search" autoComplete="off" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
      {hits && (
        <ul class="kb-picker-hits" aria-live="polite">
          {hits.items.length === 0 && <li class="muted small">No article matches.</li>}
          {hits.items.map((h) => (
            <li key={h.id}>
              <button type="button" class="btn small ghost" onClick={() => onPick(h.title, h.id)}>
                Insert “{h.title}”
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
