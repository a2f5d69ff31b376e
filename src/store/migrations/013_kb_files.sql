-- Images and files inside knowledge-base articles. The bytes live in the blob store under
-- their SHA-256, like ticket attachments (a content both use is stored once). A file is never
-- deleted by an article edit: old versions may refer to it and be restored.
CREATE TABLE kb_files (
    id @ID@,
    uploader_id BIGINT NOT NULL REFERENCES users(id),
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,             -- sniffed from the bytes, not the declared type
    declared_type TEXT,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX kb_files_sha ON kb_files (sha256);

-- The files the newest version of each article refers to (/api/v1/kb/files/{id} in its
-- Markdown or guide): who may read the article may read them.
CREATE TABLE kb_article_files (
    article_id BIGINT NOT NULL REFERENCES kb_articles(id),
    file_id BIGINT NOT NULL REFERENCES kb_files(id),
    PRIMARY KEY (article_id, file_id)
);
CREATE INDEX kb_article_files_file ON kb_article_files (file_id);
