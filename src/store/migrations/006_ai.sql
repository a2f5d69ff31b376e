-- The AI engine: models, the decisions they made, what people did with them, and its settings.
ALTER TABLE messages ADD COLUMN language TEXT;          -- ISO 639-1; '' when it could not be told
CREATE INDEX messages_language_todo ON messages (id) WHERE language IS NULL;
ALTER TABLE tickets ADD COLUMN sentiment TEXT;
ALTER TABLE tickets ADD COLUMN ai_priority TEXT;        -- the model's suggestion, applied or not

-- Trained classifiers, newest version per kind wins; bytes are clf_save's format in base64.
CREATE TABLE ai_models (
    id @ID@,
    kind TEXT NOT NULL CHECK (kind IN ('category', 'priority', 'sentiment')),
    version BIGINT NOT NULL,
    bytes TEXT NOT NULL,
    examples BIGINT NOT NULL,
    last_example_id BIGINT NOT NULL DEFAULT 0, -- the newest ai_examples row it learnt from
    metrics TEXT NOT NULL DEFAULT '{}',     -- JSON: labels, threshold, train_seconds
    created_at BIGINT NOT NULL,
    UNIQUE (kind, version)
);

-- Labelled texts the models learn from: the cold-start CSV and agents' labels.
CREATE TABLE ai_examples (
    id @ID@,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    source TEXT NOT NULL,                   -- csv, agent
    ticket_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX ai_examples_kind ON ai_examples (kind, id);

-- Every AI output: triage decisions (category, priority, sentiment, language, team) and tone checks.
CREATE TABLE ai_decisions (
    id @ID@,
    kind TEXT NOT NULL,
    ticket_id BIGINT REFERENCES tickets(id),
    label TEXT,                             -- what the AI said (NULL when it had no model)
    confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
    abstained INTEGER NOT NULL DEFAULT 0,   -- 1: below the threshold, "needs a person"
    applied INTEGER NOT NULL DEFAULT 0,     -- 1: written to the ticket
    why TEXT NOT NULL DEFAULT '[]',         -- JSON [{word, weight}] or the tone findings
    model_version BIGINT,
    micros BIGINT NOT NULL DEFAULT 0,       -- time the decision took
    created_at BIGINT NOT NULL
);
CREATE INDEX ai_decisions_ticket ON ai_decisions (ticket_id, kind);
CREATE INDEX ai_decisions_created ON ai_decisions (created_at);

-- What agents did with an output (POST /api/v1/ai/feedback).
CREATE TABLE ai_feedback (
    id @ID@,
    decision_id BIGINT NOT NULL REFERENCES ai_decisions(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'edited', 'discarded')),
    final_text TEXT,
    rating INTEGER,
    created_at BIGINT NOT NULL
);
CREATE INDEX ai_feedback_created ON ai_feedback (created_at);

-- A person set a label the AI had decided: an override when it differs from the AI's.
CREATE TABLE ai_interventions (
    id @ID@,
    decision_id BIGINT NOT NULL REFERENCES ai_decisions(id),
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    kind TEXT NOT NULL,
    ai_label TEXT,
    human_label TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    audit_id BIGINT NOT NULL UNIQUE,        -- the audit entry of the change (each is handled once)
    created_at BIGINT NOT NULL
);
CREATE INDEX ai_interventions_created ON ai_interventions (created_at);

-- Settings that are lists: the category -> team routing table and the tone words to avoid.
CREATE TABLE ai_category_teams (
    category TEXT PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE
);
CREATE TABLE ai_tone_words (
    phrase TEXT PRIMARY KEY,
    suggestion TEXT
);

-- Where each node's scan of the audit log for human overrides has got to.
CREATE TABLE ai_state (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
