// Pick a macro (template) from the composer: a filter box and one button per macro, with
// what its actions will do. Applying fills the composer with the rendered body and applies
// the actions to the ticket at once (POST /macros/{id}/apply, with the version shown).
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage, post } from '../../api/client';
import type { MacroApplied, Ticket } from '../../api/types';
import { FormError } from '../../components/Field';
import { Link } from '../../components/Link';
import { useLoad } from '../../lib/hooks';
import { describeActions, loadMacros } from '../../lib/macros';
import { refdata } from '../../lib/refdata';
import { useStore } from '../../lib/store';

export function MacroPicker({ ticket, mine, onApplied, onClose }: { ticket: Ticket; mine: <T>(work: Promise<T>) => Promise<T>; onApplied: (a: MacroApplied) => void; onClose: () => void }) {
  const d = useStore(refdata);
  const list = useLoad((signal) => loadMacros(signal), []);
  const [q, setQ] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const needle = q.trim().toLowerCase();
  const shown = (list.data?.items || []).filter((m) => !needle || m.name.toLowerCase().includes(needle) || m.body.toLowerCase().includes(needle));

  async function apply(id: number) {
    if (busy) return;
    setBusy(true);
    setErr(null);
    try {
      onApplied(await mine(post<MacroApplied>(`/macros/${id}/apply`, { ticket_id: ticket.id, version: ticket.version })));
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      class="kb-picker"
      id="macro-insert"
      role="group"
      aria-label="Insert a template"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <label for="macro-q">Filter templates</label>
      <input id="macro-q" ref={input} type="search" autoComplete="off" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
      {list.error ? <FormError error={errorMessage(list.error)} /> : null}
      <FormError error={err} />
      {list.data && (
        <ul class="kb-picker-hits" aria-live="polite">
          {shown.length === 0 && (
            <li class="muted small">{list.data.items.length ? 'No template matches.' : 'No templates yet.'}</li>
          )}
          {shown.map((m) => {
            const does = describeActions(d, m.actions);
            return (
              <li key={m.id}>
                <button type="button" class="btn small ghost" disabled={busy} onClick={() => apply(m.id)} aria-describedby={does ? `macro-does-${m.id}` : undefined}>
                  {m.name}
                  {m.shared ? <span class="badge">shared</span> : null}
                </button>
                {does && (
                  <span class="muted small" id={`macro-does-${m.id}`}>
                    {' '}
                    {does}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p class="small">
        <Link href="/agent/macros">Manage my templates</Link>
      </p>
    </div>
  );
}
