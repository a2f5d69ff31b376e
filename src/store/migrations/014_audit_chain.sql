-- The audit chain can be linked after the fact. On SQLite each entry is linked as it is
-- written (the write lock already serialises writers). On PostgreSQL an entry is written
-- unlinked (prev_hash and hash empty) and the chainer links the committed ones in the order it
-- finds them, chain_seq numbering that order; so no transaction holds the chain's lock until
-- its COMMIT. Entries linked as they were written keep chain_seq NULL: their order is their id.
ALTER TABLE audit_log ADD COLUMN chain_seq BIGINT;
CREATE INDEX audit_log_unlinked ON audit_log (id) WHERE hash = '';

-- where the chainer goes on from: the last linked entry's place and hash (one row)
CREATE TABLE audit_chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash) SELECT 1, id, hash FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);

-- readers that follow the log in commit order (the AI's override scan) follow chain_seq there
CREATE INDEX audit_log_chain_seq ON audit_log (chain_seq) WHERE chain_seq IS NOT NULL;
