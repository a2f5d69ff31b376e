// Teams and their members.
import { useState } from 'preact/hooks';
import { del, errorMessage, get, post } from '../../api/client';
import type { Page, Team } from '../../api/types';
import { FormError, TextField } from '../../components/Field';
import { LoadState } from '../../components/Misc';
import { toast } from '../../components/Toasts';
import { useLoad, useSubmit } from '../../lib/hooks';
import { loadRefData, refdata } from '../../lib/refdata';
import { useStore } from '../../lib/store';

export function Teams() {
  const d = useStore(refdata);
  const list = useLoad((signal) => get<Page<Team>>('/teams', { signal }), []);
  const [name, setName] = useState('');
  const [desc, setDesc] = useState('');
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    await post('/teams', { name: name.trim(), description: desc.trim() });
    setName('');
    setDesc('');
    refresh();
  }, ['name', 'description']);
  const refresh = () => {
    list.reload();
    loadRefData({ staff: true, admin: true });
  };
  const staff = d.users.filter((u) => u.role !== 'customer' && u.active);

  async function act(fn: () => Promise<unknown>, ok: string) {
    try {
      await fn();
      refresh();
      toast(ok);
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  return (
    <>
      <form
        class="card inline-form"
        noValidate
        onSubmit={submit}
      >
        <TextField label="New team name" name="name" value={name} onValue={setName} error={errs.name} />
        <TextField label="Description" name="description" value={desc} onValue={setDesc} error={errs.description} />
        <button class="btn primary" type="submit" disabled={busy || !name.trim()}>
          Create team
        </button>
        <FormError error={formErr} />
      </form>
      <LoadState load={list} />
      <div class="cards">
        {list.data?.items.map((t) => (
          <section class="card" key={t.id} aria-label={`Team ${t.name}`}>
            <div class="page-head">
              <h2>{t.name}</h2>
              <button type="button" class="btn small danger" onClick={() => confirm(`Delete the team ${t.name}?`) && act(() => del(`/teams/${t.id}`), 'Team deleted')}>
                Delete
              </button>
            </div>
            {t.description && <p class="muted">{t.description}</p>}
            <ul class="members">
              {t.member_ids.map((id) => {
                const u = d.users.find((x) => x.id === id);
                return (
                  <li key={id}>
                    {u ? u.name : `User #${id}`}
                    <button type="button" class="btn tiny ghost" aria-label={`Remove ${u ? u.name : id} from ${t.name}`} onClick={() => act(() => del(`/teams/${t.id}/members/${id}`), 'Member removed')}>
                      ✕
                    </button>
                  </li>
                );
              })}
              {t.member_ids.length === 0 && <li class="muted">No members yet.</li>}
            </ul>
            <label class="sr-only" for={`add-${t.id}`}>
              Add a member to {t.name}
            </label>
            <select
              id={`add-${t.id}`}
              onChange={(e) => {
                const el = e.currentTarget as HTMLSelectElement;
                const v = Number(el.value);
                el.value = '';
                if (v) act(() => post(`/teams/${t.id}/members`, { user_id: v }), 'Member added');
              }}
            >
              <option value="">Add a member…</option>
              {staff
                .filter((u) => !t.member_ids.includes(u.id))
                .map((u) => (
                  <option key={u.id} value={String(u.id)}>
                    {u.name} ({u.role})
                  </option>
                ))}
            </select>
          </section>
        ))}
      </div>
    </>
  );
}
