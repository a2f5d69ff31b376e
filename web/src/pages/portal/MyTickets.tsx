// "My tickets" (/tickets) with their status, kept current by the live stream; the list
// also appears, shortened, on the help-center home.
import { get } from '../../api/client';
import type { Page, Ticket, User } from '../../api/types';
import { StatusBadge } from '../../components/Badges';
import { Link } from '../../components/Link';
import { Empty, LoadState } from '../../components/Misc';
import { timeAgo } from '../../lib/format';
import { useLive, useLoad, useThrottledReload, useTitle } from '../../lib/hooks';

export function MyTickets({ me }: { me: User }) {
  useTitle('My tickets');
  return (
    <div class="portal">
      <div class="page-head">
        <h1>Hello, {me.name.split(' ')[0]}</h1>
        <Link href="/tickets/new" class="btn primary">
          New ticket
        </Link>
      </div>
      <TicketList me={me} limit={100} />
    </div>
  );
}

export function TicketList({ me, limit }: { me: User; limit: number }) {
  const list = useLoad((signal) => get<Page<Ticket>>('/tickets', { query: { sort: '-updated_at', limit }, signal }), [me.id, limit]);
  const refresh = useThrottledReload(list.reload, 250);
  useLive((e) => {
    if (e.type.startsWith('ticket.') || e.type === 'message.created' || e.type === 'stream.reconnected') refresh();
  });
  const items = list.data?.items || [];
  return (
    <section class="card" aria-labelledby="mine-h">
      <h2 id="mine-h">My tickets</h2>
      <LoadState load={list} />
      {list.data && items.length === 0 && (
        <Empty>
          You have no tickets yet. <Link href="/tickets/new">Ask us something</Link>.
        </Empty>
      )}
      {items.length > 0 && (
        <ul class="ticket-cards" aria-label="My tickets">
          {items.map((t) => (
            <li key={t.id}>
              <Link href={`/tickets/${t.id}`} class="ticket-card">
                <span class="tc-subject">{t.subject}</span>
                <span class="tc-meta">
                  <StatusBadge status={t.status} />
                  <span class="muted">#{t.id}</span>
                  <span class="muted">updated {timeAgo(t.updated_at)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {list.data?.next_cursor && limit < 100 && (
        <p>
          <Link href="/tickets">All my tickets</Link>
        </p>
      )}
    </section>
  );
}
