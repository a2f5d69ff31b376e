// A personal metrics page (/agent/metrics), computed in the browser from the ticket list
// (GET /tickets?assignee_id=me, newest activity first, up to 1,000 tickets): what is
// waiting for me, what I solved in the last 7 days, first-response times and CSAT of the
// tickets assigned to me. Only real data: a figure with nothing behind it says so.
import { get } from '../../api/client';
import type { Page, Ticket, User } from '../../api/types';
import { Link } from '../../components/Link';
import { ErrorBox, Loading } from '../../components/Misc';
import { useLive, useLoad, useThrottledReload, useTitle } from '../../lib/hooks';
import { refdata, statusCategory, type RefData } from '../../lib/refdata';
import { useStore } from '../../lib/store';

const DAY = 86400000;

async function myTickets(signal: AbortSignal): Promise<{ items: Ticket[]; capped: boolean }> {
  const items: Ticket[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 5; i++) {
    const p: Page<Ticket> = await get<Page<Ticket>>('/tickets', { query: { assignee_id: 'me', sort: '-updated_at', limit: 200, cursor }, signal });
    items.push(...p.items);
    cursor = p.next_cursor;
    if (!cursor) return { items, capped: false };
  }
  return { items, capped: true };
}

export function duration(ms: number): string {
  const m = Math.round(ms / 60000);
  if (m < 60) return `${m} min`;
  const h = ms / 3600000;
  if (h < 48) return `${h.toFixed(h < 10 ? 1 : 0)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

export interface MyMetrics {
  open: number;
  waitingFirst: number;
  solved7: number;
  solvedByDay: { day: string; n: number }[];
  frt: { n: number; median: number; p90: number } | null;
  csat: { n: number; satisfied: number; average: number } | null;
}

export function computeMetrics(items: Ticket[], d: RefData, now = Date.now()): MyMetrics {
  const done = (t: Ticket) => ['solved', 'closed'].includes(statusCategory(d, t.status));
  const open = items.filter((t) => !done(t) && !t.merged_into);
  const since7 = now - 7 * DAY;
  const solved = items.filter((t) => t.solved_at && Date.parse(t.solved_at) >= since7);
  const solvedByDay: { day: string; n: number }[] = [];
  for (let i = 6; i >= 0; i--) {
    const start = new Date(now - i * DAY);
    start.setHours(0, 0, 0, 0);
    const end = start.getTime() + DAY;
    solvedByDay.push({
      day: start.toLocaleDateString(undefined, { weekday: 'short' }),
      n: solved.filter((t) => {
        const s = Date.parse(t.solved_at as string);
        return s >= start.getTime() && s < end;
      }).length,
    });
  }
  const since30 = now - 30 * DAY;
  const frts = items
    .filter((t) => t.first_response_at && Date.parse(t.created_at) >= since30)
    .map((t) => Date.parse(t.first_response_at as string) - Date.parse(t.created_at))
    .filter((x) => x >= 0)
    .sort((a, b) => a - b);
  const rated = items.filter((t) => t.rating && (!t.rating.created_at || Date.parse(t.rating.created_at) >= since30));
  return {
    open: open.length,
    waitingFirst: open.filter((t) => !t.first_response_at).length,
    solved7: solved.length,
    solvedByDay,
    frt: frts.length ? { n: frts.length, median: quantile(frts, 0.5), p90: quantile(frts, 0.9) } : null,
    csat: rated.length
      ? {
          n: rated.length,
          satisfied: rated.filter((t) => (t.rating?.score || 0) >= 4).length / rated.length,
          average: rated.reduce((s, t) => s + (t.rating?.score || 0), 0) / rated.length,
        }
      : null,
  };
}

export function Metrics({ me }: { me: User }) {
  useTitle('My metrics');
  const d = useStore(refdata);
  const data = useLoad(myTickets, [me.id]);
  const refresh = useThrottledReload(data.reload, 2000);
  useLive((e) => {
    if (e.type.startsWith('ticket.') || e.type === 'stream.reconnected') refresh();
  });
  if (data.loading && !data.data) return <Loading />;
  if (!data.data) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const m = computeMetrics(data.data.items, d);
  const max = Math.max(1, ...m.solvedByDay.map((x) => x.n));
  return (
    <div class="metrics">
      <div class="page-head">
        <h1>My metrics</h1>
        <Link href="/agent?view=mine" class="btn">
          My open tickets
        </Link>
      </div>
      <p class="muted small">
        From the {data.data.items.length} tickets assigned to you{data.data.capped ? ' with the most recent activity (the first 1,000)' : ''}. Updated live.
      </p>
      <div class="stat-grid">
        <Stat label="Open, assigned to me" value={String(m.open)} note={`${m.waitingFirst} still waiting for a first response`} />
        <Stat label="Solved in the last 7 days" value={String(m.solved7)} note="tickets assigned to you whose solved time falls in the last 7 days" />
        <Stat
          label="First response, median (30 days)"
          value={m.frt ? duration(m.frt.median) : '—'}
          note={m.frt ? `90% within ${duration(m.frt.p90)}, over ${m.frt.n} tickets` : 'no answered tickets created in the last 30 days'}
        />
        <Stat
          label="Customer satisfaction (30 days)"
          value={m.csat ? `${Math.round(m.csat.satisfied * 100)}%` : '—'}
          note={m.csat ? `rated 4 or 5 stars; average ${m.csat.average.toFixed(1)} of 5 from ${m.csat.n} rating${m.csat.n === 1 ? '' : 's'}` : 'no ratings in the last 30 days'}
        />
      </div>
      <section class="card" aria-labelledby="solved-h">
        <h2 id="solved-h">Solved per day</h2>
        <svg class="bars" viewBox="0 0 350 130" role="img" aria-label={`Solved per day, last 7 days: ${m.solvedByDay.map((x) => `${x.day} ${x.n}`).join(', ')}`}>
          {m.solvedByDay.map((x, i) => {
            const h = Math.round((x.n / max) * 90);
            return (
              <g key={i}>
                <rect x={i * 50 + 10} y={100 - h} width="30" height={Math.max(h, 1)} rx="3" class="bar" />
                <text x={i * 50 + 25} y={100 - h - 4} text-anchor="middle" class="bar-n">
                  {x.n}
                </text>
                <text x={i * 50 + 25} y="118" text-anchor="middle" class="bar-day">
                  {x.day}
                </text>
              </g>
            );
          })}
        </svg>
      </section>
    </div>
  );
}

function Stat({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <section class="card stat">
      <h2 class="stat-label">{label}</h2>
      <p class="stat-value">{value}</p>
      <p class="muted small">{note}</p>
    </section>
  );
}
