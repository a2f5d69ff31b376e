// The caller's API keys: create (the token is shown once), list, revoke.
import { useState } from 'preact/hooks';
import { del, errorMessage, get, post } from '../api/client';
import type { ApiKey, Page } from '../api/types';
import { FormError, TextField } from '../components/Field';
import { LoadState } from '../components/Misc';
import { toast } from '../components/Toasts';
import { fullTime } from '../lib/format';
import { useLoad, useSubmit } from '../lib/hooks';

export function ApiKeys() {
  const keys = useLoad((signal) => get<Page<ApiKey>>('/api-keys', { signal }), []);
  const [name, setName] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const { submit: create, busy, fields: errs, form: formErr } = useSubmit(async () => {
    const k = await post<{ id: number; name: string; token: string }>('/api-keys', { name: name.trim() });
    setToken(k.token);
    setName('');
    keys.reload();
  }, ['name']);

  async function revoke(k: ApiKey) {
    if (!confirm(`Revoke the key "${k.name}"? Programs using it stop working.`)) return;
    try {
      await del(`/api-keys/${k.id}`);
      keys.reload();
      toast('Key revoked');
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  return (
    <section class="card" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <p class="muted">Programs use a key as <code>Authorization: Bearer …</code>; it acts as you.</p>
      {token && (
        <div class="notice" role="status">
          <p>Copy the new key now; it is not shown again:</p>
          <code class="token">{token}</code>
        </div>
      )}
      <form class="inline-form" onSubmit={create} noValidate>
        <TextField label="Name of a new key" name="name" value={name} onValue={setName} error={errs.name} required />
        <button class="btn primary" type="submit" disabled={busy || !name.trim()}>
          Create key
        </button>
      </form>
      <FormError error={formErr} />
      <LoadState load={keys} />
      {keys.data && keys.data.items.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Table, scrolls sideways">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{fullTime(k.created_at)}</td>
                  <td>{k.last_used_at ? fullTime(k.last_used_at) : 'never'}</td>
                  <td>
                    <button type="button" class="btn small danger" onClick={() => revoke(k)}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
