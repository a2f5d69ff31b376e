-- Macros (response templates): a Markdown body with placeholders and optional ticket actions,
-- personal (owner_id set) or shared with every agent (owner_id NULL, managed by admins).
CREATE TABLE macros (
    id @ID@,
    owner_id BIGINT REFERENCES users(id),
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    actions TEXT NOT NULL,                  -- JSON object, see docs/api-macros.md
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX macros_owner ON macros (owner_id, id);
