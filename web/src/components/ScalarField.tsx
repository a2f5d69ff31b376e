// One setting drawn from the type of its value, for pages that render whatever the server
// returns (settings, AI settings): a checkbox for booleans, a number or text input
// otherwise, with its hint and the API's error for it right under it.
import { humanize } from '../lib/format';

export type Scalar = string | number | boolean | null;

export function ScalarField({ id, label, saved, value, hint, error, onValue }: { id: string; label: string; saved: unknown; value: unknown; hint?: string; error?: string; onValue: (v: Scalar) => void }) {
  const errId = `${id}-err`;
  if (typeof saved === 'boolean')
    return (
      <div class={`field check ${error ? 'has-error' : ''}`}>
        <input id={id} type="checkbox" checked={value === true} aria-describedby={error ? errId : undefined} onChange={(e) => onValue((e.currentTarget as HTMLInputElement).checked)} />
        <label for={id}>{label}</label>
        {hint && <div class="hint">{hint}</div>}
        {error && (
          <div class="field-error" id={errId} role="alert">
            {error}
          </div>
        )}
      </div>
    );
  const num = typeof saved === 'number';
  return (
    <div class={`field ${error ? 'has-error' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        type={num ? 'number' : 'text'}
        step={num && !Number.isInteger(saved) ? 'any' : undefined}
        value={value === null || value === undefined ? '' : String(value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errId : undefined}
        onInput={(e) => {
          const raw = (e.currentTarget as HTMLInputElement).value;
          onValue(num ? (raw === '' ? '' : Number(raw)) : raw);
        }}
      />
      {hint && !error && <div class="hint">{hint}</div>}
      {error && (
        <div class="field-error" id={errId} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** The settings named by keys ("group.key"), each labelled by its last part. */
export function ScalarFields({ prefix, keys, saved, draft, errors, help, onDraft }: { prefix: string; keys: string[]; saved: Record<string, unknown>; draft: Record<string, unknown>; errors: Record<string, string>; help?: Record<string, string>; onDraft: (d: Record<string, unknown>) => void }) {
  return (
    <>
      {keys.map((k) => (
        <ScalarField
          key={k}
          id={`${prefix}-${k.replace(/\./g, '-')}`}
          label={humanize(k.slice(k.lastIndexOf('.') + 1))}
          saved={saved[k]}
          value={draft[k]}
          hint={help?.[k]}
          error={errors[k]}
          onValue={(x) => onDraft({ ...draft, [k]: x })}
        />
      ))}
    </>
  );
}
