// Labelled form controls that show the API's error for their field right under them.
import type { ComponentChildren, JSX } from 'preact';
import { useMemo } from 'preact/hooks';

let seq = 0;
const nextId = (p: string) => `${p}-${++seq}`;

interface Common {
  label: string;
  name: string;
  error?: string | null;
  hint?: ComponentChildren;
  id?: string;
  class?: string;
}

function makeIds(name: string, id?: string) {
  const base = id || `f-${name.replace(/[^a-z0-9_-]/gi, '-')}-${nextId('x')}`;
  return { id: base, err: `${base}-err`, hint: `${base}-hint` };
}

function Wrap({ ids, label, error, hint, children, cls }: { ids: ReturnType<typeof makeIds>; label: string; error?: string | null; hint?: ComponentChildren; children: ComponentChildren; cls?: string }) {
  return (
    <div class={`field ${error ? 'has-error' : ''} ${cls || ''}`}>
      <label for={ids.id}>{label}</label>
      {children}
      {hint && !error && (
        <div class="hint" id={ids.hint}>
          {hint}
        </div>
      )}
      {error && (
        <div class="field-error" id={ids.err} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

type InputProps = Common & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label' | 'name' | 'class' | 'id'> & { onValue?: (v: string) => void };

export function TextField({ label, name, error, hint, id, class: cls, onValue, ...rest }: InputProps) {
  const ids = useMemo(() => makeIds(name, id), [name, id]);
  return (
    <Wrap ids={ids} label={label} error={error} hint={hint} cls={cls}>
      <input
        id={ids.id}
        name={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? ids.err : hint ? ids.hint : undefined}
        onInput={onValue ? (e) => onValue((e.currentTarget as HTMLInputElement).value) : undefined}
        {...rest}
      />
    </Wrap>
  );
}

type AreaProps = Common & Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'label' | 'name' | 'class' | 'id'> & { onValue?: (v: string) => void };

export function TextArea({ label, name, error, hint, id, class: cls, onValue, ...rest }: AreaProps) {
  const ids = useMemo(() => makeIds(name, id), [name, id]);
  return (
    <Wrap ids={ids} label={label} error={error} hint={hint} cls={cls}>
      <textarea
        id={ids.id}
        name={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? ids.err : hint ? ids.hint : undefined}
        onInput={onValue ? (e) => onValue((e.currentTarget as HTMLTextAreaElement).value) : undefined}
        {...rest}
      />
    </Wrap>
  );
}

export type SelectOption = { value: string; label: string } | { group: string; options: { value: string; label: string }[] };

type SelectProps = Common &
  Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, 'label' | 'name' | 'class' | 'id'> & {
    options: SelectOption[];
    onValue?: (v: string) => void;
  };

export function SelectField({ label, name, error, hint, id, class: cls, options, onValue, ...rest }: SelectProps) {
  const ids = useMemo(() => makeIds(name, id), [name, id]);
  return (
    <Wrap ids={ids} label={label} error={error} hint={hint} cls={cls}>
      <select
        id={ids.id}
        name={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? ids.err : hint ? ids.hint : undefined}
        onChange={onValue ? (e) => onValue((e.currentTarget as HTMLSelectElement).value) : undefined}
        {...rest}
      >
        {options.map((o) =>
          'group' in o ? (
            <optgroup key={`g-${o.group}`} label={o.group}>
              {o.options.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </optgroup>
          ) : (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ),
        )}
      </select>
    </Wrap>
  );
}

export function FormError({ error }: { error?: string | null }) {
  if (!error) return null;
  return (
    <div class="form-error" role="alert">
      {error}
    </div>
  );
}
