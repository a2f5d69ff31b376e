// Feature detection for parts of the API that other work adds later (the knowledge
// base, the AI). A feature is on when its route answers anything but 404 (a 404 from a
// missing route); each probe runs once per page load.
import { ApiError, request } from '../api/client';

const cache = new Map<string, Promise<boolean>>();

const probes: Record<string, [string, string, unknown?]> = {
  // the categories rather than a search: a search would be logged in the KB report
  'kb-search': ['GET', '/kb/categories'],
  'kb-recommend': ['GET', '/kb/recommend?text=help&limit=1'],
  // GET /ai/models rather than a tone check, which would be stored
  'ai-tone': ['GET', '/ai/models'],
};

export function hasFeature(name: 'kb-search' | 'kb-recommend' | 'ai-tone'): Promise<boolean> {
  let p = cache.get(name);
  if (!p) {
    const [method, path, body] = probes[name];
    p = request(method, path, { quiet401: true, body })
      .then(() => true)
      .catch((e) => !(e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 0)));
    cache.set(name, p);
  }
  return p;
}

/** Marks a feature off after one of its calls answered 404. */
export function featureMissing(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 405);
}
