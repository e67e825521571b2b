-- Public participation: the Q&A board (OIT O8) and the suggestions form (O30). Anyone may write
-- without an account; nothing about the sender's connection is stored (no address, agent or
-- referrer). `contact` and `sender_name` of a suggestion are for staff only; a question's
-- `asker_name` is shown once the question is published.

CREATE TABLE qa_questions (
    id           BIGINT NOT NULL PRIMARY KEY,
    agency_id    BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    question     TEXT NOT NULL,
    asker_name   TEXT,
    contact      TEXT,
    -- pending | published | hidden | rejected
    status       TEXT NOT NULL,
    answer       TEXT,
    answered_by  TEXT,
    asked_at     BIGINT NOT NULL,
    -- The first publication: the question's date on the board.
    published_at BIGINT,
    updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX qa_questions_by_agency ON qa_questions (agency_id, id);
CREATE INDEX qa_questions_public ON qa_questions (agency_id, status, published_at);

CREATE TABLE suggestions (
    id           BIGINT NOT NULL PRIMARY KEY,
    agency_id    BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    -- The fiscal year (BE) it was received in; `number` counts within it (the reference
    -- "2569-0007").
    fiscal_year  BIGINT NOT NULL,
    number       BIGINT NOT NULL,
    topic        TEXT NOT NULL,
    body         TEXT NOT NULL,
    sender_name  TEXT,
    contact      TEXT,
    -- received | considering | acted-on | not-acted-on
    status       TEXT NOT NULL,
    response     TEXT,
    published    BIGINT NOT NULL,
    responded_by TEXT,
    received_at  BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX suggestions_by_agency ON suggestions (agency_id, id);
CREATE UNIQUE INDEX suggestions_number ON suggestions (agency_id, fiscal_year, number);
CREATE INDEX suggestions_public ON suggestions (agency_id, published, updated_at);
