// Reference data that forms and lists need: statuses, priorities, custom fields, teams
// and (when the caller may list them) users. Loaded once per session, refreshed on demand.
import { get } from '../api/client';
import type { CustomField, Page, Priority, StaffMember, Status, Team, User } from '../api/types';
import { createStore } from './store';

export interface RefData {
  statuses: Status[];
  priorities: Priority[];
  fields: CustomField[];
  teams: Team[];
  /** every user, when the caller is an admin; otherwise empty */
  users: User[];
  /** active staff (GET /staff), for agents and up */
  staff: StaffMember[];
  loaded: boolean;
}

const empty: RefData = { statuses: [], priorities: [], fields: [], teams: [], users: [], staff: [], loaded: false };
export const refdata = createStore<RefData>(empty);

const DEFAULT_STATUSES: Status[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'].map((key, i) => ({
  key,
  label: key.replace('_', ' ').replace(/^./, (c) => c.toUpperCase()),
  category: key,
  position: i,
  transitions: [],
}));

async function allUsers(): Promise<User[]> {
  const out: User[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const page: Page<User> = await get<Page<User>>('/users', { query: { limit: 200, cursor } });
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export async function loadRefData(opts: { staff: boolean; admin: boolean }) {
  const soft = <T>(p: Promise<T>, fallback: T) => p.catch(() => fallback);
  const [st, pr, fl, tm, us, sf] = await Promise.all([
    soft(get<Page<Status>>('/statuses').then((p) => p.items), DEFAULT_STATUSES),
    soft(get<Page<Priority>>('/priorities').then((p) => p.items), []),
    soft(get<Page<CustomField>>('/fields').then((p) => p.items), []),
    opts.staff ? soft(get<Page<Team>>('/teams').then((p) => p.items), []) : Promise.resolve([]),
    opts.admin ? soft(allUsers(), []) : Promise.resolve([]),
    opts.staff ? soft(get<StaffMember[] | Page<StaffMember>>('/staff').then((p) => (Array.isArray(p) ? p : p.items)), []) : Promise.resolve([]),
  ]);
  refdata.set({ statuses: st, priorities: pr, fields: fl, teams: tm, users: us, staff: sf, loaded: true });
}

export function clearRefData() {
  refdata.set(empty);
}

export function statusLabel(d: RefData, key: string): string {
  return d.statuses.find((s) => s.key === key)?.label || key.replace(/_/g, ' ');
}

export function statusCategory(d: RefData, key: string): string {
  return d.statuses.find((s) => s.key === key)?.category || key;
}

export function priorityLabel(d: RefData, key: string): string {
  return d.priorities.find((p) => p.key === key)?.label || key;
}

export function teamName(d: RefData, id: number | null | undefined): string {
  if (!id) return '';
  return d.teams.find((t) => t.id === id)?.name || `Team #${id}`;
}

/** A person's display name from what the caller can know. */
export function personName(d: RefData, id: number | null | undefined, me?: { id: number; name: string } | null, fallback = 'User'): string {
  if (!id) return '';
  if (me && me.id === id) return `${me.name} (you)`;
  const u = d.staff.find((x) => x.id === id) || d.users.find((x) => x.id === id);
  return u ? u.name : `${fallback} #${id}`;
}

/** The statuses a ticket in `from` may move to (all when no transitions are set). */
export function allowedStatuses(d: RefData, from: string): Status[] {
  const cur = d.statuses.find((s) => s.key === from);
  if (!cur || cur.transitions.length === 0) return d.statuses;
  return d.statuses.filter((s) => s.key === from || cur.transitions.includes(s.key));
}
