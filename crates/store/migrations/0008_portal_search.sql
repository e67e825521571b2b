-- The search index of each agency's public content (see crates/domain/src/search). Derived
-- data: the sources feed it after their writes, `prongsai search reindex` rebuilds it, and it is
-- not audited. A document is named by (agency_id, kind, ref_id); its id is a hash of that name,
-- made by the application.
--
-- Thai has no spaces between words, so documents are found by substring through character
-- trigrams: SQLite's FTS5 `trigram` tokenizer (an external-content table kept in step by
-- triggers), PostgreSQL's pg_trgm (a GIN index on title and body). Queries shorter than three
-- characters scan the agency's documents instead.

CREATE TABLE search_docs (
    id         BIGINT NOT NULL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    ref_id     TEXT NOT NULL,
    url        TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    dated_on   TEXT,
    updated_at BIGINT NOT NULL,
    UNIQUE (agency_id, kind, ref_id)
);

-- @sqlite
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    content = 'search_docs', content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER search_docs_fts_insert AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TRIGGER search_docs_fts_delete AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;

CREATE TRIGGER search_docs_fts_update AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
-- @end

-- @postgres
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it without
-- being a superuser (docs/DATABASE.md). It is created in `public` unless it is installed
-- already; the index names the operator class in whichever schema holds it. The advisory lock
-- queues migrations that run at once on one database (one schema per test).
DO $$
DECLARE
    ext_schema TEXT;
BEGIN
    PERFORM pg_advisory_xact_lock(7008);
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE EXTENSION pg_trgm WITH SCHEMA public;
    END IF;
    SELECT n.nspname INTO ext_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    EXECUTE format(
        'CREATE INDEX search_docs_text_trgm ON search_docs USING GIN ((title || '' '' || body) %I.gin_trgm_ops)',
        ext_schema
    );
END
$$;
-- @end
