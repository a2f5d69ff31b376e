// A new ticket: subject, description (Markdown), the custom fields customers may fill,
// and knowledge-base recommendations while typing (when the server has them).
import { useState } from 'preact/hooks';
import { fieldErrors, post } from '../../api/client';
import type { Ticket, User } from '../../api/types';
import { DropZone, uploadFiles } from '../../components/Attachments';
import { cleanValues, CustomFieldInputs, type FieldValues } from '../../components/CustomFields';
import { FormError, TextArea, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { toast } from '../../components/Toasts';
import { useTitle } from '../../lib/hooks';
import { refdata } from '../../lib/refdata';
import { navigate } from '../../lib/router';
import { isStaff } from '../../lib/session';
import { useStore } from '../../lib/store';
import { KbRecommendations } from './KbSearch';

export function NewTicket({ me }: { me: User }) {
  useTitle('New ticket');
  const d = useStore(refdata);
  const staff = isStaff(me);
  const fields = d.fields.filter((f) => staff || f.customer_editable);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [requester, setRequester] = useState('');
  const [values, setValues] = useState<FieldValues>({});
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [formErr, setFormErr] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrs({});
    setFormErr(null);
    const known = ['subject', 'body', 'requester_email', 'custom_fields', ...fields.map((f) => `custom_fields.${f.key}`)];
    try {
      const payload: Record<string, unknown> = { subject: subject.trim(), body };
      const cf = cleanValues(values);
      if (Object.keys(cf).length) payload.custom_fields = cf;
      if (staff && requester.trim()) payload.requester_email = requester.trim();
      const t = await post<Ticket>('/tickets', payload);
      const failed = files.length ? await uploadFiles(t.id, files) : [];
      toast(`Ticket #${t.id} created`);
      for (const f of failed) toast(f, 'error');
      navigate(staff ? `/agent/tickets/${t.id}` : `/tickets/${t.id}`);
    } catch (err) {
      const { fields: fe, form } = fieldErrors(err, known);
      setErrs(fe);
      setFormErr(form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="portal">
      <p class="crumbs">
        <Link href={staff ? '/agent' : '/'}>{staff ? 'Tickets' : 'My tickets'}</Link> › New ticket
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
