// Managing macros (templates): an agent's personal ones at /agent/macros, the shared ones in
// the admin console. A form (name, Markdown body with placeholders, actions) that adds or
// edits, and the list with what each macro does.
import { useState } from 'preact/hooks';
import { patch, post } from '../../api/client';
import type { Macro, MacroActions } from '../../api/types';
import { FormError, SelectField, TextArea, TextField } from '../../components/Field';
import { DeleteButton } from '../../components/DeleteButton';
import { DataTable, LoadState } from '../../components/Misc';
import { toast } from '../../components/Toasts';
import { useLoad, useSubmit, useTitle } from '../../lib/hooks';
import { describeActions, loadMacros } from '../../lib/macros';
import { refdata } from '../../lib/refdata';
import { useStore } from '../../lib/store';

/** The agent's own templates, as a page of the workspace. */
export function MyMacros() {
  useTitle('My templates');
  return (
    <section>
      <h1>My templates</h1>
      <p class="muted">Only you see these. Shared templates are managed by admins.</p>
      <Macros shared={false} />
    </section>
  );
}

/** The macros of one kind (shared or personal) with a form to add and edit them. */
export function Macros({ shared }: { shared: boolean }) {
  const list = useLoad((signal) => loadMacros(signal), []);
  const [editing, setEditing] = useState<Macro | null>(null);
  const [round, setRound] = useState(0); // a new, empty form after each save
  const d = useStore(refdata);
  const items = (list.data?.items || []).filter((m) => m.shared === shared);
  return (
    <>
      <MacroForm
        key={editing ? `edit-${editing.id}` : `new-${round}`}
        shared={shared}
        macro={editing}
        placeholders={list.data?.placeholders || []}
        onDone={() => {
          setEditing(null);
          setRound(round + 1);
          list.reload();
        }}
      />
      <LoadState load={list} />
      {list.data && (
        <DataTable columns={['Name', 'Does', { label: 'Actions', hidden: true }]}>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td class="small">{describeActions(d, m.actions) || <span class="muted">inserts text only</span>}</td>
                <td>
                  <button type="button" class="btn small" onClick={() => setEditing(m)} aria-label={`Edit ${m.name}`}>
                    Edit
                  </button>{' '}
                  <DeleteButton what={`the template ${m.name}`} path={`/macros/${m.id}`} onDone={list.reload} />
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr>
                <td colSpan={3} class="muted">
                  No templates yet.
                </td>
              </tr>
            )}
          </tbody>
        </DataTable>
      )}
    </>
  );
}

const tagList = (s: string) => s.split(',').map((t) => t.trim()).filter(Boolean);
const KNOWN = ['name', 'body', 'shared', 'actions', 'actions.status', 'actions.priority', 'actions.add_tags', 'actions.remove_tags', 'actions.assignee_id', 'actions.team_id'];

function MacroForm({ shared, macro, placeholders, onDone }: { shared: boolean; macro: Macro | null; placeholders: string[]; onDone: () => void }) {
  const d = useStore(refdata);
  const a = macro?.actions || {};
  const [v, setV] = useState({
    name: macro?.name || '',
    body: macro?.body || '',
    status: a.status || '',
    priority: a.priority || '',
    add_tags: (a.add_tags || []).join(', '),
    remove_tags: (a.remove_tags || []).join(', '),
    assignee: a.assignee_id === undefined ? '' : a.assignee_id === null ? 'none' : String(a.assignee_id),
    team: a.team_id === undefined ? '' : a.team_id === null ? 'none' : String(a.team_id),
  });
  const set = (k: keyof typeof v) => (x: string) => setV({ ...v, [k]: x });
  const s = useSubmit(async () => {
    const actions: MacroActions = {};
    if (v.status) actions.status = v.status;
    if (v.priority) actions.priority = v.priority;
    if (tagList(v.add_tags).length) actions.add_tags = tagList(v.add_tags);
    if (tagList(v.remove_tags).length) actions.remove_tags = tagList(v.remove_tags);
    if (v.assignee) actions.assignee_id = v.assignee === 'none' ? null : v.assignee === 'me' ? 'me' : Number(v.assignee);
    if (v.team) actions.team_id = v.team === 'none' ? null : Number(v.team);
    const body = { name: v.name, body: v.body, actions, shared };
    if (macro) await patch(`/macros/${macro.id}`, body);
    else await post('/macros', body);
    toast(macro ? 'Template saved' : 'Template added');
    onDone();
  }, KNOWN);
  const e = s.fields;
  const actionsErr = e.actions;
  return (
    <form class="card" noValidate onSubmit={s.submit} aria-label={macro ? `Edit ${macro.name}` : 'New template'}>
      <h2>{macro ? `Edit “${macro.name}”` : shared ? 'New shared template' : 'New template'}</h2>
      <TextField label="Name" name="macro-name" value={v.name} onValue={set('name')} error={e.name} />
      <TextArea
        label="Text (Markdown)"
        name="macro-body"
        rows={5}
        value={v.body}
        onValue={set('body')}
        error={e.body}
        hint={placeholders.length ? <>Placeholders: {placeholders.map((p) => `{{${p}}}`).join(' ')}</> : undefined}
      />
      <fieldset>
        <legend>When applied, also</legend>
        <div class="grid-2">
          <SelectField label="Set status" name="macro-status" value={v.status} onValue={set('status')} error={e['actions.status']} options={[{ value: '', label: 'unchanged' }, ...d.statuses.map((x) => ({ value: x.key, label: x.label }))]} />
          <SelectField label="Set priority" name="macro-priority" value={v.priority} onValue={set('priority')} error={e['actions.priority']} options={[{ value: '', label: 'unchanged' }, ...d.priorities.map((x) => ({ value: x.key, label: x.label }))]} />
          <TextField label="Add tags" name="macro-add-tags" value={v.add_tags} onValue={set('add_tags')} error={e['actions.add_tags']} hint="Separate with commas" />
          <TextField label="Remove tags" name="macro-remove-tags" value={v.remove_tags} onValue={set('remove_tags')} error={e['actions.remove_tags']} hint="Separate with commas" />
          <SelectField
            label="Assign to"
            name="macro-assignee"
            value={v.assignee}
            onValue={set('assignee')}
            error={e['actions.assignee_id']}
            options={[{ value: '', label: 'unchanged' }, { value: 'me', label: 'whoever applies it' }, { value: 'none', label: 'nobody (unassign)' }, ...d.staff.map((x) => ({ value: String(x.id), label: x.name }))]}
          />
          <SelectField label="Team" name="macro-team" value={v.team} onValue={set('team')} error={e['actions.team_id']} options={[{ value: '', label: 'unchanged' }, { value: 'none', label: 'no team' }, ...d.teams.map((x) => ({ value: String(x.id), label: x.name }))]} />
        </div>
      </fieldset>
      <FormError error={actionsErr || e.shared || s.form} />
      <div class="row">
        <button class="btn primary" type="submit" disabled={s.busy || !v.name.trim()}>
          {s.busy ? 'Saving…' : macro ? 'Save template' : 'Add template'}
        </button>
        {macro && (
          <button type="button" class="btn ghost" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
