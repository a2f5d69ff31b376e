// Actions on the selected tickets: POST /tickets/bulk, then a summary of what changed
// and what was refused (per-id results).
import { useRef, useState } from 'preact/hooks';
import { post } from '../../api/client';
import type { BulkResult, User } from '../../api/types';
import { FormError } from '../../components/Field';
import { toast } from '../../components/Toasts';
import { useSubmit } from '../../lib/hooks';
import { refdata } from '../../lib/refdata';
import { useStore } from '../../lib/store';

export function BulkBar({ ids, me, onDone, onClear }: { ids: number[]; me: User; onDone: () => void; onClear: () => void }) {
  const d = useStore(refdata);
  const [tag, setTag] = useState('');
  // the change to send; one at a time (useSubmit drops a second while the first runs)
  const change = useRef<{ set: Record<string, unknown>; what: string } | null>(null);
  const sending = useSubmit(async () => {
    const c = change.current;
    if (!c) return;
    const r = await post<{ results: BulkResult[] }>('/tickets/bulk', { ids, set: c.set });
    const failed = r.results.filter((x) => x.status >= 300);
    if (failed.length) toast(`${c.what}: ${r.results.length - failed.length} updated, ${failed.length} refused (${failed[0].error?.message || failed[0].status})`, 'error');
    else toast(`${c.what}: ${r.results.length} updated`);
    onDone();
  }, []);
  const busy = sending.busy;
  const apply = (set: Record<string, unknown>, what: string) => {
    if (busy) return;
    change.current = { set, what };
    sending.submit();
  };

  const onSelect = (key: string, what: string, conv: (v: string) => unknown = (v) => v) => (e: Event) => {
    const el = e.currentTarget as HTMLSelectElement;
    const v = el.value;
    el.value = '';
    if (v) apply({ [key]: conv(v) }, what);
  };

  return (
    <div class="bulkbar" role="region" aria-label="Bulk actions">
      <strong>{ids.length} selected</strong>
      <label class="sr-only" for="bulk-status">
        Set status of selected
      </label>
      <select id="bulk-status" disabled={busy} onChange={onSelect('status', 'Status')}>
        <option value="">Status…</option>
        {d.statuses.map((s) => (
          <option key={s.key} value={s.key}>
            {s.label}
          </option>
        ))}
      </select>
      <label class="sr-only" for="bulk-priority">
        Set priority of selected
      </label>
      <select id="bulk-priority" disabled={busy} onChange={onSelect('priority', 'Priority')}>
        <option value="">Priority…</option>
        {d.priorities.map((p) => (
          <option key={p.key} value={p.key}>
            {p.label}
          </option>
        ))}
      </select>
      <label class="sr-only" for="bulk-assignee">
        Assign selected
      </label>
      <select id="bulk-assignee" disabled={busy} onChange={onSelect('assignee_id', 'Assignee', (v) => (v === 'none' ? null : Number(v)))}>
        <option value="">Assign…</option>
        <option value={String(me.id)}>To me</option>
        <option value="none">Nobody</option>
        {(d.staff.length ? d.staff : d.users.filter((u) => u.role !== 'customer' && u.active))
          .filter((u) => u.id !== me.id)
          .map((u) => (
            <option key={u.id} value={String(u.id)}>
              {u.name}
            </option>
          ))}
      </select>
      {d.teams.length > 0 && (
        <>
          <label class="sr-only" for="bulk-team">
            Move selected to team
          </label>
          <select id="bulk-team" disabled={busy} onChange={onSelect('team_id', 'Team', (v) => (v === 'none' ? null : Number(v)))}>
            <option value="">Team…</option>
            <option value="none">No team</option>
            {d.teams.map((t) => (
              <option key={t.id} value={String(t.id)}>
                {t.name}
              </option>
            ))}
          </select>
        </>
      )}
      <form
        class="bulk-tag"
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim()) apply({ add_tags: [tag.trim()] }, 'Tag added');
          setTag('');
        }}
      >
        <label class="sr-only" for="bulk-tag">
          Tag to add to selected
        </label>
        <input id="bulk-tag" placeholder="Add tag" value={tag} onInput={(e) => setTag((e.currentTarget as HTMLInputElement).value)} disabled={busy} />
        <button class="btn small" type="submit" disabled={busy || !tag.trim()}>
          Add
        </button>
        <button class="btn small" type="button" disabled={busy || !tag.trim()} onClick={() => { apply({ remove_tags: [tag.trim()] }, 'Tag removed'); setTag(''); }}>
          Remove
        </button>
      </form>
      <button type="button" class="btn ghost small" onClick={onClear}>
        Clear selection
      </button>
      <FormError error={sending.form} />
    </div>
  );
}
