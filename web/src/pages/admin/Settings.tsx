// Runtime settings, drawn from whatever GET /admin/settings returns (so settings added
// later appear without UI changes; the `ai.*` ones are on the AI tab): booleans as switches, numbers
// and texts as inputs; a save sends only what changed, nested by group.
import { useEffect, useState } from 'preact/hooks';
import { get, patch } from '../../api/client';
import type { Settings } from '../../api/types';
import { FormError } from '../../components/Field';
import { ErrorBox, Loading } from '../../components/Misc';
import { ScalarFields } from '../../components/ScalarField';
import { toast } from '../../components/Toasts';
import { humanize } from '../../lib/format';
import { useLoad, useSubmit } from '../../lib/hooks';

export type Flat = Record<string, unknown>;

/** The members of draft that differ from saved. */
export function changedOf(draft: Flat, saved: Flat): Flat {
  const out: Flat = {};
  for (const [k, v] of Object.entries(draft)) if (JSON.stringify(v) !== JSON.stringify(saved[k])) out[k] = v;
  return out;
}

export function flatten(o: Settings, prefix = ''): Flat {
  const out: Flat = {};
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Settings, key));
    else out[key] = v;
  }
  return out;
}

export function nest(flat: Flat): Settings {
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
  const saved = s.data ? flatten(s.data) : {};
  const changed = changedOf(draft, saved);
  const s2 = useSubmit(async () => {
    s.set(await patch<Settings>('/admin/settings', nest(changed)));
    toast('Settings saved');
  }, Object.keys(saved));
  useEffect(() => {
    if (s.data) setDraft(flatten(s.data));
  }, [s.data]);
  if (s.loading && !s.data) return <Loading />;
  if (s.error) return <ErrorBox error={s.error} onRetry={s.reload} />;

  const groups = new Map<string, string[]>();
  for (const k of Object.keys(saved)) {
    if (k.startsWith('ai.')) continue; // on the AI tab
    const g = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : 'general';
    groups.set(g, [...(groups.get(g) || []), k]);
  }

  return (
    <form class="settings" onSubmit={s2.submit} noValidate>
      {[...groups.entries()].map(([g, keys]) => (
        <fieldset class="card" key={g}>
          <legend>{humanize(g)}</legend>
          <ScalarFields prefix="set" keys={keys} saved={saved} draft={draft} errors={s2.fields} help={HELP} onDraft={setDraft} />
        </fieldset>
      ))}
      <FormError error={s2.form} />
      <div class="actions">
        <button class="btn primary" type="submit" disabled={s2.busy || Object.keys(changed).length === 0}>
          {s2.busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
