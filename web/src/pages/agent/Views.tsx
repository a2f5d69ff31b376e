// The views sidebar: built-in and saved views with live counts; a view is a set of
// filters for the ticket list. The current filters can be saved as a new view.
import { useState } from 'preact/hooks';
import { del, errorMessage, get, post } from '../../api/client';
import type { Page, View } from '../../api/types';
import { Link } from '../../components/Link';
import { toast } from '../../components/Toasts';
import { useLive, useLoad, useSubmit, useThrottledReload } from '../../lib/hooks';

export const ALL_OPEN: View = { id: 'all-open', name: 'All open tickets', filters: { open: true }, shared: true, owner_id: null, count: -1 };
export const ALL: View = { id: 'all', name: 'All tickets', filters: {}, shared: true, owner_id: null, count: -1 };

/** The list URL for a view: its filters become query parameters. */
export function viewHref(v: View): string {
  const q = new URLSearchParams();
  q.set('view', v.id);
  for (const [k, val] of Object.entries(v.filters || {})) {
    if (val === null || val === undefined || val === '' || val === false) continue;
    q.set(k, String(val));
  }
  return `/agent?${q}`;
}

export function ViewsNav({ active, filters, onSaved }: { active: string | null; filters: Record<string, string>; onSaved: () => void }) {
  const views = useLoad((signal) => get<Page<View>>('/views', { signal }), []);
  const refresh = useThrottledReload(views.reload, 500);
  useLive((e) => {
    if (e.type.startsWith('ticket.') || e.type === 'stream.reconnected' || e.type === 'reminder.due') refresh();
  });
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const list = [...(views.data?.items || [])];

  const saving = useSubmit(async () => {
    const f: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(filters)) f[k] = v === 'true' ? true : v;
    await post('/views', { name: name.trim(), filters: f });
    setNaming(false);
    setName('');
    views.reload();
    onSaved();
    toast('View saved');
  }, ['name']);
  const err = saving.fields.name || saving.form;

  async function remove(v: View) {
    if (!confirm(`Delete the view "${v.name}"?`)) return;
    try {
      await del(`/views/${v.id}`);
      views.reload();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  const item = (v: View, removable: boolean) => (
    <li key={v.id} class={active === v.id ? 'active' : ''}>
      <Link href={viewHref(v)} aria-current={active === v.id ? 'page' : undefined}>
        <span class="view-name">{v.name}</span>
        {v.count >= 0 && (
          <span class="count" aria-label={`${v.count} tickets`}>
            {v.count}
          </span>
        )}
      </Link>
      {removable && (
        <button type="button" class="btn ghost tiny" onClick={() => remove(v)} aria-label={`Delete view ${v.name}`}>
          ✕
        </button>
      )}
    </li>
  );

  return (
    <nav class="views" aria-label="Views">
      <h2 class="sr-only">Views</h2>
      <ul>
        {list.filter((v) => !/^\d+$/.test(v.id)).map((v) => item(v, false))}
        {item(ALL_OPEN, false)}
        {item(ALL, false)}
      </ul>
      {list.some((v) => /^\d+$/.test(v.id)) && (
        <>
          <h3 class="views-h">Saved views</h3>
          <ul>{list.filter((v) => /^\d+$/.test(v.id)).map((v) => item(v, true))}</ul>
        </>
      )}
      {naming ? (
        <form class="save-view" onSubmit={saving.submit}>
          <label for="view-name">Name of the view</label>
          <input id="view-name" aria-invalid={err ? 'true' : undefined} aria-describedby={err ? 'view-name-err' : undefined} value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} required maxLength={100} />
          {err && (
            <div class="field-error" id="view-name-err" role="alert">
              {err}
            </div>
          )}
          <div class="actions">
            <button class="btn small primary" type="submit" disabled={saving.busy}>
              Save
            </button>
            <button class="btn small ghost" type="button" onClick={() => setNaming(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="btn ghost small" onClick={() => setNaming(true)}>
          + Save current filters
        </button>
      )}
    </nav>
  );
}
