// Suggested replies (GET /tickets/{id}/suggestions), shown only when the server has
// the AI engine: each with its confidence and sources, to insert into the composer and
// edit. Discarding one sends feedback (POST /ai/feedback); sending is reported by the
// page after the message goes out (markSent), and a suggestion already sent on the ticket
// is not offered again.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../../api/client';
import type { Message, Suggestion } from '../../api/types';
import { featureMissing } from '../../lib/features';

let suggestionsMissing = false;

// Each fetch of the suggestions makes new ids, so a suggestion is recognised by what it is
// grounded in (its sources; its text when it has none). The keys of the ones sent on a
// ticket are kept for the browser tab (sessionStorage), the shown ones' keys by id.
const shownKeys = new Map<string | number, string>();
const storeKey = (ticketId: number) => `parley.sent-suggestions.${ticketId}`;

function suggestionKey(s: Suggestion): string {
  return s.sources?.length ? s.sources.map((x) => `${x.type}:${x.id}`).join(',') : `text:${s.body.trim()}`;
}

function sentKeys(ticketId: number): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(storeKey(ticketId)) || '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** Remembers that the suggestion shown as suggestionId was sent (as is or edited) on ticketId. */
export function markSent(ticketId: number, suggestionId: string | number) {
  const key = shownKeys.get(suggestionId);
  if (!key) return;
  const keys = new Set(sentKeys(ticketId)).add(key);
  try {
    sessionStorage.setItem(storeKey(ticketId), JSON.stringify([...keys]));
  } catch {
    /* storage full or off: the conversation check below still applies */
  }
}

/** Whether s was already sent on the ticket: by this tab (sent keys), or its text is a
 *  public reply by staff in the conversation (another agent, another tab). */
function alreadySent(s: Suggestion, keys: string[], replies: Set<string>): boolean {
  return keys.includes(suggestionKey(s)) || replies.has(s.body.trim());
}

export function sendFeedback(suggestionId: string | number, outcome: 'sent' | 'edited' | 'discarded', finalText?: string) {
  post('/ai/feedback', { suggestion_id: suggestionId, outcome, ...(finalText ? { final_text: finalText } : {}) }).catch(() => undefined);
}

export function AiPanel({ ticketId, version, messages, requesterId, onInsert }: {
  ticketId: number;
  version: number;
  messages: Message[];
  requesterId: number;
  onInsert: (s: Suggestion) => void;
}) {
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [hidden, setHidden] = useState(suggestionsMissing);
  const [dismissed, setDismissed] = useState<Set<string | number>>(new Set());

  useEffect(() => {
    if (suggestionsMissing) return;
    const ctl = new AbortController();
    get<{ items: Suggestion[] }>(`/tickets/${ticketId}/suggestions`, { signal: ctl.signal })
      .then((r) => {
        for (const s of r.items || []) shownKeys.set(s.id, suggestionKey(s));
        setItems(r.items || []);
      })
      .catch((e) => {
        if (featureMissing(e)) {
          suggestionsMissing = true;
          setHidden(true);
        } else if ((e as Error).name !== 'AbortError') setItems([]);
      });
    return () => ctl.abort();
  }, [ticketId, version]);

  if (hidden || !items) return null;
  const keys = sentKeys(ticketId);
  const replies = new Set(messages.filter((m) => !m.internal && m.author_kind === 'user' && m.author_id !== requesterId).map((m) => m.body.trim()));
  const fresh = items.filter((s) => !dismissed.has(s.id));
  const shown = fresh.filter((s) => !alreadySent(s, keys, replies));
  const sent = fresh.length - shown.length;
  return (
    <section class="card ai-panel" aria-labelledby="ai-h">
      <h2 id="ai-h">Suggested replies</h2>
      {shown.length === 0 && <p class="muted">{sent ? 'No other suggestion for this ticket.' : 'No suggestion for this ticket.'}</p>}
      {sent > 0 && (
        <p class="muted small already-sent">
          {sent === 1 ? 'One suggestion you already sent on this ticket is hidden.' : `${sent} suggestions you already sent on this ticket are hidden.`}
        </p>
      )}
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
