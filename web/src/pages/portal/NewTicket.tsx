// A new ticket: subject, description (Markdown), the custom fields customers may fill,
// and knowledge-base recommendations while typing (when the server has them).
import { useEffect, useState } from 'preact/hooks';
import { post } from '../../api/client';
import type { Ticket, User } from '../../api/types';
import { DropZone, uploadFiles } from '../../components/Attachments';
import { cleanValues, CustomFieldInputs, type FieldValues } from '../../components/CustomFields';
import { FormError, TextArea, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { toast } from '../../components/Toasts';
import { useSubmit, useTitle } from '../../lib/hooks';
import { refdata } from '../../lib/refdata';
import { navigate } from '../../lib/router';
import { isStaff } from '../../lib/session';
import { useStore } from '../../lib/store';
import { clearJourney, journey, journeyContext } from '../../lib/kb';
import { KbRecommendations } from './KbRecommendations';

export function NewTicket({ me }: { me: User }) {
  useTitle('New ticket');
  const d = useStore(refdata);
  const staff = isStaff(me);
  const fields = d.fields.filter((f) => staff || f.customer_editable);
  const j = useStore(journey);
  const [subject, setSubject] = useState(() => (staff ? '' : journey.get().guide_title || journey.get().kb_search || ''));
  const [body, setBody] = useState('');
  const [requester, setRequester] = useState('');
  const [values, setValues] = useState<FieldValues>({});
  const [files, setFiles] = useState<File[]>([]);
  const known = ['subject', 'body', 'requester_email', 'custom_fields', ...fields.map((f) => `custom_fields.${f.key}`)];
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    const payload: Record<string, unknown> = { subject: subject.trim(), body };
    const cf = cleanValues(values);
    if (Object.keys(cf).length) payload.custom_fields = cf;
    if (staff && requester.trim()) payload.requester_email = requester.trim();
    const ctx = staff ? null : journeyContext();
    if (ctx) payload.context = ctx;
    const t = await post<Ticket>('/tickets', payload);
    if (ctx) clearJourney();
    const failed = files.length ? await uploadFiles(t.id, files) : [];
    toast(`Ticket #${t.id} created`);
    for (const f of failed) toast(f, 'error');
    navigate(staff ? `/agent/tickets/${t.id}` : `/tickets/${t.id}`);
  }, known);

  return (
    <div class="portal">
      <p class="crumbs">
        <Link href={staff ? '/agent' : '/'}>{staff ? 'Tickets' : 'Help center'}</Link> › New ticket
      </p>
      <div class="two-col">
        <section class="card">
          <h1>How can we help?</h1>
          <form onSubmit={submit} noValidate>
            {staff && <TextField label="Requester email (leave empty for yourself)" name="requester_email" type="email" value={requester} onValue={setRequester} error={errs.requester_email} />}
            <TextField label="Subject" name="subject" required maxLength={300} value={subject} onValue={setSubject} error={errs.subject} autoFocus />
            <TextArea label="Describe the problem" name="body" required rows={8} value={body} onValue={setBody} error={errs.body} hint="Markdown works: **bold**, lists, `code`, links." />
            <CustomFieldInputs fields={fields} values={values} errors={errs} onChange={(k, v) => setValues((o) => ({ ...o, [k]: v }))} />
            <DropZone files={files} onChange={setFiles} />
            {!staff && journeyContext() && <JourneyNote j={j} />}
            <FormError error={formErr} />
            <div class="actions">
              <button class="btn primary" type="submit" disabled={busy}>
                {busy ? 'Sending…' : 'Create ticket'}
              </button>
              <Link href={staff ? '/agent' : '/'} class="btn ghost">
                Cancel
              </Link>
            </div>
          </form>
        </section>
        <KbRecommendations text={`${subject}\n${body}`} />
      </div>
    </div>
  );
}

/** Tells the customer what the ticket will carry from the help center, with a way to drop it. */
function JourneyNote({ j }: { j: ReturnType<typeof journey.get> }) {
  const [shown, setShown] = useState(true);
  useEffect(() => setShown(true), [j]);
  if (!shown) return null;
  const n = j.articles_viewed?.length || 0;
  return (
    <div class="notice journey-note">
      <p>
        We will include what you already tried
        {j.kb_search ? <> (you searched for “{j.kb_search}”</> : ' ('}
        {n ? `${j.kb_search ? ', ' : ''}read ${n} article${n === 1 ? '' : 's'}` : ''}
        {j.guide_path?.length ? `${j.kb_search || n ? ', ' : ''}followed the guide “${j.guide_title}”` : ''}), so you need not repeat it.
      </p>
      <button
        type="button"
        class="btn ghost small"
        onClick={() => {
          clearJourney();
          setShown(false);
        }}
      >
        Do not include it
      </button>
    </div>
  );
}
