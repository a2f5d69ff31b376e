// The ticket's audit trail (GET /tickets/{id}/events): who changed what, when.
import { get } from '../../api/client';
import type { AuditEvent, Page, User } from '../../api/types';
import { ErrorBox, Loading } from '../../components/Misc';
import { fullTime, humanize, timeAgo } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import { personName, refdata, type RefData } from '../../lib/refdata';
import { useStore } from '../../lib/store';

function describe(e: AuditEvent, d: RefData): string {
  const action = (e.action || '').replace(/^ticket\./, '');
  if (action === 'macro') return `Applied the template “${e.new ?? ''}”`;
  if (e.field) {
    const who = (v: string | null) => (v && (e.field === 'assignee_id' || e.field === 'assignee') && /^\d+$/.test(v) ? personName(d, Number(v), null, 'Agent') : v);
    const from = who(e.old) ?? '—';
    const to = who(e.new) ?? '—';
    return `${humanize(e.field)}: ${from} → ${to}`;
  }
  return humanize(action || 'change');
}

export function AuditTrail({ ticketId, version, me, requester }: { ticketId: number; version: number; me: User; requester?: { id: number; name: string } | null }) {
  const d = useStore(refdata);
  const ev = useLoad((signal) => get<Page<AuditEvent>>(`/tickets/${ticketId}/events`, { query: { limit: 100 }, signal }), [ticketId, version]);
  return (
    <details class="card audit">
      <summary>
        <h2>History</h2>
      </summary>
      {ev.loading && !ev.data && <Loading />}
      {ev.error != null && <ErrorBox error={ev.error} onRetry={ev.reload} />}
      {ev.data && (
        <ol class="audit-list">
          {ev.data.items.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at} title={fullTime(e.at)}>
                {timeAgo(e.at)}
              </time>{' '}
              <span class="who">{e.actor_kind === 'ai' ? 'AI' : e.actor_id ? (requester && e.actor_id === requester.id && e.actor_id !== me.id ? requester.name : personName(d, e.actor_id, me)) : humanize(e.actor_kind || 'system')}</span>{' '}
              <span class="what">{describe(e, d)}</span>
            </li>
          ))}
          {ev.data.items.length === 0 && <li class="muted">No changes yet.</li>}
        </ol>
      )}
    </details>
  );
}
