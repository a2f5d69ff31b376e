// The agent workspace: views on the left, filters and search on top, the ticket list
// with multi-select and bulk actions, j/k/x/Enter keyboard control, all live.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { Page, Ticket, User } from '../../api/types';
import { PriorityBadge, StatusBadge, Tag } from '../../components/Badges';
import { Link } from '../../components/Link';
import { Empty, ErrorBox, Loading } from '../../components/Misc';
import { LIST_KEYS, ShortcutHelp } from '../../components/ShortcutHelp';
import { timeAgo } from '../../lib/format';
import { useDebounced, useLive, useThrottledReload, useTitle } from '../../lib/hooks';
import { useKeys, rememberList } from '../../lib/keys';
import { personName, refdata, teamName } from '../../lib/refdata';
import { navigate, withQuery } from '../../lib/router';
import { useStore } from '../../lib/store';
import { BulkBar } from './BulkBar';
import { ViewsNav } from './Views';

const FILTER_KEYS = ['status', 'priority', 'assignee_id', 'team_id', 'tag', 'q', 'sort', 'open', 'reminder_due'];

export function Workspace({ me, query }: { me: User; query: URLSearchParams }) {
  useTitle('Tickets');
  const d = useStore(refdata);
  const filters = useMemo(() => {
    const f: Record<string, string> = {};
    for (const k of FILTER_KEYS) {
      const v = query.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [query.toString()]);
  const activeView = query.get('view') || (Object.keys(filters).length === 0 ? 'all' : null);
  const [q, setQ] = useState(filters.q || '');
  const dq = useDebounced(q, 300);
  const [items, setItems] = useState<Ticket[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [cursor, setCursor] = useState(0);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [help, setHelp] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const key = JSON.stringify(filters);

  function setFilter(k: string, v: string | null) {
    navigate(withQuery('/agent', query, { [k]: v, view: null }), { replace: true });
  }

  useEffect(() => {
    if ((filters.q || '') !== dq) setFilter('q', dq || null);
  }, [dq]);
  // choosing a view replaces the search text with the view's
  useEffect(() => {
    setQ(filters.q || '');
  }, [activeView]);

  async function load(append = false) {
    setLoading(true);
    try {
      const page = await get<Page<Ticket>>('/tickets', { query: { ...filters, limit: 50, cursor: append ? next : null } });
      setItems((old) => {
        if (!append) {
          const known = new Set(old.map((t) => t.id));
          if (old.length) setFresh(new Set(page.items.filter((t) => !known.has(t.id)).map((t) => t.id)));
          return page.items;
        }
        return [...old, ...page.items];
      });
      setNext(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    setItems([]);
    setFresh(new Set());
    setSelected(new Set());
    setCursor(0);
    load();
  }, [key]);

  const refresh = useThrottledReload(() => load(false), 400);
  useLive((e) => {
    if (e.type === 'ticket.created' || e.type === 'ticket.updated' || e.type === 'stream.reconnected') refresh();
  });

  useEffect(() => {
    rememberList(
      items.map((t) => t.id),
      `/agent${query.toString() ? `?${query}` : ''}`,
    );
  }, [items]);

  useEffect(() => {
    document.querySelector<HTMLElement>(`[data-row="${cursor}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  function toggle(id: number) {
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  }

  useKeys({
    j: () => setCursor((c) => Math.min(c + 1, items.length - 1)),
    k: () => setCursor((c) => Math.max(c - 1, 0)),
    x: () => items[cursor] && toggle(items[cursor].id),
    o: () => items[cursor] && navigate(`/agent/tickets/${items[cursor].id}`),
    Enter: () => items[cursor] && navigate(`/agent/tickets/${items[cursor].id}`),
    '/': () => searchRef.current?.focus(),
    c: () => navigate('/tickets/new'),
    '?': () => setHelp(true),
  });

  const allSelected = items.length > 0 && items.every((t) => selected.has(t.id));
  const opt = (value: string, label: string) => ({ value, label });
  const statusOpts = [opt('', 'Any status'), ...d.statuses.map((s) => opt(s.key, s.label))];
  const prioOpts = [opt('', 'Any priority'), ...d.priorities.map((p) => opt(p.key, p.label))];
  const assigneeOpts = [opt('', 'Anyone'), opt('me', 'Me'), opt('none', 'Unassigned'), ...(d.staff.length ? d.staff : d.users.filter((u) => u.role !== 'customer')).filter((u) => u.id !== me.id).map((u) => opt(String(u.id), u.name))];
  const teamOpts = [opt('', 'Any team'), ...d.teams.map((t) => opt(String(t.id), t.name))];
  const sortOpts = [opt('', 'Newest first'), opt('created_at', 'Oldest first'), opt('-updated_at', 'Recently updated'), opt('updated_at', 'Least recently updated')];

  const sel = (id: string, label: string, k: string, options: { value: string; label: string }[]) => (
    <div class="filter">
      <label for={id}>{label}</label>
      <select id={id} value={filters[k] || ''} onChange={(e) => setFilter(k, (e.currentTarget as HTMLSelectElement).value || null)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div class="workspace">
      <ViewsNav active={activeView} filters={filters} onSaved={() => undefined} />
      <section class="list-pane" aria-labelledby="list-h">
        <div class="page-head">
          <h1 id="list-h">Tickets</h1>
          <div class="head-actions">
            <button type="button" class="btn ghost small" onClick={() => setHelp(true)} aria-keyshortcuts="?">
              Shortcuts <kbd>?</kbd>
            </button>
            <Link href="/tickets/new" class="btn primary small">
              New ticket
            </Link>
          </div>
        </div>
        <div class="filters" role="search">
          <div class="filter grow">
            <label for="f-q">Search</label>
            <input id="f-q" ref={searchRef} type="search" placeholder="Subject, message text… (press /)" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
          </div>
          {sel('f-status', 'Status', 'status', statusOpts)}
          {sel('f-priority', 'Priority', 'priority', prioOpts)}
          {sel('f-assignee', 'Assignee', 'assignee_id', assigneeOpts)}
          {d.teams.length > 0 && sel('f-team', 'Team', 'team_id', teamOpts)}
          <div class="filter">
            <label for="f-tag">Tag</label>
            <input
              id="f-tag"
              defaultValue={filters.tag || ''}
              key={filters.tag || ''}
              onChange={(e) => setFilter('tag', (e.currentTarget as HTMLInputElement).value.trim() || null)}
              size={10}
            />
          </div>
          {sel('f-sort', 'Sort', 'sort', sortOpts)}
        </div>
        {selected.size > 0 && <BulkBar ids={[...selected]} me={me} onClear={() => setSelected(new Set())} onDone={() => { setSelected(new Set()); load(); }} />}
        {error != null && <ErrorBox error={error} onRetry={() => load()} />}
        {loading && items.length === 0 && <Loading />}
        {!loading && !error && items.length === 0 && <Empty>No tickets match these filters.</Empty>}
        {items.length > 0 && (
          <table class="tickets" aria-label="Tickets" aria-rowcount={items.length}>
            <thead>
              <tr>
                <th scope="col" class="c-check">
                  <input
                    type="checkbox"
                    aria-label="Select all tickets shown"
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((t) => t.id)))}
                  />
                </th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col" class="c-prio">Priority</th>
                <th scope="col" class="c-assignee">Assignee</th>
                <th scope="col" class="c-updated">Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t, i) => (
                <tr key={t.id} data-row={i} data-ticket-id={t.id} class={`${i === cursor ? 'cursor' : ''} ${selected.has(t.id) ? 'selected' : ''} ${fresh.has(t.id) ? 'fresh' : ''}`} onClick={() => setCursor(i)}>
                  <td class="c-check">
                    <input type="checkbox" aria-label={`Select ticket #${t.id}`} checked={selected.has(t.id)} onChange={() => toggle(t.id)} />
                  </td>
                  <td class="c-subject">
                    <Link href={`/agent/tickets/${t.id}`}>
                      <span class="muted">#{t.id}</span> {t.subject}
                    </Link>
                    <span class="row-meta">
                      {t.tags.map((g) => (
                        <Tag key={g} name={g} />
                      ))}
                      {t.team_id ? <span class="muted">{teamName(d, t.team_id)}</span> : null}
                    </span>
                  </td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  <td class="c-prio">
                    <PriorityBadge priority={t.priority} />
                  </td>
                  <td class="c-assignee">{t.assignee_id ? (t.assignee_id === me.id ? `${me.name} (you)` : t.assignee_name || personName(d, t.assignee_id, me)) : <span class="muted">—</span>}</td>
                  <td class="c-updated">
                    <time dateTime={t.updated_at}>{timeAgo(t.updated_at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {next && (
          <button type="button" class="btn" onClick={() => load(true)} disabled={loading}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        )}
      </section>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} keys={LIST_KEYS} />
    </div>
  );
}
