// A customer's ticket: the conversation (public messages only: the server never sends
// internal notes to customers), a reply box, "mark solved"/"reopen", and the rating
// once solved. Live over SSE.
import { useState } from 'preact/hooks';
import { fieldErrors, patch, post } from '../../api/client';
import type { Message, Ticket, User } from '../../api/types';
import { AttachmentList, DropZone, uploadFiles } from '../../components/Attachments';
import { AutoAnswerPrompt } from '../../components/AutoAnswer';
import { StatusBadge } from '../../components/Badges';
import { Conversation } from '../../components/Conversation';
import { FormError, TextArea } from '../../components/Field';
import { Link } from '../../components/Link';
import { ErrorBox, Loading } from '../../components/Misc';
import { RatingForm, RatingShown } from '../../components/Rating';
import { toast } from '../../components/Toasts';
import { fullTime } from '../../lib/format';
import { useSubmit, useTitle } from '../../lib/hooks';
import { refdata, statusCategory } from '../../lib/refdata';
import { useStore } from '../../lib/store';
import { useTicket } from '../../lib/ticket';

export function PortalTicket({ me, id }: { me: User; id: number }) {
  const st = useTicket(id);
  const d = useStore(refdata);
  const t = st.ticket;
  useTitle(t ? `#${t.id} ${t.subject}` : `Ticket #${id}`);
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const { submit: reply, busy, fields: errs, form: formErr } = useSubmit(async () => {
    const m = await post<Message>(`/tickets/${id}/messages`, { body });
    st.addMessage(m);
    setBody('');
    const failed = files.length ? await uploadFiles(id, files) : [];
    setFiles([]);
    toast('Reply sent');
    for (const f of failed) toast(f, 'error');
    st.reloadTicket();
  }, ['body']);

  if (st.loading && !t) return <Loading />;
  if (!t) return <ErrorBox error={st.error} onRetry={st.reload} />;

  const cat = statusCategory(d, t.status);
  const solved = cat === 'solved' || cat === 'closed';

  async function setStatus(status: string) {
    try {
      const nt = await patch<Ticket>(`/tickets/${id}`, { status });
      st.setTicket(nt);
      toast(status === 'solved' ? 'Marked as solved' : 'Ticket reopened');
    } catch (err) {
      toast(fieldErrors(err, []).form || 'Could not change the ticket', 'error');
    }
  }

  return (
    <div class="portal ticket-page">
      <p class="crumbs">
        <Link href="/tickets">My tickets</Link> › #{t.id}
      </p>
      <div class="page-head">
        <h1>{t.subject}</h1>
        <StatusBadge status={t.status} />
      </div>
      <p class="muted">
        Opened {fullTime(t.created_at)} · ticket #{t.id}
      </p>
      {t.merged_into && (
        <p class="notice">
          This ticket was merged into <Link href={`/tickets/${t.merged_into}`}>#{t.merged_into}</Link>.
        </p>
      )}
      <Conversation messages={st.messages} me={me} requesterId={t.requester_id} staffView={false} />
      <AttachmentList ticketId={t.id} version={t.version} />
      <AutoAnswerPrompt
        ticketId={t.id}
        version={t.version}
        awaited={cat === 'pending' && st.messages[st.messages.length - 1]?.author_kind === 'ai'}
        onAnswered={() => st.reload()}
      />
      {solved && (t.rating ? <RatingShown rating={t.rating} /> : <RatingForm ticketId={t.id} onRated={(r) => st.setTicket({ ...t, rating: r })} />)}
      {cat !== 'closed' && (
        <form class="card composer" onSubmit={reply} noValidate>
          <TextArea label={solved ? 'Still need help? Reply to reopen' : 'Your reply'} name="body" rows={5} value={body} onValue={setBody} error={errs.body} hint="Markdown works." />
          <DropZone files={files} onChange={setFiles} label="Attach files" />
          <FormError error={formErr} />
          <div class="actions">
            <button class="btn primary" type="submit" disabled={busy || !body.trim()}>
              {busy ? 'Sending…' : 'Send reply'}
            </button>
            {!solved ? (
              <button class="btn" type="button" onClick={() => setStatus('solved')}>
                Mark as solved
              </button>
            ) : (
              <button class="btn" type="button" onClick={() => setStatus('open')}>
                Reopen
              </button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
