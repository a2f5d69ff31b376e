// Files on tickets: a drop zone (drag and drop, or a file picker) that refuses files
// over 10 MiB before any upload, the upload itself (multipart, one file a request), and
// the list of a ticket's files with download links.
import { useRef, useState } from 'preact/hooks';
import { errorMessage, get, request } from '../api/client';
import { useLoad } from '../lib/hooks';

export const MAX_FILE = 10 * 1024 * 1024;

export interface Attachment {
  id: number;
  filename: string;
  size: number;
  content_type: string;
  sha256?: string;
  internal?: boolean;
  created_at?: string;
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

let zoneSeq = 0;

export function DropZone({ files, onChange, label = 'Attachments', error }: { files: File[]; onChange: (f: File[]) => void; label?: string; error?: string | null }) {
  const [over, setOver] = useState(false);
  const [rejected, setRejected] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const [id] = useState(() => `drop-${++zoneSeq}`);

  function add(list: FileList | null) {
    if (!list) return;
    const ok: File[] = [];
    const bad: string[] = [];
    for (const f of Array.from(list)) {
      if (f.size > MAX_FILE) bad.push(`${f.name} is ${formatSize(f.size)}; files may have at most 10 MB.`);
      else if (!files.some((x) => x.name === f.name && x.size === f.size)) ok.push(f);
    }
    setRejected(bad);
    if (ok.length) onChange([...files, ...ok]);
    if (input.current) input.current.value = '';
  }

  return (
    <div class={`field dropzone-field ${error || rejected.length ? 'has-error' : ''}`}>
      <span class="label-text" id={`${id}-l`}>
        {label}
      </span>
      <div
        class={`dropzone ${over ? 'over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          add(e.dataTransfer?.files || null);
        }}
      >
        <input id={id} ref={input} type="file" multiple class="sr-only" aria-labelledby={`${id}-l ${id}-b`} onChange={(e) => add((e.currentTarget as HTMLInputElement).files)} />
        <span>Drop files here or </span>
        <label for={id} class="btn small" id={`${id}-b`}>
          choose files
        </label>
        <span class="muted small"> (10 MB each at most)</span>
      </div>
      {files.length > 0 && (
        <ul class="files">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span>
                {f.name} <span class="muted">({formatSize(f.size)})</span>
              </span>
              <button type="button" class="btn tiny ghost" aria-label={`Remove ${f.name}`} onClick={() => onChange(files.filter((_, j) => j !== i))}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {rejected.map((r) => (
        <div class="field-error" role="alert" key={r}>
          {r}
        </div>
      ))}
      {error && (
        <div class="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** Uploads files to a ticket one by one; resolves the messages of those that failed. */
export async function uploadFiles(ticketId: number, files: File[], internal = false): Promise<string[]> {
  const failed: string[] = [];
  for (const f of files) {
    const fd = new FormData();
    if (internal) fd.append('internal', 'true');
    fd.append('file', f, f.name);
    try {
      await request('POST', `/tickets/${ticketId}/attachments`, { body: fd });
    } catch (e) {
      failed.push(`${f.name}: ${errorMessage(e)}`);
    }
  }
  return failed;
}

export function AttachmentList({ ticketId, version }: { ticketId: number; version: number }) {
  const list = useLoad((signal) => get<{ items: Attachment[] }>(`/tickets/${ticketId}/attachments`, { signal }), [ticketId, version]);
  const items = list.data?.items || [];
  if (items.length === 0) return null;
  return (
    <section class="card attachments" aria-labelledby={`att-h-${ticketId}`}>
      <h2 id={`att-h-${ticketId}`}>Files</h2>
      <ul class="files">
        {items.map((a) => (
          <li key={a.id} class={a.internal ? 'internal' : ''}>
            <a href={`/api/v1/attachments/${a.id}`} download={a.filename}>
              {a.filename}
            </a>
            <span class="muted small">
              {formatSize(a.size)} · {a.content_type}
              {a.internal ? ' · internal' : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
