-- Tickets and their conversation, workflow configuration, custom fields, views and ratings.
CREATE TABLE statuses (
    key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
    position BIGINT NOT NULL
);
INSERT INTO statuses (key, label, category, position) VALUES
    ('new', 'New', 'new', 1), ('open', 'Open', 'open', 2), ('pending', 'Pending', 'pending', 3),
    ('on_hold', 'On hold', 'on_hold', 4), ('solved', 'Solved', 'solved', 5), ('closed', 'Closed', 'closed', 6);

-- When a status has rows here, only these moves away from it are allowed; with none, any move is.
CREATE TABLE status_transitions (
    from_key TEXT NOT NULL REFERENCES statuses(key) ON DELETE CASCADE,
    to_key TEXT NOT NULL REFERENCES statuses(key) ON DELETE CASCADE,
    PRIMARY KEY (from_key, to_key)
);

CREATE TABLE priorities (
    key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO priorities (key, label, position) VALUES
    ('low', 'Low', 1), ('normal', 'Normal', 2), ('high', 'High', 3), ('urgent', 'Urgent', 4);

CREATE TABLE custom_fields (
    id @ID@,
    key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'select', 'multiselect', 'checkbox')),
    options TEXT NOT NULL DEFAULT '[]',     -- JSON array, for select and multiselect
    required INTEGER NOT NULL DEFAULT 0,
    customer_visible INTEGER NOT NULL DEFAULT 1,
    customer_editable INTEGER NOT NULL DEFAULT 0,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE tickets (
    id @ID@,
    subject TEXT NOT NULL,
    status TEXT NOT NULL REFERENCES statuses(key),
    priority TEXT NOT NULL REFERENCES priorities(key),
    channel TEXT NOT NULL,
    requester_id BIGINT NOT NULL REFERENCES users(id),
    assignee_id BIGINT REFERENCES users(id),
    team_id BIGINT REFERENCES teams(id),
    tags TEXT NOT NULL DEFAULT '[]',
    custom_fields TEXT NOT NULL DEFAULT '{}',
    language TEXT,
    category TEXT,
    version BIGINT NOT NULL DEFAULT 1,      -- grows with every change: the ETag
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    first_response_at BIGINT,
    solved_at BIGINT,
    remind_at BIGINT,
    reminder_sent INTEGER NOT NULL DEFAULT 0,
    merged_into BIGINT REFERENCES tickets(id),
    context TEXT                            -- what the requester searched and read before asking
);
CREATE INDEX tickets_status ON tickets (status, id);
CREATE INDEX tickets_requester ON tickets (requester_id, id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status, id);
CREATE INDEX tickets_team ON tickets (team_id, id);
CREATE INDEX tickets_updated ON tickets (updated_at, id);
CREATE INDEX tickets_remind ON tickets (remind_at);

CREATE TABLE ticket_tags (
    ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, ticket_id)
);
CREATE INDEX ticket_tags_ticket ON ticket_tags (ticket_id);

CREATE TABLE messages (
    id @ID@,
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    author_id BIGINT REFERENCES users(id),  -- NULL for the AI or the system
    author_kind TEXT NOT NULL DEFAULT 'user',
    internal INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT 'web',
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);

CREATE TABLE ratings (
    ticket_id BIGINT PRIMARY KEY REFERENCES tickets(id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT,
    rater_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE views (
    id @ID@,
    owner_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    filters TEXT NOT NULL,                  -- JSON object of list filters
    shared INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
