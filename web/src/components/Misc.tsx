// Small shared pieces: loading and empty states, the error box, data tables, the live indicator.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import { onLiveStatus } from '../lib/sse';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="error-box" role="alert">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" class="btn" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The first load's spinner and any load error (with a retry) of something loaded with useLoad. */
export function LoadState({ load }: { load: { data: unknown; error: unknown; loading: boolean; reload: () => void } }) {
  return (
    <>
      {load.loading && !load.data && <Loading />}
      {load.error != null && <ErrorBox error={load.error} onRetry={load.reload} />}
    </>
  );
}

/** A column of DataTable: its header text, or one that only screen readers hear. */
export type Column = string | { label: string; hidden: true };

/** A data table that scrolls sideways on narrow screens; children are its rows' <tbody>. */
export function DataTable({ columns, children }: { columns: Column[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Table, scrolls sideways">
      <table class="data">
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th scope="col" key={c}>
                  {c}
                </th>
              ) : (
                <th scope="col" key={c.label}>
                  <span class="sr-only">{c.label}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function LiveIndicator() {
  const [live, setLive] = useState(false);
  useEffect(() => onLiveStatus(setLive), []);
  return (
    <span class={`live ${live ? 'on' : 'off'}`} title={live ? 'Live updates are on' : 'Reconnecting to live updates…'}>
      <span class="dot" aria-hidden="true" />
      <span class="live-text">{live ? 'Live' : 'Offline'}</span>
    </span>
  );
}
