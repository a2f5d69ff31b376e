// The security audit log (GET /admin/audit): filter by action, page back in time.
import { useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { AuditEvent, Page } from '../../api/types';
import { DataTable, LoadState } from '../../components/Misc';
import { fullTime } from '../../lib/format';
import { useDebounced, useLoad } from '../../lib/hooks';
import { personName, refdata } from '../../lib/refdata';
import { useStore } from '../../lib/store';

export function Audit() {
  const d = useStore(refdata);
  const [action, setAction] = useState('');
  const [cursor, setCursor] = useState<string | null>(null);
  const [stack, setStack] = useState<(string | null)[]>([]);
  const da = useDebounced(action.trim(), 300);
  const list = useLoad((signal) => get<Page<AuditEvent>>('/admin/audit', { query: { action: da, limit: 50, cursor }, signal }), [da, cursor]);
  return (
    <>
      <div class="toolbar">
        <div class="filter grow">
          <label for="a-action">Action</label>
          <input id="a-action" value={action} placeholder="e.g. auth.login" onInput={(e) => { setAction((e.currentTarget as HTMLInputElement).value); setCursor(null); setStack([]); }} />
        </div>
      </div>
      <LoadState load={list} />
      {list.data && (
        <DataTable columns={['When', 'Who', 'Action', 'Target', 'Change', 'Address']}>
            <tbody>
              {list.data.items.map((e) => (
                <tr key={e.id}>
                  <td>{fullTime(e.at)}</td>
                  <td>{e.actor_id ? personName(d, e.actor_id) : e.actor_kind || '—'}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target_type ? `${e.target_type} #${e.target_id ?? ''}` : '—'}</td>
                  <td>{e.field ? `${e.field}: ${e.old ?? '—'} → ${e.new ?? '—'}` : ''}</td>
                  <td>{e.ip || ''}</td>
                </tr>
              ))}
            </tbody>
        </DataTable>
      )}
      <div class="actions">
        <button type="button" class="btn" disabled={stack.length === 0} onClick={() => { const s = [...stack]; const prev = s.pop() ?? null; setStack(s); setCursor(prev); }}>
          Newer
        </button>
        <button type="button" class="btn" disabled={!list.data?.next_cursor} onClick={() => { setStack([...stack, cursor]); setCursor(list.data?.next_cursor || null); }}>
          Older
        </button>
      </div>
    </>
  );
}
