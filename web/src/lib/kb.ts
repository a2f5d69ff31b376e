// What a reader did in the knowledge base before asking (docs/kb.md, "context carry-over"):
// the last search, the articles opened, "did not help" answers and a guide walk. Kept in
// sessionStorage so it survives signing in on the way to the ticket form; sent as the new
// ticket's `context`, then forgotten.
import type { GuidePathItem } from '../api/types';
import { createStore } from './store';

export interface KbJourney {
  kb_search?: string;
  search_id?: number;
  articles_viewed?: number[];
  /** titles of the articles viewed, by id, so agents read names rather than numbers */
  article_titles?: Record<string, string>;
  /** articles the reader said did not help */
  not_helpful?: number[];
  guide_id?: number;
  guide_title?: string;
  guide_path?: GuidePathItem[];
}

const KEY = 'parley.kb.journey';

function load(): KbJourney {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || '{}') as KbJourney;
  } catch {
    return {};
  }
}

export const journey = createStore<KbJourney>(load());

function save(j: KbJourney) {
  journey.set(j);
  try {
    sessionStorage.setItem(KEY, JSON.stringify(j));
  } catch {
    /* private mode: keep it in memory */
  }
}

export function recordSearch(q: string, searchId: number | null) {
  if (!q.trim()) return;
  const j = { ...journey.get(), kb_search: q.trim() };
  if (searchId) j.search_id = searchId;
  else delete j.search_id;
  save(j);
}

export function recordView(id: number, title: string) {
  const j = journey.get();
  const seen = (j.articles_viewed || []).filter((x) => x !== id);
  save({ ...j, articles_viewed: [...seen, id].slice(-20), article_titles: { ...j.article_titles, [id]: title } });
}

export function recordNotHelpful(id: number) {
  const j = journey.get();
  save({ ...j, not_helpful: [...(j.not_helpful || []).filter((x) => x !== id), id] });
}

export function recordGuide(ctx: { guide_id: number; guide_title: string; guide_path: GuidePathItem[] }) {
  save({ ...journey.get(), ...ctx });
}

/** The context for a new ticket, or null when the reader did nothing worth telling. */
export function journeyContext(): KbJourney | null {
  const j = journey.get();
  return j.kb_search || j.articles_viewed?.length || j.guide_path?.length ? j : null;
}

export function clearJourney() {
  save({});
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* ignore */
  }
}

/** A new typing session for search as you type: sent as `typing` with each keystroke's search,
 * so the server logs only the query the reader ends with (readers behind one address apart). */
export function typingSession(): string {
  return Math.random().toString(36).slice(2, 12) || 'typing';
}
