// Small shared pieces: loading and empty states, the error box, the live indicator.
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
