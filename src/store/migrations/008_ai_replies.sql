-- Suggested replies: the LLM provider (any OpenAI-compatible /chat/completions endpoint),
-- at most one row; the API key is sealed with the data folder's secret key (crypto_seal).
CREATE TABLE ai_llm (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    base_url TEXT NOT NULL,                 -- e.g. http://localhost:11434/v1
    model TEXT NOT NULL,
    api_key TEXT,                           -- sealed; NULL for none
    timeout_seconds INTEGER NOT NULL DEFAULT 20,
    updated_at BIGINT NOT NULL
);

-- The AI's first response to new tickets (at most one row; no row: off): a public reply from the
-- knowledge base when the best match reaches min_confidence, else an acknowledgement promising
-- an answer within response_hours.
CREATE TABLE ai_first_response (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    enabled INTEGER NOT NULL DEFAULT 0,
    min_confidence DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    response_hours INTEGER NOT NULL DEFAULT 24
);
