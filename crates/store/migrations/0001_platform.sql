-- Platform: agencies, files, divisions, people, accounts, memberships, sessions, audit log.
-- Ids and timestamps are made by the application: BIGINT ids, Unix seconds.
-- Booleans are 0/1 integers. Lines between `-- @sqlite` / `-- @postgres` and `-- @end` go to
-- that backend only (see docs/DATABASE.md).

CREATE TABLE instance_keys (
    name  TEXT NOT NULL PRIMARY KEY,
-- @sqlite
    value BLOB NOT NULL
-- @postgres
    value BYTEA NOT NULL
-- @end
);

CREATE TABLE agencies (
    id           BIGINT NOT NULL PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    name_en      TEXT,
    kind         TEXT NOT NULL,
    province     TEXT NOT NULL,
    district     TEXT NOT NULL,
    subdistrict  TEXT,
    address      TEXT,
    postcode     TEXT,
    phone        TEXT,
    fax          TEXT,
    email        TEXT,
    website      TEXT,
    facebook     TEXT,
    line_id      TEXT,
    office_hours TEXT,
    about        TEXT,
    require_totp BIGINT NOT NULL DEFAULT 0,
    logo_file_id BIGINT,
    is_demo      BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
-- @sqlite
    updated_at   BIGINT NOT NULL,
    FOREIGN KEY (id, logo_file_id) REFERENCES files (agency_id, id)
-- @postgres
    updated_at   BIGINT NOT NULL
-- @end
);
CREATE INDEX agencies_by_province ON agencies (province, name);

CREATE TABLE files (
    id            BIGINT NOT NULL PRIMARY KEY,
    agency_id     BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    original_name TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX files_by_agency ON files (agency_id, id);
-- @postgres
ALTER TABLE agencies ADD FOREIGN KEY (id, logo_file_id) REFERENCES files (agency_id, id);
-- @end

CREATE TABLE fiscal_years (
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    year       BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (agency_id, year)
);

CREATE TABLE divisions (
    id         BIGINT NOT NULL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_en    TEXT,
    duties     TEXT,
    phone      TEXT,
    email      TEXT,
    sort_order BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX divisions_by_agency ON divisions (agency_id, id);
CREATE INDEX divisions_in_order ON divisions (agency_id, sort_order);

CREATE TABLE people (
    id               BIGINT NOT NULL PRIMARY KEY,
    agency_id        BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    division_id      BIGINT,
    name             TEXT NOT NULL,
    position         TEXT NOT NULL,
    executive        TEXT,
    is_division_head BIGINT NOT NULL DEFAULT 0,
    phone            TEXT,
    email            TEXT,
    photo_file_id    BIGINT,
    sort_order       BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    FOREIGN KEY (agency_id, division_id) REFERENCES divisions (agency_id, id),
    FOREIGN KEY (agency_id, photo_file_id) REFERENCES files (agency_id, id)
);
CREATE UNIQUE INDEX people_by_agency ON people (agency_id, id);
CREATE INDEX people_in_order ON people (agency_id, sort_order);

CREATE TABLE accounts (
    id                   BIGINT NOT NULL PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    is_platform_operator BIGINT NOT NULL DEFAULT 0,
    totp_secret          TEXT,
    totp_enabled         BIGINT NOT NULL DEFAULT 0,
    totp_last_step       BIGINT NOT NULL DEFAULT 0,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    disabled             BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);

CREATE TABLE memberships (
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    person_id  BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (agency_id, account_id),
    FOREIGN KEY (agency_id, person_id) REFERENCES people (agency_id, id)
);
CREATE INDEX memberships_by_account ON memberships (account_id);

CREATE TABLE role_grants (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    account_id  BIGINT NOT NULL,
    role        TEXT NOT NULL,
    division_id BIGINT,
    FOREIGN KEY (agency_id, account_id) REFERENCES memberships (agency_id, account_id) ON DELETE CASCADE,
    FOREIGN KEY (agency_id, division_id) REFERENCES divisions (agency_id, id)
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (agency_id, account_id, role, COALESCE(division_id, 0));

CREATE TABLE sessions (
    id_hash      TEXT NOT NULL PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    mfa_pending  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- The audit log. `chain` is the agency id, or 0 for platform events; `agency_id` is NULL only
-- on chain 0. It has no foreign keys on purpose: the history of a deleted agency or account
-- stays. Rows are never updated or deleted: the triggers refuse it, and the hash chain (with
-- audit_heads) shows it if the triggers are bypassed.
CREATE TABLE audit_log (
    chain            BIGINT NOT NULL,
    seq              BIGINT NOT NULL,
    agency_id        BIGINT,
    at               BIGINT NOT NULL,
    actor_account_id BIGINT,
    actor_label      TEXT NOT NULL,
    entity           TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    action           TEXT NOT NULL,
    changes          TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE INDEX audit_log_by_agency ON audit_log (agency_id, at);

CREATE TABLE audit_heads (
    chain BIGINT NOT NULL PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);

-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- @postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- @end
