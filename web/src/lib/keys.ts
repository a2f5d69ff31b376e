// Single-key shortcuts (j, k, r, n, ?) that stay quiet while the user types in a field.
import { useEffect, useRef } from 'preact/hooks';

export type KeyMap = Record<string, (e: KeyboardEvent) => void>;

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

export function useKeys(map: KeyMap, enabled = true) {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (typing(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const fn = ref.current[e.key];
      if (fn) {
        e.preventDefault();
        fn(e);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** The ticket ids of the list last shown in the workspace, for j/k on a ticket page. */
let lastList: number[] = [];
let lastListUrl = '/agent';
export function rememberList(ids: number[], url: string) {
  lastList = ids;
  lastListUrl = url;
}
export function neighbour(id: number, step: 1 | -1): number | null {
  const i = lastList.indexOf(id);
  if (i < 0) return null;
  return lastList[i + step] ?? null;
}
export function listUrl() {
  return lastListUrl;
}
