// Inputs for admin-defined custom fields, one per definition, with the API's
// "custom_fields.KEY" errors shown beside each.
import type { CustomField } from '../api/types';
import { SelectField, TextField } from './Field';

export type FieldValues = Record<string, unknown>;

export function CustomFieldInputs({ fields, values, errors, onChange, disabled }: { fields: CustomField[]; values: FieldValues; errors: Record<string, string>; onChange: (key: string, v: unknown) => void; disabled?: boolean }) {
  return (
    <>
      {fields.map((f) => {
        const err = errors[`custom_fields.${f.key}`];
        const label = f.required ? `${f.label} (required)` : f.label;
        const v = values[f.key];
        if (f.type === 'checkbox') {
          const id = `cf-${f.key}`;
          return (
            <div class={`field check ${err ? 'has-error' : ''}`} key={f.key}>
              <input id={id} type="checkbox" checked={v === true} disabled={disabled} onChange={(e) => onChange(f.key, (e.currentTarget as HTMLInputElement).checked)} aria-invalid={err ? 'true' : undefined} />
              <label for={id}>{f.label}</label>
              {err && <div class="field-error" role="alert">{err}</div>}
            </div>
          );
        }
        if (f.type === 'select') {
          return (
            <SelectField key={f.key} name={`custom_fields.${f.key}`} label={label} error={err} disabled={disabled} value={typeof v === 'string' ? v : ''} onValue={(x) => onChange(f.key, x || undefined)} options={[{ value: '', label: '—' }, ...f.options.map((o) => ({ value: o, label: o }))]} />
          );
        }
        if (f.type === 'multiselect') {
          const chosen = Array.isArray(v) ? (v as string[]) : [];
          return (
            <fieldset class={`field multi ${err ? 'has-error' : ''}`} key={f.key}>
              <legend>{label}</legend>
              {f.options.map((o) => (
                <label class="inline" key={o}>
                  <input type="checkbox" disabled={disabled} checked={chosen.includes(o)} onChange={(e) => {
                    const on = (e.currentTarget as HTMLInputElement).checked;
                    const next = on ? [...chosen, o] : chosen.filter((c) => c !== o);
                    onChange(f.key, next.length ? next : undefined);
                  }} />
                  {o}
                </label>
              ))}
              {err && <div class="field-error" role="alert">{err}</div>}
            </fieldset>
          );
        }
        return (
          <TextField key={f.key} name={`custom_fields.${f.key}`} label={label} error={err} disabled={disabled} type={f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text'} value={v === undefined || v === null ? '' : String(v)} onValue={(x) => onChange(f.key, x === '' ? undefined : f.type === 'number' ? Number(x) : x)} />
        );
      })}
    </>
  );
}

/** The values to send: only the keys that have one. */
export function cleanValues(v: FieldValues): FieldValues {
  const out: FieldValues = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== '') out[k] = x;
  return out;
}
