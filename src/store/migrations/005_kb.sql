-- Knowledge base: nested categories, articles (troubleshooting guides are articles with a
-- guide), their version history, feedback, and the search log behind the admin report.
CREATE TABLE kb_categories (
    id @ID@,
    parent_id BIGINT REFERENCES kb_categories(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX kb_categories_parent ON kb_categories (parent_id);

CREATE TABLE kb_articles (
    id @ID@,
    translation_of BIGINT REFERENCES kb_articles(id), -- the original of its translation group; NULL for an original
    language TEXT NOT NULL,                 -- ISO 639-1
    title TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,                -- rendered safely (no raw HTML, no javascript: links)
    search_text TEXT NOT NULL,              -- plain text of the body and the guide's steps: what search indexes
    guide TEXT,                             -- JSON troubleshooting guide, or NULL for a plain article
    category_id BIGINT REFERENCES kb_categories(id),
    tags TEXT NOT NULL DEFAULT '[]',        -- JSON array
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    version BIGINT NOT NULL DEFAULT 1,      -- grows with every change; the search index compares it
    author_id BIGINT REFERENCES users(id),
    view_count BIGINT NOT NULL DEFAULT 0,   -- changed without touching updated_at
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,             -- other nodes refresh their search index by it
    published_at BIGINT
);
CREATE INDEX kb_articles_updated ON kb_articles (updated_at);
CREATE INDEX kb_articles_category ON kb_articles (category_id, id);
CREATE INDEX kb_articles_translation ON kb_articles (translation_of);

CREATE TABLE kb_article_versions (
    article_id BIGINT NOT NULL REFERENCES kb_articles(id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    guide TEXT,
    category_id BIGINT,
    tags TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    author_id BIGINT REFERENCES users(id),
    note TEXT,                              -- "restored from version 3"
    created_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE kb_feedback (
    id @ID@,
    article_id BIGINT NOT NULL REFERENCES kb_articles(id),
    helpful INTEGER NOT NULL,
    comment TEXT,
    user_id BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX kb_feedback_article ON kb_feedback (article_id, id);

-- Written in batches by each node (ids are random, given out before the row exists).
CREATE TABLE kb_searches (
    id BIGINT PRIMARY KEY,
    query TEXT NOT NULL,                    -- as typed (cut at 500 bytes, valid UTF-8)
    query_norm TEXT NOT NULL,               -- lower-cased, spaces collapsed: what the report groups by
    language TEXT,
    results INTEGER NOT NULL,               -- items on the first page
    user_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX kb_searches_created ON kb_searches (created_at);

CREATE TABLE kb_search_clicks (
    search_id BIGINT NOT NULL,
    article_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (search_id, article_id)
);
