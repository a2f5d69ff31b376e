// What the customer did in the help center before asking (the ticket's `context`, see
// docs/kb.md): the search, the articles read (and which did not help), a guide's path.
import type { GuidePathItem, Ticket } from '../../api/types';
import { Link } from '../../components/Link';

interface Ctx {
  kb_search?: string;
  articles_viewed?: number[];
  article_titles?: Record<string, string>;
  not_helpful?: number[];
  guide_id?: number;
  guide_title?: string;
  guide_path?: GuidePathItem[];
}

export function TicketContext({ ticket }: { ticket: Ticket }) {
  const c = (ticket.context || null) as Ctx | null;
  if (!c || (!c.kb_search && !c.articles_viewed?.length && !c.guide_path?.length)) return null;
  const viewed = Array.isArray(c.articles_viewed) ? c.articles_viewed.filter((x) => typeof x === 'number') : [];
  const notHelpful = new Set(Array.isArray(c.not_helpful) ? c.not_helpful : []);
  return (
    <section class="card ctx-panel" aria-labelledby="ctx-h">
      <h2 id="ctx-h">Before asking</h2>
      {typeof c.kb_search === 'string' && c.kb_search && (
        <p>
          Searched the help center for <q class="ctx-search">{c.kb_search}</q>
        </p>
      )}
      {viewed.length > 0 && (
        <>
          <p class="ctx-sub">Read {viewed.length === 1 ? 'this article' : `these ${viewed.length} articles`}:</p>
          <ul class="ctx-list">
            {viewed.map((id) => (
              <li key={id}>
                <Link href={`/kb/${id}`}>{c.article_titles?.[id] || `Article ${id}`}</Link>
                {notHelpful.has(id) && <span class="badge warn-badge">did not help</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {Array.isArray(c.guide_path) && c.guide_path.length > 0 && (
        <>
          <p class="ctx-sub">
            Followed the guide {c.guide_id ? <Link href={`/kb/${c.guide_id}`}>{c.guide_title || `#${c.guide_id}`}</Link> : c.guide_title}:
          </p>
          <ol class="ctx-list">
            {c.guide_path.map((p, i) => (
              <li key={i}>
                {p.title || p.step} → <strong>{p.answer}</strong>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
