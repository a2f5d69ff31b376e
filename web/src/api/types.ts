// Shapes of the objects the Parley API answers with (see docs/api.md).

export type Role = 'customer' | 'agent' | 'supervisor' | 'admin';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  two_factor: boolean;
  team_ids: number[];
  skills: string[];
  created_at: string;
}

export interface Me extends User {
  csrf_token?: string;
}

export interface LoginAnswer {
  user: User;
  csrf_token: string;
  two_factor_setup_required: boolean;
}

export interface Rating {
  score: number;
  comment: string | null;
  created_at: string | null;
}

export interface Viewer {
  user_id: number;
  name: string;
  since?: string;
}

export interface Ticket {
  id: number;
  number: number;
  subject: string;
  status: string;
  priority: string;
  channel: string;
  requester_id: number;
  /** the requester's name (and email, for staff) */
  requester?: { id: number; name: string; email?: string } | null;
  assignee_id: number | null;
  assignee_name?: string | null;
  team_id: number | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  language: string | null;
  category: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  first_response_at: string | null;
  solved_at: string | null;
  merged_into: number | null;
  remind_at?: string | null;
  context?: Record<string, unknown> | null;
  rating?: Rating | null;
  viewers?: Viewer[];
}

export interface Message {
  id: number;
  ticket_id: number;
  author_id: number | null;
  author_kind: string;
  author_name?: string | null;
  internal: boolean;
  body: string;
  body_html: string;
  channel: string;
  created_at: string;
}

export interface AuditEvent {
  id: number;
  at: string;
  actor_id: number | null;
  actor_kind: string | null;
  action: string | null;
  target_type: string | null;
  target_id: number | null;
  field: string | null;
  old: string | null;
  new: string | null;
  ip: string | null;
}

export interface Status {
  key: string;
  label: string;
  category: string;
  position: number;
  transitions: string[];
}

export interface Priority {
  key: string;
  label: string;
  position: number;
}

export type FieldType = 'text' | 'number' | 'date' | 'select' | 'multiselect' | 'checkbox';

export interface CustomField {
  id: number;
  key: string;
  label: string;
  type: FieldType;
  options: string[];
  required: boolean;
  customer_visible: boolean;
  customer_editable: boolean;
  position: number;
  created_at: string;
}

export interface View {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  shared: boolean;
  owner_id: number | null;
  count: number;
}

export interface Team {
  id: number;
  name: string;
  description: string;
  member_ids: number[];
  created_at: string;
}

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

export interface Session {
  id: number;
  created_at: string;
  last_seen_at: string;
  ip: string;
  user_agent: string;
  current: boolean;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface BulkResult {
  id: number;
  status: number;
  error?: { code: string; message: string };
}

export type Settings = Record<string, unknown>;

// Knowledge base and AI (issues 5 and 6): optional; the UI shows them only when the
// server answers these routes.
export interface KbHit {
  id: number;
  title: string;
  snippet?: string;
  score?: number;
}

export interface KbSearchAnswer extends Page<KbHit> {
  search_id: number | null;
}

export interface GuideAnswer {
  label: string;
  next?: string;
  outcome?: 'solved' | 'ticket';
}

export interface GuideStep {
  id: string;
  title?: string;
  body_markdown: string;
  body_html?: string;
  answers: GuideAnswer[];
}

export interface GuidePathItem {
  step: string;
  title?: string;
  answer: string;
}

export interface Article {
  id: number;
  kind: 'article' | 'guide';
  title: string;
  body_markdown: string;
  body_html: string;
  guide: { steps: GuideStep[] } | null;
  tags: string[];
  language: string;
  status: 'draft' | 'published' | 'archived';
  visibility: 'public' | 'internal';
  category_id: number | null;
  translation_of: number | null;
  version: number;
  translations?: { id: number; language: string; title: string }[];
  created_at: string;
  updated_at: string;
  published_at: string | null;
  author_id?: number;
  view_count?: number;
  helpful_yes?: number;
  helpful_no?: number;
}

export interface ArticleSummary {
  id: number;
  title: string;
  language: string;
  category_id: number | null;
  tags: string[];
  status: string;
  visibility: string;
  kind: string;
  version: number;
  updated_at: string;
}

export interface ArticleVersion {
  version: number;
  title: string;
  status: string;
  visibility: string;
  author_id: number | null;
  note: string | null;
  created_at: string;
}

export interface KbCategory {
  id: number;
  parent_id: number | null;
  name: string;
  description: string;
  position: number;
}

export interface GuideWalk {
  article_id: number;
  step: (GuideStep & { body_html: string }) | null;
  outcome: 'solved' | 'ticket' | null;
  path: GuidePathItem[];
  ticket_context?: { guide_id: number; guide_title: string; guide_path: GuidePathItem[] };
}

export interface StaffMember {
  id: number;
  name: string;
  role: Role;
  team_ids: number[];
  skills: string[];
}

export interface AiDecision {
  id: number;
  label: string;
  confidence: number;
  abstained: boolean;
  needs_person?: boolean;
  applied: boolean;
  model_version?: number;
  why: { word: string; weight: number }[];
}

export interface TicketAi {
  ticket_id: number;
  language: string | null;
  micros?: number;
  category: AiDecision | null;
  priority: AiDecision | null;
  sentiment: AiDecision | null;
  team: AiDecision | null;
}

export interface Suggestion {
  id: string | number;
  body: string;
  confidence?: number;
  sources?: { type: string; id: number; title: string }[];
}

export interface ToneCheck {
  id?: number;
  score?: number;
  language?: string;
  detected_language?: string | null;
  findings: ToneFinding[];
}

export interface ToneFinding {
  kind: string;
  start: number;
  end: number;
  message: string;
  suggestion?: string;
}

/** What a macro does to the ticket it is applied to. */
export interface MacroActions {
  status?: string;
  priority?: string;
  add_tags?: string[];
  remove_tags?: string[];
  assignee_id?: number | 'me' | null;
  team_id?: number | null;
}

export interface Macro {
  id: number;
  name: string;
  body: string;
  actions: MacroActions;
  shared: boolean;
  owner_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface MacroPage extends Page<Macro> {
  placeholders: string[];
}

export interface MacroApplied {
  body: string;
  ticket: Ticket;
}
