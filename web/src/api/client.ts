// The one way the UI talks to parley: JSON over fetch, the session cookie, the
// X-CSRF-Token header on unsafe methods, and API errors turned into ApiError (with the
// field they name, so forms can show them next to that field).

export class ApiError extends Error {
  status: number;
  code: string;
  field?: string;
  retryAfter?: number;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<(e: ApiError) => void>();

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called with every 401 from a signed-in call (the session ended elsewhere). */
export function onUnauthorized(fn: (e: ApiError) => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  /** do not tell the unauthorized listeners (sign-in, the first /me) */
  quiet401?: boolean;
}

export interface Answer<T> {
  data: T;
  status: number;
  headers: Headers;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const url = path.startsWith('/api/') || path.startsWith('/healthz') ? path : `/api/v1${path}`;
  if (!query) return url;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${url}?${s}` : url;
}

export async function request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (opts.body instanceof FormData) {
      body = opts.body;
    } else {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Parley cannot be reached; check your connection and try again.');
  }
  const text = res.status === 204 ? '' : await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    const e = new ApiError(
      res.status,
      err?.code || `http_${res.status}`,
      err?.message || `The server answered ${res.status} ${res.statusText}`.trim(),
      err?.field,
    );
    const ra = res.headers.get('Retry-After');
    if (ra) e.retryAfter = Number(ra);
    if (res.status === 401 && e.code === 'unauthorized' && !opts.quiet401) {
      for (const fn of unauthorizedListeners) fn(e);
    }
    throw e;
  }
  return { data: json as T, status: res.status, headers: res.headers };
}

export const get = async <T>(path: string, opts?: RequestOptions) => (await request<T>('GET', path, opts)).data;
export const post = async <T>(path: string, body?: unknown, opts?: RequestOptions) =>
  (await request<T>('POST', path, { ...opts, body: body ?? {} })).data;
export const patch = async <T>(path: string, body: unknown, opts?: RequestOptions) =>
  (await request<T>('PATCH', path, { ...opts, body })).data;
export const put = async <T>(path: string, body: unknown, opts?: RequestOptions) =>
  (await request<T>('PUT', path, { ...opts, body })).data;
export const del = async (path: string, opts?: RequestOptions) => {
  await request('DELETE', path, opts);
};

/** Splits an error into one for a named field of a form, or one for the whole form. */
export function fieldErrors(e: unknown, known: string[]): { fields: Record<string, string>; form: string | null } {
  if (e instanceof ApiError) {
    if (e.field) {
      const f = e.field.replace(/^set\./, '').replace(/^custom_fields\./, 'custom_fields.');
      if (known.includes(f)) return { fields: { [f]: e.message }, form: null };
      // a path inside a member the form shows as one field (guide.steps[2].answers[0].next,
      // llm.model): the error goes by that field, saying where
      const member = known.find((k) => f.startsWith(`${k}.`) || f.startsWith(`${k}[`));
      if (member) return { fields: { [member]: e.message.includes(f) ? e.message : `${f}: ${e.message}` }, form: null };
    }
    return { fields: {}, form: e.message };
  }
  return { fields: {}, form: (e as Error)?.message || 'Something went wrong' };
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 429 && e.retryAfter) return `${e.message}`;
    return e.message;
  }
  return (e as Error)?.message || String(e);
}
