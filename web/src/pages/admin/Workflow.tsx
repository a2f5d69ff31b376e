// Statuses (with the transitions allowed from each) and priorities.
import { useState } from 'preact/hooks';
import { errorMessage, post, put } from '../../api/client';
import { useSubmit } from '../../lib/hooks';
import { FormError, SelectField, TextField } from '../../components/Field';
import { toast } from '../../components/Toasts';
import { loadRefData, refdata } from '../../lib/refdata';
import { useStore } from '../../lib/store';

const CATEGORIES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];

export function Workflow() {
  const d = useStore(refdata);
  const refresh = () => loadRefData({ staff: true, admin: true });

  async function setTransitions(from: string, to: string[]) {
    try {
      await put(`/admin/statuses/${encodeURIComponent(from)}/transitions`, { to });
      refresh();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  return (
    <>
      <section class="card" aria-labelledby="st-h">
        <h2 id="st-h">Statuses and transitions</h2>
        <p class="muted">Tick where a ticket may go from each status. A status with nothing ticked may go anywhere.</p>
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Table, scrolls sideways">
          <table class="data matrix">
            <thead>
              <tr>
                <th scope="col">From ↓ / to →</th>
                {d.statuses.map((s) => (
                  <th scope="col" key={s.key}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.statuses.map((from) => (
                <tr key={from.key}>
                  <th scope="row">
                    {from.label} <span class="muted small">({from.category})</span>
                  </th>
                  {d.statuses.map((to) => (
                    <td key={to.key}>
                      {to.key === from.key ? (
                        <span class="muted" aria-hidden="true">
                          —
                        </span>
                      ) : (
                        <input
                          type="checkbox"
                          aria-label={`Allow ${from.label} to ${to.label}`}
                          checked={from.transitions.includes(to.key)}
                          onChange={(e) => {
                            const on = (e.currentTarget as HTMLInputElement).checked;
                            setTransitions(from.key, on ? [...from.transitions, to.key] : from.transitions.filter((k) => k !== to.key));
                          }}
                        />
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <NewStatus onDone={refresh} />
      </section>
      <section class="card" aria-labelledby="pr-h">
        <h2 id="pr-h">Priorities</h2>
        <ul class="chips">
          {d.priorities.map((p) => (
            <li key={p.key} class="tag">
              {p.label} <code>{p.key}</code>
            </li>
          ))}
        </ul>
        <NewPriority onDone={refresh} />
      </section>
    </>
  );
}

function NewStatus({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState({ key: '', label: '', category: 'open' });
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    await post('/admin/statuses', v);
    setV({ key: '', label: '', category: 'open' });
    onDone();
  }, ['key', 'label', 'category']);
  return (
    <form
      class="inline-form"
      noValidate
      onSubmit={submit}
    >
      <TextField label="New status label" name="label" value={v.label} onValue={(x) => setV({ ...v, label: x, key: v.key || '' })} error={errs.label} />
      <TextField label="Key" name="key" value={v.key} onValue={(x) => setV({ ...v, key: x })} error={errs.key} />
      <SelectField label="Behaves like" name="category" value={v.category} onValue={(x) => setV({ ...v, category: x })} error={errs.category} options={CATEGORIES.map((c) => ({ value: c, label: c }))} />
      <button class="btn primary" type="submit" disabled={busy}>
        Add status
      </button>
      <FormError error={formErr} />
    </form>
  );
}

function NewPriority({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState({ key: '', label: '' });
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    await post('/admin/priorities', v);
    setV({ key: '', label: '' });
    onDone();
  }, ['key', 'label']);
  return (
    <form
      class="inline-form"
      noValidate
      onSubmit={submit}
    >
      <TextField label="New priority label" name="plabel" value={v.label} onValue={(x) => setV({ ...v, label: x })} error={errs.label} />
      <TextField label="Key" name="pkey" value={v.key} onValue={(x) => setV({ ...v, key: x })} error={errs.key} />
      <button class="btn primary" type="submit" disabled={busy}>
        Add priority
      </button>
      <FormError error={formErr} />
    </form>
  );
}
