// Custom fields: key, label, type, options, required, shown to / editable by customers.
import { useState } from 'preact/hooks';
import { errorMessage, get, patch, post } from '../../api/client';
import type { CustomField, FieldType, Page } from '../../api/types';
import { FormError, SelectField, TextField } from '../../components/Field';
import { DeleteButton } from '../../components/DeleteButton';
import { DataTable, LoadState } from '../../components/Misc';
import { toast } from '../../components/Toasts';
import { useLoad, useSubmit } from '../../lib/hooks';
import { loadRefData } from '../../lib/refdata';

const TYPES: FieldType[] = ['text', 'number', 'date', 'select', 'multiselect', 'checkbox'];

export function Fields() {
  const list = useLoad((signal) => get<Page<CustomField>>('/admin/fields', { signal }), []);
  const refresh = () => {
    list.reload();
    loadRefData({ staff: true, admin: true });
  };
  async function toggle(f: CustomField, k: 'required' | 'customer_visible' | 'customer_editable') {
    try {
      await patch(`/admin/fields/${f.id}`, { [k]: !f[k] });
      refresh();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }
  return (
    <>
      <NewField onDone={refresh} />
      <LoadState load={list} />
      {list.data && (
        <DataTable columns={['Label', 'Key', 'Type', 'Required', 'Customers see', 'Customers edit', { label: 'Actions', hidden: true }]}>
            <tbody>
              {list.data.items.map((f) => (
                <tr key={f.id}>
                  <td>{f.label}</td>
                  <td>
                    <code>{f.key}</code>
                  </td>
                  <td>
                    {f.type}
                    {f.options.length > 0 && <span class="muted small"> ({f.options.join(', ')})</span>}
                  </td>
                  {(['required', 'customer_visible', 'customer_editable'] as const).map((k) => (
                    <td key={k}>
                      <input type="checkbox" checked={f[k]} aria-label={`${k.replace('_', ' ')}: ${f.label}`} onChange={() => toggle(f, k)} />
                    </td>
                  ))}
                  <td>
                    <DeleteButton what={`the field ${f.label}`} path={`/admin/fields/${f.id}`} onDone={refresh} />
                  </td>
                </tr>
              ))}
              {list.data.items.length === 0 && (
                <tr>
                  <td colSpan={7} class="muted">
                    No custom fields yet.
                  </td>
                </tr>
              )}
            </tbody>
        </DataTable>
      )}
    </>
  );
}

function NewField({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState({ label: '', key: '', type: 'text' as FieldType, options: '', required: false, customer_visible: true, customer_editable: true });
  const withOptions = v.type === 'select' || v.type === 'multiselect';
  const autoKey = (label: string) => label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 64);
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    const body: Record<string, unknown> = { ...v, key: v.key || autoKey(v.label) };
    if (withOptions) body.options = v.options.split(',').map((s) => s.trim()).filter(Boolean);
    else delete body.options;
    await post('/admin/fields', body);
    setV({ ...v, label: '', key: '', options: '' });
    toast('Field added');
    onDone();
  }, ['label', 'key', 'type', 'options']);
  return (
    <form
      class="card"
      noValidate
      onSubmit={submit}
    >
      <h2>New field</h2>
      <div class="grid-2">
        <TextField label="Label" name="label" value={v.label} onValue={(x) => setV({ ...v, label: x })} error={errs.label} />
        <TextField label="Key" name="key" value={v.key} placeholder={autoKey(v.label)} onValue={(x) => setV({ ...v, key: x })} error={errs.key} hint="a-z, 0-9 and _; used in the API" />
        <SelectField label="Type" name="type" value={v.type} onValue={(x) => setV({ ...v, type: x as FieldType })} error={errs.type} options={TYPES.map((t) => ({ value: t, label: t }))} />
        {withOptions && <TextField label="Options" name="options" value={v.options} onValue={(x) => setV({ ...v, options: x })} error={errs.options} hint="Separate with commas" />}
      </div>
      <div class="checks">
        {(['required', 'customer_visible', 'customer_editable'] as const).map((k) => (
          <label class="inline" key={k}>
            <input type="checkbox" checked={v[k]} onChange={(e) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).checked })} /> {k === 'required' ? 'Required' : k === 'customer_visible' ? 'Customers see it' : 'Customers can fill it'}
          </label>
        ))}
      </div>
      <FormError error={formErr} />
      <button class="btn primary" type="submit" disabled={busy || !v.label.trim()}>
        Add field
      </button>
    </form>
  );
}
