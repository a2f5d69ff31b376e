// Macros (response templates): loading the ones the agent may use, and describing what
// a macro's actions do, in words, for the picker and the manager.
import { get } from '../api/client';
import type { MacroActions, MacroPage } from '../api/types';
import { personName, priorityLabel, statusLabel, teamName, type RefData } from './refdata';

/** The agent's personal macros and the shared ones (one page of up to 200), by name. */
export async function loadMacros(signal?: AbortSignal): Promise<MacroPage> {
  const page = await get<MacroPage>('/macros', { query: { limit: 200 }, signal });
  page.items.sort((a, b) => a.name.localeCompare(b.name));
  return page;
}

/** "status → Pending · adds refund · assigns to me", or '' when the macro changes nothing. */
export function describeActions(d: RefData, a: MacroActions): string {
  const out: string[] = [];
  if (a.status) out.push(`status → ${statusLabel(d, a.status)}`);
  if (a.priority) out.push(`priority → ${priorityLabel(d, a.priority)}`);
  if (a.add_tags?.length) out.push(`adds ${a.add_tags.join(', ')}`);
  if (a.remove_tags?.length) out.push(`removes ${a.remove_tags.join(', ')}`);
  if (a.assignee_id === 'me') out.push('assigns to me');
  else if (a.assignee_id === null) out.push('unassigns');
  else if (a.assignee_id) out.push(`assigns to ${personName(d, a.assignee_id)}`);
  if (a.team_id === null) out.push('clears the team');
  else if (a.team_id) out.push(`team → ${teamName(d, a.team_id)}`);
  return out.join(' · ');
}
