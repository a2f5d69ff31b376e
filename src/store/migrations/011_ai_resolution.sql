-- Automated resolution: for the categories an admin marks, a confident knowledge-base answer is
-- sent by the AI and the ticket waits (pending) for the customer; at most one settings row.
CREATE TABLE ai_auto_resolve (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    enabled INTEGER NOT NULL DEFAULT 0,
    categories TEXT NOT NULL DEFAULT '[]',  -- JSON list of category labels
    min_confidence DOUBLE PRECISION NOT NULL DEFAULT 0.6,
    timeout_seconds BIGINT NOT NULL DEFAULT 259200
);

-- One automated answer per ticket and what became of it: pending until the customer confirms
-- (solved, confirmed), says it did not help or replies (reopened, not_helped / replied), the
-- timeout passes (solved, timeout), or a person moves the ticket first (dropped).
CREATE TABLE ai_resolutions (
    id @ID@,
    ticket_id BIGINT NOT NULL UNIQUE REFERENCES tickets(id),
    decision_id BIGINT NOT NULL REFERENCES ai_decisions(id),
    message_id BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'solved', 'reopened', 'dropped')),
    outcome TEXT,                           -- confirmed, timeout, not_helped, replied; NULL while pending
    due_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX ai_resolutions_pending ON ai_resolutions (state, due_at);
CREATE INDEX ai_resolutions_created ON ai_resolutions (created_at);

-- The offline composer's greeting and closing per language ('' = every other language), with
-- {{requester.name}}, {{agent.name}}, {{ticket.id}} and {{ticket.subject}} placeholders.
CREATE TABLE ai_templates (
    language TEXT PRIMARY KEY,
    greeting TEXT,
    closing TEXT
);
