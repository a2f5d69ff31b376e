// Short notices at the bottom of the screen ("Reply sent", "3 tickets updated").
import { useStore, createStore } from '../lib/store';

interface Toast {
  id: number;
  text: string;
  kind: 'ok' | 'error' | 'info';
}

const toasts = createStore<Toast[]>([]);
let seq = 0;

export function toast(text: string, kind: Toast['kind'] = 'ok') {
  const id = ++seq;
  toasts.update((l) => [...l.slice(-3), { id, text, kind }]);
  setTimeout(() => toasts.update((l) => l.filter((t) => t.id !== id)), kind === 'error' ? 8000 : 4000);
}

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`}>
          {t.text}
        </div>
      ))}
    </div>
  );
}
