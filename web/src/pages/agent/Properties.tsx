// The properties sidebar: status, priority, assignee, team, tags and custom fields,
// saved together with PATCH and If-Match (the ticket's version). A 409 means someone
// else changed the ticket: their version is loaded and the unsaved edits are kept.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../../api/client';
import type { Ticket, User } from '../../api/types';
import { CustomFieldInputs, type FieldValues } from '../../components/CustomFields';
import { FormError, SelectField, TextField, type SelectOption } from '../../components/Field';
import { toast } from '../../components/Toasts';
import { fullTime } from '../../lib/format';
import { useSubmit } from '../../lib/hooks';
import { allowedStatuses, personName, refdata } from '../../lib/refdata';
import { useStore } from '../../lib/store';

interface Draft {
  status: string;
  priority: string;
  assignee_id: string;
  team_id: string;
  tags: string;
  custom_fields: FieldValues;
}

function draftOf(t: Ticket): Draft {
  return {
    status: t.status,
    priority: t.priority,
    assignee_id: t.assignee_id ? String(t.assignee_id) : '',
    team_id: t.team_id ? String(t.team_id) : '',
    tags: t.tags.join(', '),
    custom_fields: { ...t.custom_fields },
  };
}

const parseTags = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The members of the draft that differ from the ticket, as a PATCH body. */
function changes(t: Ticket, d: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (d.status !== t.status) out.status = d.status;
  if (d.priority !== t.priority) out.priority = d.priority;
  if (d.assignee_id !== (t.assignee_id ? String(t.assignee_id) : '')) out.assignee_id = d.assignee_id ? Number(d.assignee_id) : null;
  if (d.team_id !== (t.team_id ? String(t.team_id) : '')) out.team_id = d.team_id ? Number(d.team_id) : null;
  if (parseTags(d.tags).join(',') !== t.tags.join(',')) out.tags = parseTags(d.tags);
  const cf: FieldValues = {};
  let cfChanged = false;
  for (const k of new Set([...Object.keys(d.custom_fields), ...Object.keys(t.custom_fields)])) {
    const a = d.custom_fields[k];
    const b = t.custom_fields[k];
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) {
      cfChanged = true;
      cf[k] = a === undefined ? null : a;
    }
  }
  if (cfChanged) out.custom_fields = cf;
  return out;
}

/** The draft members behind a set of changes (custom_fields as a whole). */
function pick(d: Draft, edits: Record<string, unknown>): Partial<Draft> {
  const out: Partial<Draft> = {};
  for (const k of Object.keys(edits)) (out as Record<string, unknown>)[k] = d[k as keyof Draft];
  return out;
}

export function Properties({
  ticket,
  me,
  onSaved,
  onConflict,
  mine,
}: {
  ticket: Ticket;
  me: User;
  onSaved: (t: Ticket) => void;
  onConflict: () => Promise<Ticket | null>;
  /** runs a change of ours (lib/ticket.ts) */
  mine: <T>(work: Promise<T>) => Promise<T>;
}) {
  const d = useStore(refdata);
  const [draft, setDraft] = useState<Draft>(() => draftOf(ticket));
  // the version the draft was made from: edits are what differs from it
  const [base, setBase] = useState<Ticket>(ticket);
  const [conflict, setConflict] = useState(false);
  const diff = changes(base, draft);
  const dirty = Object.keys(diff).length > 0;

  // a newer version (from elsewhere, or after a reply): take it, keeping edits in progress
  useEffect(() => {
    if (ticket.version !== base.version) {
      const edits = changes(base, draft);
      setDraft({ ...draftOf(ticket), ...pick(draft, edits) });
      setBase(ticket);
    }
  }, [ticket.version]);

  const set = (k: keyof Draft) => (v: string) => setDraft((x) => ({ ...x, [k]: v }));

  const known = ['status', 'priority', 'assignee_id', 'team_id', 'tags', ...d.fields.map((f) => `custom_fields.${f.key}`)];
  const { submit: save, busy, fields: errs, form: formErr } = useSubmit(async () => {
    if (!dirty) return;
    try {
      const r = await mine(request<Ticket>('PATCH', `/tickets/${ticket.id}`, { body: diff, headers: { 'If-Match': `"${ticket.version}"` } }));
      setConflict(false);
      setDraft(draftOf(r.data));
      setBase(r.data);
      onSaved(r.data);
      toast('Ticket updated');
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409)) throw err;
      setConflict(true);
      await onConflict();
    }
  }, known);

  // the assignee picker: me first, then the staff grouped by team (GET /staff)
  const staff = d.staff.length ? d.staff : d.users.filter((u) => u.role !== 'customer' && u.active);
  const assigneeOpts: SelectOption[] = [{ value: '', label: 'Unassigned' }, { value: String(me.id), label: `${me.name} (me)` }];
  const placed = new Set<number>([me.id]);
  for (const team of d.teams) {
    const members = staff.filter((u) => u.team_ids.includes(team.id) && !placed.has(u.id));
    if (!members.length) continue;
    for (const u of members) placed.add(u.id);
    assigneeOpts.push({ group: team.name, options: members.map((u) => ({ value: String(u.id), label: u.name })) });
  }
  const rest = staff.filter((u) => !placed.has(u.id));
  if (rest.length) assigneeOpts.push({ group: d.teams.length ? 'No team' : 'Staff', options: rest.map((u) => ({ value: String(u.id), label: u.name })) });
  if (ticket.assignee_id && !placed.has(ticket.assignee_id) && !rest.some((u) => u.id === ticket.assignee_id))
    assigneeOpts.push({ value: String(ticket.assignee_id), label: ticket.assignee_name || personName(d, ticket.assignee_id) });

  return (
    <form class="card properties" onSubmit={save} aria-labelledby="props-h">
      <h2 id="props-h">Properties</h2>
      {conflict && (
        <div class="conflict" role="alert">
          Someone else changed this ticket while you were editing. Their version is loaded; your changes are kept below. Review them and save again.
        </div>
      )}
      <SelectField label="Status" name="status" value={draft.status} onValue={set('status')} error={errs.status} options={allowedStatuses(d, ticket.status).map((s) => ({ value: s.key, label: s.label }))} />
      <SelectField label="Priority" name="priority" value={draft.priority} onValue={set('priority')} error={errs.priority} options={(d.priorities.length ? d.priorities : [{ key: ticket.priority, label: ticket.priority, position: 0 }]).map((p) => ({ value: p.key, label: p.label }))} />
      <SelectField label="Assignee" name="assignee_id" value={draft.assignee_id} onValue={set('assignee_id')} error={errs.assignee_id} options={assigneeOpts} />
      <SelectField label="Team" name="team_id" value={draft.team_id} onValue={set('team_id')} error={errs.team_id} options={[{ value: '', label: 'No team' }, ...d.teams.map((t) => ({ value: String(t.id), label: t.name }))]} />
      <TextField label="Tags" name="tags" value={draft.tags} onValue={set('tags')} error={errs.tags} hint="Separate with commas" />
      <CustomFieldInputs fields={d.fields} values={draft.custom_fields} errors={errs} onChange={(k, v) => setDraft((x) => ({ ...x, custom_fields: { ...x.custom_fields, [k]: v } }))} />
      <FormError error={formErr} />
      <div class="actions">
        <button class="btn primary" type="submit" disabled={!dirty || busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        {dirty && (
          <button class="btn ghost" type="button" onClick={() => { setDraft(draftOf(ticket)); setBase(ticket); setConflict(false); }}>
            Discard
          </button>
        )}
      </div>
      <dl class="facts">
        <dt>Requester</dt>
        <dd>
          {ticket.requester?.name || personName(d, ticket.requester_id, me, 'Customer')}
          {ticket.requester?.email && (
            <>
              <br />
              <a href={`mailto:${ticket.requester.email}`} class="small">
                {ticket.requester.email}
              </a>
            </>
          )}
        </dd>
        <dt>Channel</dt>
        <dd>{ticket.channel}</dd>
        {ticket.category && (
          <>
            <dt>Category</dt>
            <dd>{ticket.category}</dd>
          </>
        )}
        {ticket.language && (
          <>
            <dt>Language</dt>
            <dd>{ticket.language}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{fullTime(ticket.created_at)}</dd>
        {ticket.first_response_at && (
          <>
            <dt>First response</dt>
            <dd>{fullTime(ticket.first_response_at)}</dd>
          </>
        )}
        {ticket.solved_at && (
          <>
            <dt>Solved</dt>
            <dd>{fullTime(ticket.solved_at)}</dd>
          </>
        )}
        {ticket.rating && (
          <>
            <dt>Rating</dt>
            <dd>
              {'★'.repeat(ticket.rating.score)}
              {'☆'.repeat(5 - ticket.rating.score)} {ticket.rating.comment ? `“${ticket.rating.comment}”` : ''}
            </dd>
          </>
        )}
      </dl>
    </form>
  );
}
