// The article editor's "Insert image or file": uploads one file to the knowledge base's file
// store (POST /kb/files; at most 10 MB, checked before sending) and hands the Markdown the
// server answers (an image for PNG, JPEG, GIF and WebP, a download link for anything else)
// to the editor, with where the cursor was in the body.
import { useRef, useState } from 'preact/hooks';
import { errorMessage, request } from '../../api/client';
import { MAX_FILE, formatSize } from '../../components/Attachments';

interface KbFile {
  id: number;
  url: string;
  markdown: string;
}

export function InsertFile({ target, onInsert }: { target: string; onInsert: (markdown: string, at: number) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  async function pick(list: FileList | null) {
    const f = list?.[0];
    if (input.current) input.current.value = '';
    if (!f) return;
    if (f.size > MAX_FILE) {
      setErr(`${f.name} is ${formatSize(f.size)}; files may have at most 10 MB.`);
      return;
    }
    const area = document.getElementById(target) as HTMLTextAreaElement | null;
    const at = area ? area.selectionEnd : -1;
    const fd = new FormData();
    fd.append('file', f, f.name);
    setBusy(true);
    setErr(null);
    try {
      onInsert((await request<KbFile>('POST', '/kb/files', { body: fd })).data.markdown, at);
    } catch (e) {
      setErr(`${f.name}: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="insert-file">
      <label class="btn small">
        {busy ? 'Uploading…' : 'Insert image or file'}
        <input ref={input} type="file" class="sr-only" disabled={busy} onChange={(e) => pick((e.currentTarget as HTMLInputElement).files)} />
      </label>
      {err && (
        <div class="field-error" role="alert">
          {err}
        </div>
      )}
    </div>
  );
}

/** body with markdown put in at offset at (the end when at is outside it), on a paragraph of its own. */
export function insertAt(body: string, markdown: string, at: number): string {
  const i = at < 0 || at > body.length ? body.length : at;
  const before = body.slice(0, i);
  const gap = !before || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  return `${before}${gap}${markdown}\n\n${body.slice(i).replace(/^\n+/, '')}`.replace(/\n\n$/, '\n');
}
