// Small hooks shared by pages: live events, loading data, debouncing, document title.
import { useEffect, useRef, useState, useCallback } from 'preact/hooks';
import { fieldErrors } from '../api/client';
import { subscribe, type LiveEvent } from './sse';

/** Calls fn for every live event while the component is mounted. */
export function useLive(fn: (e: LiveEvent) => void) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => subscribe((e) => ref.current(e)), []);
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  set: (v: T) => void;
}

/** Loads data with fn whenever deps change; reload() fetches again (keeping what is shown). */
export function useLoad<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    fnRef
      .current(ctl.signal)
      .then((v) => {
        if (ctl.signal.aborted) return;
        setData(v);
        setError(null);
        setLoading(false);
      })
      .catch((e) => {
        if (ctl.signal.aborted || (e as Error)?.name === 'AbortError') return;
        setError(e);
        setLoading(false);
      });
    return () => ctl.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, set: setData };
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Parley` : 'Parley';
  }, [title]);
}

/** A function that calls the latest fn, after ms of quiet. */
export function useThrottledReload(fn: () => void, ms = 300): () => void {
  const timer = useRef<number | undefined>(undefined);
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      ref.current();
    }, ms);
  }, [ms]);
}

export interface Submit {
  /** the form's onSubmit: runs the action once, ignoring submits while it runs */
  submit: (e?: Event) => Promise<void>;
  busy: boolean;
  /** the API's error for each field the form names */
  fields: Record<string, string>;
  /** an error that names no field of the form */
  form: string | null;
  /** forgets the errors shown */
  clear: () => void;
}

/** One submit path for every form: no double submits (a second submit while the first runs
 *  is dropped, even before the re-render disables the button), and the API's error shown by
 *  the field it names (`known`), else for the whole form. */
export function useSubmit(action: () => Promise<void>, known: string[]): Submit {
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [form, setForm] = useState<string | null>(null);
  const running = useRef(false);
  const ref = useRef({ action, known });
  ref.current = { action, known };
  const submit = useCallback(async (e?: Event) => {
    e?.preventDefault();
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setFields({});
    setForm(null);
    try {
      await ref.current.action();
    } catch (err) {
      const r = fieldErrors(err, ref.current.known);
      setFields(r.fields);
      setForm(r.form);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => {
    setFields({});
    setForm(null);
  }, []);
  return { submit, busy, fields, form, clear };
}
