// The AI's settings (GET/PUT /admin/ai and the `ai.*` runtime settings): the LLM provider
// (the API key write-only: shown as set or not set), the category → team map, the words
// the tone check flags, and every other group the server returns (first response, and
// whatever the AI engine adds later) drawn generically from its values' types.
import { useEffect, useState } from 'preact/hooks';
import { get, patch, put } from '../../api/client';
import type { Settings } from '../../api/types';
import { FormError, TextArea, TextField } from '../../components/Field';
import { ErrorBox, Loading } from '../../components/Misc';
import { ScalarFields } from '../../components/ScalarField';
import { toast } from '../../components/Toasts';
import { humanize } from '../../lib/format';
import { useLoad, useSubmit } from '../../lib/hooks';
import { refdata } from '../../lib/refdata';
import { useStore } from '../../lib/store';
import { changedOf, flatten, nest, type Flat } from './Settings';

type AiConfig = Record<string, unknown> & {
  llm?: { base_url: string; model: string; timeout_seconds?: number; has_api_key?: boolean } | null;
  category_teams?: Record<string, number>;
  tone_words?: { phrase: string; suggestion: string | null }[];
};

/** Members with their own card; every other object of scalars is drawn generically. */
const SPECIAL = new Set(['llm', 'category_teams', 'tone_words']);

const isScalars = (v: unknown): v is Flat =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');

export function AiSettings() {
  const cfg = useLoad((signal) => get<AiConfig>('/admin/ai', { signal }), []);
  const settings = useLoad((signal) => get<Settings>('/admin/settings', { signal }), []);
  const models = useLoad((signal) => get<{ items: { kind: string; metrics: { labels?: string[] } }[] }>('/ai/models', { signal }).catch(() => ({ items: [] })), []);
  if ((cfg.loading && !cfg.data) || (settings.loading && !settings.data)) return <Loading />;
  if (cfg.error || !cfg.data) return <ErrorBox error={cfg.error} onRetry={cfg.reload} />;
  const c = cfg.data;
  const runtime = Object.fromEntries(Object.entries(flatten(settings.data || {})).filter(([k]) => k.startsWith('ai.')));
  const labels = models.data?.items.find((m) => m.kind === 'category')?.metrics.labels || [];
  const save = async (doc: Record<string, unknown>) => {
    cfg.set(await put<AiConfig>('/admin/ai', doc));
    toast('AI settings saved');
  };
  return (
    <div class="settings">
      <Provider llm={c.llm || null} save={save} />
      {Object.keys(runtime).length > 0 && (
        <Group
          name="automation"
          title="Automation"
          saved={runtime}
          save={async (changed) => {
            settings.set(await patch<Settings>('/admin/settings', nest(changed)));
            toast('AI settings saved');
          }}
        />
      )}
      {Object.entries(c)
        .filter(([k, v]) => !SPECIAL.has(k) && isScalars(v))
        .map(([k, v]) => (
          <Group key={k} name={k} title={humanize(k)} saved={flatten({ [k]: v } as Settings)} save={(changed) => save(nest(changed))} />
        ))}
      {c.category_teams && <CategoryTeams map={c.category_teams} labels={labels} save={save} />}
      {c.tone_words && <ToneWords words={c.tone_words} save={save} />}
    </div>
  );
}

/** A card of scalar settings (`group.key` names) saved together, each error by its field. */
function Group({ name, title, saved, save }: { name: string; title: string; saved: Flat; save: (changed: Flat) => Promise<void> }) {
  const [draft, setDraft] = useState<Flat>(saved);
  useEffect(() => setDraft(saved), [JSON.stringify(saved)]);
  const changed = changedOf(draft, saved);
  const s = useSubmit(() => save(changed), [name, ...Object.keys(saved)]);
  return (
    <form class="card" noValidate onSubmit={s.submit} aria-label={title}>
      <h2>{title}</h2>
      <ScalarFields
        prefix="ai"
        keys={Object.keys(saved)}
        saved={saved}
        draft={draft}
        errors={s.fields}
        onDraft={(x) => {
          setDraft(x); // an error about the old value goes
          s.clear();
        }}
      />
      <FormError error={s.fields[name] || s.form} />
      <button class="btn primary" type="submit" disabled={s.busy || Object.keys(changed).length === 0}>
        {s.busy ? 'Saving…' : `Save ${title.toLowerCase()}`}
      </button>
    </form>
  );
}

function Provider({ llm, save }: { llm: AiConfig['llm'] | null; save: (doc: Record<string, unknown>) => Promise<void> }) {
  const [v, setV] = useState({ base_url: llm?.base_url || '', model: llm?.model || '', timeout_seconds: String(llm?.timeout_seconds ?? 20), api_key: '' });
  const s = useSubmit(async () => {
    const doc: Record<string, unknown> = { base_url: v.base_url.trim(), model: v.model.trim(), timeout_seconds: Number(v.timeout_seconds) };
    if (v.api_key) doc.api_key = v.api_key; // left empty: the stored key is kept
    await save({ llm: doc });
    setV({ ...v, api_key: '' });
  }, ['llm']);
  const off = useSubmit(() => save({ llm: null }), ['llm']);
  return (
    <form class="card" noValidate onSubmit={s.submit} aria-label="Language model provider">
      <h2>Language model provider</h2>
      <p class="muted small">
        Any OpenAI-compatible endpoint (Ollama, llama.cpp, vLLM, OpenAI). Without one, suggested replies are composed offline from the knowledge base.
      </p>
      <div class="grid-2">
        <TextField label="Base URL" name="llm-base-url" value={v.base_url} placeholder="http://localhost:11434/v1" onValue={(x) => setV({ ...v, base_url: x })} />
        <TextField label="Model" name="llm-model" value={v.model} onValue={(x) => setV({ ...v, model: x })} />
        <TextField label="Timeout (seconds)" name="llm-timeout" type="number" min={1} max={20} value={v.timeout_seconds} onValue={(x) => setV({ ...v, timeout_seconds: x })} />
        <TextField
          label="API key"
          name="llm-api-key"
          type="password"
          autoComplete="off"
          value={v.api_key}
          placeholder={llm?.has_api_key ? 'set (type to replace)' : 'not set'}
          hint={llm?.has_api_key ? 'A key is set. It is never shown; leave empty to keep it.' : 'No key is set.'}
          onValue={(x) => setV({ ...v, api_key: x })}
        />
      </div>
      <FormError error={s.fields.llm || s.form || off.fields.llm || off.form} />
      <div class="row">
        <button class="btn primary" type="submit" disabled={s.busy || !v.base_url.trim() || !v.model.trim()}>
          {s.busy ? 'Saving…' : 'Save provider'}
        </button>
        {llm && (
          <button type="button" class="btn ghost" disabled={off.busy} onClick={() => off.submit()}>
            Use offline replies only
          </button>
        )}
      </div>
    </form>
  );
}

function CategoryTeams({ map, labels, save }: { map: Record<string, number>; labels: string[]; save: (doc: Record<string, unknown>) => Promise<void> }) {
  const d = useStore(refdata);
  const [draft, setDraft] = useState<Record<string, string>>(Object.fromEntries(Object.entries(map).map(([k, t]) => [k, String(t)])));
  const [extra, setExtra] = useState('');
  const categories = [...new Set([...labels, ...Object.keys(draft)])].sort();
  const s = useSubmit(async () => {
    const out: Record<string, number> = {};
    for (const [k, t] of Object.entries(draft)) if (t) out[k] = Number(t);
    await save({ category_teams: out });
  }, ['category_teams']);
  return (
    <form class="card" noValidate onSubmit={s.submit} aria-label="Category to team">
      <h2>Category → team</h2>
      <p class="muted small">With automatic routing on, a new ticket in a category goes to its team (when it has none).</p>
      {categories.length === 0 && <p class="muted">No categories yet: train the category model or add one below.</p>}
      <div class="grid-2">
        {categories.map((cat) => (
          <div class="field" key={cat}>
            <label for={`cat-${cat}`}>{humanize(cat)}</label>
            <select id={`cat-${cat}`} value={draft[cat] || ''} onChange={(e) => setDraft({ ...draft, [cat]: (e.currentTarget as HTMLSelectElement).value })}>
              <option value="">no team</option>
              {d.teams.map((t) => (
                <option key={t.id} value={String(t.id)}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <div class="row">
        <TextField label="Another category" name="cat-new" value={extra} onValue={setExtra} />
        <button
          type="button"
          class="btn"
          disabled={!extra.trim()}
          onClick={() => {
            setDraft({ ...draft, [extra.trim().toLowerCase()]: draft[extra.trim().toLowerCase()] || '' });
            setExtra('');
          }}
        >
          Add category
        </button>
      </div>
      <FormError error={s.fields.category_teams || s.form} />
      <button class="btn primary" type="submit" disabled={s.busy}>
        {s.busy ? 'Saving…' : 'Save routing'}
      </button>
    </form>
  );
}

function ToneWords({ words, save }: { words: { phrase: string; suggestion: string | null }[]; save: (doc: Record<string, unknown>) => Promise<void> }) {
  const [text, setText] = useState(words.map((w) => (w.suggestion ? `${w.phrase} => ${w.suggestion}` : w.phrase)).join('\n'));
  const s = useSubmit(async () => {
    const list = text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [phrase, suggestion] = l.split('=>').map((x) => x.trim());
        return suggestion ? { phrase, suggestion } : { phrase };
      });
    await save({ tone_words: list });
  }, ['tone_words']);
  return (
    <form class="card" noValidate onSubmit={s.submit} aria-label="Words to avoid">
      <h2>Words to avoid</h2>
      <TextArea label="One per line; “phrase => better wording” suggests a replacement" name="tone-words" rows={5} value={text} onValue={setText} error={s.fields.tone_words} />
      <FormError error={s.form} />
      <button class="btn primary" type="submit" disabled={s.busy}>
        {s.busy ? 'Saving…' : 'Save words'}
      </button>
    </form>
  );
}
