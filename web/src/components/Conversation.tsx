// The messages of a ticket, oldest first. body_html is the server's sanitised HTML of
// the Markdown body. Internal notes are framed, tinted and labelled, never mistaken for
// a reply.
import type { Message, User } from '../api/types';
import { fullTime, timeAgo } from '../lib/format';
import { personName, refdata } from '../lib/refdata';
import { useStore } from '../lib/store';

function authorLabel(m: Message, me: User | null, requesterId: number, staffView: boolean, names: ReturnType<typeof refdata.get>): string {
  if (m.author_id && me && m.author_id === me.id) return 'You';
  if (m.author_kind === 'ai' || m.author_kind === 'system') return m.author_kind === 'ai' ? 'Parley assistant' : 'Parley';
  if (m.author_id === requesterId) return staffView ? m.author_name || personName(names, m.author_id, null, 'Customer') : 'You';
  if (m.author_name) return m.author_name;
  if (!staffView) return 'Support team';
  return personName(names, m.author_id, null, 'Agent') || 'Support team';
}

export function Conversation({ messages, me, requesterId, staffView }: { messages: Message[]; me: User | null; requesterId: number; staffView: boolean }) {
  const names = useStore(refdata);
  return (
    <ol class="conversation" aria-label="Conversation">
      {messages.map((m) => {
        const fromRequester = m.author_id === requesterId;
        const cls = m.internal ? 'msg internal' : fromRequester ? 'msg from-customer' : 'msg from-staff';
        return (
          <li key={m.id} class={cls} id={`message-${m.id}`} data-internal={m.internal ? 'true' : 'false'}>
            <div class="msg-head">
              <strong class="msg-author">{authorLabel(m, me, requesterId, staffView, names)}</strong>
              {m.internal && <span class="badge note-badge">Internal note · not visible to the customer</span>}
              <time dateTime={m.created_at} title={fullTime(m.created_at)}>
                {timeAgo(m.created_at)}
              </time>
            </div>
            <div class="msg-body prose" dangerouslySetInnerHTML={{ __html: m.body_html }} />
          </li>
        );
      })}
    </ol>
  );
}
