// Suggested replies (GET /tickets/{id}/suggestions), shown only when the server has
// the AI engine: each with its confidence and sources, to insert into the composer and
// edit. Discarding one sends feedback (POST /ai/feedback); sending is reported by the
// page after the message goes out.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../../api/client';
import type { Suggestion } from '../../api/types';
import { featureMissing } from '../../lib/features';

let suggestionsMissing = false;

export function sendFeedback(suggestionId: string | number, outcome: 'sent' | 'edited' | 'discarded', finalText?: string) {
  post('/ai/feedback', { suggestion_id: suggestionId, outcome, ...(finalText ? { final_text: finalText } : {}) }).catch(() => undefined);
}

export function AiPanel({ ticketId, version, onInsert }: { ticketId: number; version: number; onInsert: (s: Suggestion) => void }) {
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [hidden, setHidden] = useState(suggestionsMissing);
  const [dismissed, setDismissed] = useState<Set<string | number>>(new Set());

  useEffect(() => {
    if (suggestionsMissing) return;
    const ctl = new AbortController();
    get<{ items: Suggestion[] }>(`/tickets/${ticketId}/suggestions`, { signal: ctl.signal })
      .then((r) => setItems(r.items || []))
      .catch((e) => {
        if (featureMissing(e)) {
          suggestionsMissing = true;
          setHidden(true);
        } else if ((e as Error).name !== 'AbortError') setItems([]);
      });
    return () => ctl.abort();
  }, [ticketId, version]);

  if (hidden || !items) return null;
  const shown = items.filter((s) => !dismissed.has(s.id));
  return (
    <section class="card ai-panel" aria-labelledby="ai-h">
      <h2 id="ai-h">Suggested replies</h2>
      {shown.length === 0 && <p class="muted">No suggestion for this ticket.</p>}
      <ul>
        {shown.map((s) => (
          <li key={s.id} class="suggestion">
            {typeof s.confidence === 'number' && <span class="badge">confidence {Math.round(s.confidence * 100)}%</span>}
            <p class="sugg-body">{s.body}</p>
            {s.sources && s.sources.length > 0 && (
              <p class="muted small">
                From: {s.sources.map((x) => `${x.type} “${x.title}”`).join(', ')}
              </p>
            )}
            <div class="actions">
              <button type="button" class="btn small" onClick={() => onInsert(s)}>
                Insert and edit
              </button>
              <button
                type="button"
                class="btn small ghost"
                onClick={() => {
                  sendFeedback(s.id, 'discarded');
                  setDismissed((d) => new Set(d).add(s.id));
                }}
              >
                Discard
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
