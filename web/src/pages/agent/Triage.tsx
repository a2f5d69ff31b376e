// The AI's triage of a ticket (GET /tickets/{id}/ai): category, priority and sentiment,
// each with its confidence and the words that pushed it there ("why"), and the language.
// Hidden when the server has no AI routes (404).
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { AiDecision, TicketAi } from '../../api/types';
import { featureMissing } from '../../lib/features';
import { humanize } from '../../lib/format';

let missing = false;

export function Triage({ ticketId, version }: { ticketId: number; version: number }) {
  const [ai, setAi] = useState<TicketAi | null>(null);
  const [hidden, setHidden] = useState(missing);
  useEffect(() => {
    if (missing) return;
    const ctl = new AbortController();
    get<TicketAi>(`/tickets/${ticketId}/ai`, { signal: ctl.signal })
      .then(setAi)
      .catch((e) => {
        if (featureMissing(e)) {
          missing = true;
          setHidden(true);
        }
      });
    return () => ctl.abort();
  }, [ticketId, version]);
  if (hidden || !ai) return null;
  const rows: [string, AiDecision | null][] = [
    ['Category', ai.category],
    ['Priority', ai.priority],
    ['Sentiment', ai.sentiment],
  ];
  const none = !rows.some(([, x]) => x);
  return (
    <section class="card triage" aria-labelledby="triage-h">
      <h2 id="triage-h">AI triage</h2>
      {none && <p class="muted small">No category, priority or sentiment decision on this ticket (no trained model yet).</p>}
      <dl class="triage-list">
        {rows.map(([name, x]) =>
          x ? (
            <div key={name} class={`triage-row${x.abstained || x.needs_person ? ' abstained' : ''}`}>
              <dt>{name}</dt>
              <dd>
                <strong>{humanize(x.label)}</strong> <Confidence value={x.confidence} />
                {(x.abstained || x.needs_person) && <span class="badge warn-badge">not sure: a person should decide</span>}
                {x.applied && <span class="badge">applied</span>}
                {x.why?.length > 0 && (
                  <span class="why">
                    why: {x.why.map((w) => `“${w.word}”`).join(', ')}
                  </span>
                )}
              </dd>
            </div>
          ) : null,
        )}
        {ai.language && (
          <div class="triage-row">
            <dt>Language</dt>
            <dd>{ai.language}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

function Confidence({ value }: { value: number }) {
  const pct = Math.round((value || 0) * 100);
  return (
    <span class="confidence" title="The calibrated probability that this label is right">
      <meter min={0} max={100} value={pct} low={50} high={75} optimum={100} aria-label={`confidence ${pct}%`} /> {pct}%
    </span>
  );
}
