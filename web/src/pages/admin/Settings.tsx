// Runtime settings, drawn from whatever GET /admin/settings returns (so settings added
// later, such as the AI's, appear without UI changes): booleans as switches, numbers
// and texts as inputs; a save sends only what changed, nested by group.
import { useEffect, useState } from 'preact/hooks';
import { fieldErrors, get, patch } from '../../api/client';
import type { Settings } from '../../api/types';
import { FormError } from '../../components/Field';
import { ErrorBox, Loading } from '../../components/Misc';
import { toast } from '../../components/Toasts';
import { humanize } from '../../lib/format';
import { useLoad } from '../../lib/hooks';

type Flat = Record<string, unknown>;

function flatten(o: Settings, prefix = ''): Flat {
  const out: Flat = {};
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Settings, key));
    else out[key] = v;
  }
  return out;
}

function nest(flat: Flat): Settings {
  const out: Settings = {};
  for (const [k, v] of Object.entries(flat)) {
    const parts = k.split('.');
    let cur = out as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ||= {}) as Record<string, unknown>;
    cur[parts[parts.length - 1]] = v;
  }
  return out;
}

const HELP: Record<string, string> = {
  allow_registration: 'Anyone may create a customer account from the sign-in page.',
  require_2fa_for_staff: 'Agents, supervisors and admins must set up two-factor authentication.',
  'rate_limits.ticket_create_per_minute': 'New tickets a user may open per minute.',
  'rate_limits.ticket_update_per_minute': 'Changes and messages a user may send per minute.',
  'sessions.idle_minutes': 'A session ends after this long without use.',
  'sessions.max_days': 'A session ends after this many days whatever happens.',
};

export function SettingsTab() {
  const s = useLoad((signal) => get<Settings>('/admin/settings', { signal }), []);
  const [draft, setDraft] = useState<Flat>({});
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [formErr, setFormErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const saved = s.data ? flatten(s.data) : {};
  useEffect(() => {
    if (s.data) setDraft(flatten(s.data));
  }, [s.data]);
  if (s.loading && !s.data) return <Loading />;
  if (s.error) return <ErrorBox error={s.error} onRetry={s.reload} />;

  const changed: Flat = {};
  for (const [k, v] of Object.entries(draft)) if (JSON.stringify(v) !== JSON.stringify(saved[k])) changed[k] = v;
  const groups = new Map<string, string[]>();
  for (const k of Object.keys(saved)) {
    const g = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : 'general';
    groups.set(g, [...(groups.get(g) || []), k]);
  }

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrs({});
    setFormErr(null);
    try {
      const next = await patch<Settings>('/admin/settings', nest(changed));
      s.set(next);
      toast('Settings saved');
    } catch (err) {
      const r = fieldErrors(err, Object.keys(saved));
      setErrs(r.fields);
      setFormErr(r.form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="settings" onSubmit={save} noValidate>
      {[...groups.entries()].map(([g, keys]) => (
        <fieldset class="card" key={g}>
          <legend>{humanize(g)}</legend>
          {keys.map((k) => {
            const v = draft[k];
            const id = `set-${k.replace(/\./g, '-')}`;
            const label = humanize(k.slice(k.lastIndexOf('.') + 1));
            const err = errs[k];
            if (typeof saved[k] === 'boolean')
              return (
                <div class={`field check ${err ? 'has-error' : ''}`} key={k}>
                  <input id={id} type="checkbox" checked={v === true} onChange={(e) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).checked })} />
                  <label for={id}>{label}</label>
                  {HELP[k] && <div class="hint">{HELP[k]}</div>}
                  {err && <div class="field-error" role="alert">{err}</div>}
                </div>
              );
            const num = typeof saved[k] === 'number';
            return (
              <div class={`field ${err ? 'has-error' : ''}`} key={k}>
                <label for={id}>{label}</label>
                <input
                  id={id}
                  type={num ? 'number' : 'text'}
                  value={v === null || v === undefined ? '' : String(v)}
                  aria-invalid={err ? 'true' : undefined}
                  onInput={(e) => {
                    const raw = (e.currentTarget as HTMLInputElement).value;
                    setDraft({ ...draft, [k]: num ? (raw === '' ? '' : Number(raw)) : raw });
                  }}
                />
                {HELP[k] && !err && <div class="hint">{HELP[k]}</div>}
                {err && <div class="field-error" role="alert">{err}</div>}
              </div>
            );
          })}
        </fieldset>
      ))}
      <FormError error={formErr} />
      <div class="actions">
        <button class="btn primary" type="submit" disabled={busy || Object.keys(changed).length === 0}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
