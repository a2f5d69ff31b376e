-- Files attached to tickets; the bytes live in the blob store under their SHA-256.
CREATE TABLE attachments (
    id @ID@,
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    uploader_id BIGINT NOT NULL REFERENCES users(id),
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,             -- sniffed from the bytes, not the declared type
    declared_type TEXT,
    sha256 TEXT NOT NULL,
    internal INTEGER NOT NULL DEFAULT 0,    -- staff only, like an internal note
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, id);
CREATE INDEX attachments_sha ON attachments (sha256);
