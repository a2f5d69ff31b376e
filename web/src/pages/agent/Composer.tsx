// The agent's composer: a Markdown textarea with formatting buttons, two modes (a
// public reply, or an internal note drawn in the note colours), an optional status to
// set on send, a tone check when the server has one, templates (macros), knowledge-base
// links, Ctrl+Enter to send.
import type { Ref } from 'preact';
import { useEffect, useImperativeHandle, useRef, useState } from 'preact/hooks';
import { ApiError, fieldErrors, post } from '../../api/client';
import type { MacroApplied, Message, Ticket, ToneCheck } from '../../api/types';
import { DropZone, uploadFiles } from '../../components/Attachments';
import { FormError } from '../../components/Field';
import { hasFeature } from '../../lib/features';
import { humanize } from '../../lib/format';
import { allowedStatuses, refdata } from '../../lib/refdata';
import { KbLinkPicker } from './KbLinkPicker';
import { MacroPicker } from './MacroPicker';
import { useSubmit } from '../../lib/hooks';
import { useStore } from '../../lib/store';

export type Mode = 'reply' | 'note';

export interface ComposerHandle {
  focus(mode: Mode): void;
  insert(text: string, suggestionId?: string | number): void;
}

export function Composer({
  ticket,
  onSent,
  onTicket,
  mine,
  handle,
}: {
  ticket: Ticket;
  /** what the page does with a message sent (it may refetch the ticket) */
  onSent: (m: Message, suggestion?: { id: string | number; original: string }) => Promise<unknown>;
  /** the ticket as a template's actions left it */
  onTicket: (t: Ticket) => void;
  /** runs a change of ours (lib/ticket.ts) */
  mine: <T>(work: Promise<T>) => Promise<T>;
  handle: Ref<ComposerHandle>;
}) {
  const d = useStore(refdata);
  const [mode, setMode] = useState<Mode>('reply');
  const [body, setBody] = useState('');
  const [status, setStatus] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [sideErr, setSideErr] = useState<string | null>(null); // uploads, tone check
  const [tone, setTone] = useState<ToneCheck | null>(null);
  const [kbOpen, setKbOpen] = useState(false);
  const [macroOpen, setMacroOpen] = useState(false);
  const [kbOn, setKbOn] = useState(false);
  const [toneOn, setToneOn] = useState(false);
  const suggestion = useRef<{ id: string | number; original: string } | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    hasFeature('ai-tone').then(setToneOn);
    hasFeature('kb-search').then(setKbOn);
  }, []);

  /** Puts text at the cursor (or replaces the selection). */
  function insertAtCursor(text: string) {
    const el = area.current;
    const value = el ? el.value : body;
    const a = el ? el.selectionStart : value.length;
    const b = el ? el.selectionEnd : value.length;
    setBody(value.slice(0, a) + text + value.slice(b));
    setTimeout(() => {
      el?.focus();
      el?.setSelectionRange(a + text.length, a + text.length);
    }, 0);
  }

  useImperativeHandle(handle, () => ({
    focus(m: Mode) {
      setMode(m);
      setTimeout(() => area.current?.focus(), 0);
    },
    insert(text: string, id?: string | number) {
      setMode('reply');
      setBody(text);
      suggestion.current = id !== undefined ? { id, original: text } : null;
      setTimeout(() => area.current?.focus(), 0);
    },
  }));

  function wrap(before: string, after = before, placeholder = 'text') {
    const el = area.current;
    if (!el) return;
    const { selectionStart: a, selectionEnd: b, value } = el;
    const chosen = value.slice(a, b) || placeholder;
    const next = value.slice(0, a) + before + chosen + after + value.slice(b);
    setBody(next);
    setTimeout(() => {
      el.focus();
      el.setSelectionRange(a + before.length, a + before.length + chosen.length);
    }, 0);
  }

  function linePrefix(prefix: string) {
    const el = area.current;
    if (!el) return;
    const { selectionStart: a, value } = el;
    const start = value.lastIndexOf('\n', a - 1) + 1;
    setBody(value.slice(0, start) + prefix + value.slice(start));
    setTimeout(() => el.focus(), 0);
  }

  const sending = useSubmit(async () => {
    if (!body.trim()) return;
    setSideErr(null);
    const payload: Record<string, unknown> = { body, internal: mode === 'note' };
    if (status) payload.status = status;
    await mine(
      (async () => {
        const m = await post<Message>(`/tickets/${ticket.id}/messages`, payload);
        if (files.length) {
          const failed = await uploadFiles(ticket.id, files, mode === 'note');
          setFiles([]);
          if (failed.length) setSideErr(failed.join('; '));
        }
        await onSent(m, mode === 'reply' && suggestion.current ? suggestion.current : undefined);
      })(),
    );
    setBody('');
    setStatus('');
    setTone(null);
    suggestion.current = null;
  }, ['body', 'status', 'internal']);
  const { submit: send, busy } = sending;
  const err = sending.fields.body || sending.fields.internal || null;
  const formErr = sending.form || sideErr;

  async function checkTone() {
    try {
      setTone(await post<ToneCheck>('/ai/tone', { text: body, language: ticket.language || undefined }));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405)) setToneOn(false);
      else setSideErr(fieldErrors(e, []).form);
    }
  }

  const statuses = allowedStatuses(d, ticket.status).filter((s) => s.key !== ticket.status);
  const note = mode === 'note';
  return (
    <form class={`composer card ${note ? 'is-note' : 'is-reply'}`} onSubmit={send} aria-label={note ? 'Internal note' : 'Reply'}>
      <div class="composer-tabs" role="tablist" aria-label="Message kind">
        <button type="button" role="tab" aria-selected={!note} class={!note ? 'tab active' : 'tab'} onClick={() => setMode('reply')} aria-keyshortcuts="r">
          Reply to customer
        </button>
        <button type="button" role="tab" aria-selected={note} class={note ? 'tab active' : 'tab'} onClick={() => setMode('note')} aria-keyshortcuts="n">
          Internal note
        </button>
      </div>
      {note && <p class="note-warning">Only your team sees internal notes. The customer never does.</p>}
      <div class="md-toolbar" role="toolbar" aria-label="Formatting">
        <button type="button" class="btn tiny ghost" onClick={() => wrap('**')} aria-label="Bold">
          <b>B</b>
        </button>
        <button type="button" class="btn tiny ghost" onClick={() => wrap('_')} aria-label="Italic">
          <i>I</i>
        </button>
        <button type="button" class="btn tiny ghost" onClick={() => wrap('`')} aria-label="Code">
          {'</>'}
        </button>
        <button type="button" class="btn tiny ghost" onClick={() => wrap('[', '](https://)', 'link text')} aria-label="Link">
          Link
        </button>
        <button type="button" class="btn tiny ghost" onClick={() => linePrefix('- ')} aria-label="Bulleted list">
          • List
        </button>
        <button type="button" class="btn tiny ghost" onClick={() => linePrefix('> ')} aria-label="Quote">
          ❝ Quote
        </button>
        <button type="button" class="btn tiny ghost" aria-expanded={macroOpen} aria-controls="macro-insert" onClick={() => setMacroOpen(!macroOpen)}>
          Template
        </button>
        {kbOn && (
          <button type="button" class="btn tiny ghost" aria-expanded={kbOpen} aria-controls="kb-insert" onClick={() => setKbOpen(!kbOpen)}>
            KB link
          </button>
        )}
      </div>
      {macroOpen && (
        <MacroPicker
          ticket={ticket}
          mine={mine}
          onApplied={(a: MacroApplied) => {
            onTicket(a.ticket);
            if (a.body) insertAtCursor(a.body);
            setMacroOpen(false);
          }}
          onClose={() => {
            setMacroOpen(false);
            setTimeout(() => area.current?.focus(), 0);
          }}
        />
      )}
      {kbOn && kbOpen && (
        <KbLinkPicker
          onPick={(title, id) => {
            insertAtCursor(`[${title.replace(/[[\]]/g, '')}](${location.origin}/kb/${id})`);
            setKbOpen(false);
          }}
          onClose={() => {
            setKbOpen(false);
            setTimeout(() => area.current?.focus(), 0);
          }}
        />
      )}
      <label class="sr-only" for="composer-body">
        {note ? 'Internal note (Markdown)' : 'Reply to the customer (Markdown)'}
      </label>
      <textarea
        id="composer-body"
        ref={area}
        rows={6}
        value={body}
        placeholder={note ? 'Write a note for your team…' : 'Write your reply… (Markdown)'}
        aria-invalid={err ? 'true' : undefined}
        aria-describedby={err ? 'composer-err' : undefined}
        onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send();
        }}
      />
      {err && (
        <div class="field-error" id="composer-err" role="alert">
          {err}
        </div>
      )}
      <DropZone files={files} onChange={setFiles} label={note ? 'Attach files (internal)' : 'Attach files'} />
      {tone && (
        <div class="tone" aria-live="polite">
          <p>
            <strong>Tone check{typeof tone.score === 'number' ? `: ${tone.score}/100` : ''}</strong>
            {tone.findings.length === 0 ? ' — no findings, good to send.' : ''}
          </p>
          {tone.findings.length > 0 && (
            <ul>
              {tone.findings.map((f, i) => (
                <li key={i}>
                  <span class="badge">{humanize(f.kind)}</span> {f.message}
                  {f.start !== f.end && <q class="tone-quote">{byteSlice(body, f.start, f.end)}</q>}
                  {f.suggestion && <em> — try “{f.suggestion}”</em>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <FormError error={formErr} />
      <div class="composer-actions">
        <div class="filter">
          <label for="composer-status">and set status</label>
          <select
            id="composer-status"
            value={status}
            aria-invalid={sending.fields.status ? 'true' : undefined}
            aria-describedby={sending.fields.status ? 'composer-status-err' : undefined}
            onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">unchanged</option>
            {statuses.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
          {sending.fields.status && (
            <div class="field-error" id="composer-status-err" role="alert">
              {sending.fields.status}
            </div>
          )}
        </div>
        {toneOn && !note && (
          <button type="button" class="btn" onClick={checkTone} disabled={!body.trim()}>
            Check tone
          </button>
        )}
        <button type="submit" class={`btn ${note ? 'note' : 'primary'}`} disabled={busy || !body.trim()}>
          {busy ? 'Sending…' : note ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}

/** The text between two UTF-8 byte offsets (the tone check counts bytes). */
function byteSlice(text: string, start: number, end: number): string {
  const bytes = new TextEncoder().encode(text);
  return new TextDecoder().decode(bytes.slice(start, end));
}
