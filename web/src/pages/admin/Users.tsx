// Users and roles: search, create (staff accounts with a first password), change role,
// deactivate and reactivate.
import { useState } from 'preact/hooks';
import { errorMessage, get, patch, post } from '../../api/client';
import type { Page, Role, User } from '../../api/types';
import { FormError, SelectField, TextField } from '../../components/Field';
import { DataTable, LoadState } from '../../components/Misc';
import { toast } from '../../components/Toasts';
import { timeAgo } from '../../lib/format';
import { useDebounced, useLoad, useSubmit } from '../../lib/hooks';
import { loadRefData } from '../../lib/refdata';

const ROLES: Role[] = ['customer', 'agent', 'supervisor', 'admin'];
const roleOpts = ROLES.map((r) => ({ value: r, label: r.charAt(0).toUpperCase() + r.slice(1) }));

export function Users({ me }: { me: User }) {
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const dq = useDebounced(q.trim(), 250);
  const list = useLoad((signal) => get<Page<User>>('/users', { query: { q: dq, role, limit: 200 }, signal }), [dq, role]);
  const [adding, setAdding] = useState(false);

  async function change(u: User, body: Partial<User>) {
    try {
      await patch(`/users/${u.id}`, body);
      list.reload();
      loadRefData({ staff: true, admin: true });
      toast(`${u.name} updated`);
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  return (
    <>
      <div class="toolbar">
        <div class="filter grow">
          <label for="u-q">Search users</label>
          <input id="u-q" type="search" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} placeholder="Name or email" />
        </div>
        <div class="filter">
          <label for="u-role">Role</label>
          <select id="u-role" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Any</option>
            {roleOpts.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <button class="btn primary" type="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          Add user
        </button>
      </div>
      {adding && <NewUser onDone={() => { setAdding(false); list.reload(); }} />}
      <LoadState load={list} />
      {list.data && (
        <DataTable columns={['Name', 'Email', 'Role', '2FA', 'Joined', 'Status']}>
            <tbody>
              {list.data.items.map((u) => (
                <tr key={u.id} class={u.active ? '' : 'inactive'}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    <label class="sr-only" for={`role-${u.id}`}>
                      Role of {u.name}
                    </label>
                    <select id={`role-${u.id}`} value={u.role} disabled={u.id === me.id} onChange={(e) => change(u, { role: (e.currentTarget as HTMLSelectElement).value as Role })}>
                      {roleOpts.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{u.two_factor ? <span class="badge ok">on</span> : <span class="muted">off</span>}</td>
                  <td>{timeAgo(u.created_at)}</td>
                  <td>
                    {u.id === me.id ? (
                      <span class="muted">you</span>
                    ) : (
                      <button type="button" class={`btn small ${u.active ? 'danger' : ''}`} onClick={() => change(u, { active: !u.active })}>
                        {u.active ? 'Deactivate' : 'Reactivate'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
        </DataTable>
      )}
    </>
  );
}

function NewUser({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState({ name: '', email: '', role: 'agent', password: '' });
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    await post('/users', v);
    toast(`${v.name} added`);
    loadRefData({ staff: true, admin: true });
    onDone();
  }, ['name', 'email', 'role', 'password']);
  const set = (k: keyof typeof v) => (x: string) => setV((o) => ({ ...o, [k]: x }));
  return (
    <form
      class="card"
      noValidate
      onSubmit={submit}
    >
      <h2>New user</h2>
      <div class="grid-2">
        <TextField label="Name" name="name" value={v.name} onValue={set('name')} error={errs.name} />
        <TextField label="Email" name="email" type="email" value={v.email} onValue={set('email')} error={errs.email} />
        <SelectField label="Role" name="role" value={v.role} onValue={set('role')} error={errs.role} options={roleOpts} />
        <TextField label="First password" name="password" type="password" autoComplete="new-password" value={v.password} onValue={set('password')} error={errs.password} />
      </div>
      <FormError error={formErr} />
      <button class="btn primary" type="submit" disabled={busy}>
        Create
      </button>
    </form>
  );
}
