// An agent's ticket page: the conversation (internal notes unmistakable), the composer,
// suggested replies when the AI is there, the properties sidebar, the history, a
// collision warning when another agent has the ticket open, all live.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { Message, Ticket, User } from '../../api/types';
import { AttachmentList } from '../../components/Attachments';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { Conversation } from '../../components/Conversation';
import { Link } from '../../components/Link';
import { ErrorBox, Loading } from '../../components/Misc';
import { ShortcutHelp, TICKET_KEYS } from '../../components/ShortcutHelp';
import { toast } from '../../components/Toasts';
import { useTitle } from '../../lib/hooks';
import { listUrl, neighbour, useKeys } from '../../lib/keys';
import { personName, refdata } from '../../lib/refdata';
import { navigate } from '../../lib/router';
import { useStore } from '../../lib/store';
import { useTicket } from '../../lib/ticket';
import { AiPanel, markSent, sendFeedback } from './AiPanel';
import { AuditTrail } from './AuditTrail';
import { Composer, type ComposerHandle } from './Composer';
import { Properties } from './Properties';
import { TicketContext } from './TicketContext';
import { Triage } from './Triage';

const PRESENCE_POLL_MS = 15000;

export function AgentTicket({ me, id }: { me: User; id: number }) {
  const d = useStore(refdata);
  const st = useTicket(id);
  const t = st.ticket;
  useTitle(t ? `#${t.id} ${t.subject}` : `Ticket #${id}`);
  const composer = useRef<ComposerHandle>(null);
  const [help, setHelp] = useState(false);
  const [viewers, setViewers] = useState<{ user_id: number; name: string }[]>([]);

  useEffect(() => {
    if (t?.viewers) setViewers(t.viewers);
  }, [t]);

  // keep our presence alive and learn who else is here
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      get<Ticket>(`/tickets/${id}`)
        .then((fresh) => {
          setViewers(fresh.viewers || []);
          if (st.ticket && fresh.version !== st.ticket.version) st.setTicket(fresh);
        })
        .catch(() => undefined);
    }, PRESENCE_POLL_MS);
    return () => clearInterval(timer);
  }, [id, st.ticket?.version]);

  useKeys({
    r: () => composer.current?.focus('reply'),
    n: () => composer.current?.focus('note'),
    j: () => {
      const n = neighbour(id, 1);
      if (n) navigate(`/agent/tickets/${n}`);
    },
    k: () => {
      const n = neighbour(id, -1);
      if (n) navigate(`/agent/tickets/${n}`);
    },
    u: () => navigate(listUrl()),
    '?': () => setHelp(true),
  });

  if (st.loading && !t) return <Loading />;
  if (!t) return <ErrorBox error={st.error} onRetry={st.reload} />;

  function sent(m: Message, suggestion?: { id: string | number; original: string }) {
    st.addMessage(m);
    toast(m.internal ? 'Note added' : 'Reply sent');
    if (suggestion) {
      sendFeedback(suggestion.id, m.body.trim() === suggestion.original.trim() ? 'sent' : 'edited', m.body);
      markSent(id, suggestion.id);
    }
    return st.reloadTicket();
  }

  return (
    <div class="ticket-layout">
      <div class="ticket-main">
        <p class="crumbs">
          <Link href={listUrl()}>Tickets</Link> › #{t.id}
        </p>
        <div class="page-head">
          <h1>{t.subject}</h1>
          <div class="badges">
            <StatusBadge status={t.status} />
            <PriorityBadge priority={t.priority} />
          </div>
        </div>
        <p class="muted">
          From {t.requester?.name || personName(d, t.requester_id, me, 'Customer')} · via {t.channel}
          {t.assignee_id ? ` · assigned to ${t.assignee_id === me.id ? 'you' : t.assignee_name || personName(d, t.assignee_id, me)}` : ' · unassigned'}
        </p>
        {viewers.length > 0 && (
          <div class="collision" role="status">
            <strong>{viewers.map((v) => v.name).join(', ')}</strong> {viewers.length === 1 ? 'is' : 'are'} also looking at this ticket. Check before you reply.
          </div>
        )}
        {st.changedRemotely && (
          <div class="notice" role="status">
            This ticket was just changed by someone else; you are seeing the latest version.
          </div>
        )}
        {t.merged_into && (
          <p class="notice">
            Merged into <Link href={`/agent/tickets/${t.merged_into}`}>#{t.merged_into}</Link>.
          </p>
        )}
        <TicketContext ticket={t} />
        <Conversation messages={st.messages} me={me} requesterId={t.requester_id} staffView />
        <AttachmentList ticketId={t.id} version={t.version} />
        <AiPanel
          ticketId={t.id}
          version={t.version}
          messages={st.messages}
          requesterId={t.requester_id}
          onInsert={(s) => composer.current?.insert(s.body, s.id)}
        />
        <Composer ticket={t} onSent={sent} onTicket={st.setTicket} mine={st.mine} handle={composer} />
        <p class="muted small">
          <kbd>r</kbd> reply · <kbd>n</kbd> note · <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>?</kbd> all shortcuts
        </p>
      </div>
      <aside class="ticket-side" aria-label="Ticket details">
        <Triage ticketId={t.id} version={t.version} />
        <Properties key={t.id} ticket={t} me={me} onSaved={st.setTicket} onConflict={st.reloadTicket} mine={st.mine} />
        <AuditTrail ticketId={t.id} version={t.version} me={me} requester={t.requester} />
      </aside>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} keys={TICKET_KEYS} />
    </div>
  );
}
