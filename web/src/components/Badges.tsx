import { useStore } from '../lib/store';
import { priorityLabel, refdata, statusCategory, statusLabel } from '../lib/refdata';

export function StatusBadge({ status }: { status: string }) {
  const d = useStore(refdata);
  return <span class={`badge status-${statusCategory(d, status).replace(/[^a-z_]/g, '')}`}>{statusLabel(d, status)}</span>;
}

export function PriorityBadge({ priority }: { priority: string }) {
  const d = useStore(refdata);
  return <span class={`badge prio prio-${priority.replace(/[^a-z_]/g, '')}`}>{priorityLabel(d, priority)}</span>;
}

export function Tag({ name }: { name: string }) {
  return <span class="tag">{name}</span>;
}
