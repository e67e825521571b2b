-- Cases: complaints, corruption reports, whistleblowing (issue 6). Everything the reporter or a
-- handler typed is stored encrypted (vault ciphertexts, `bytes` columns); only the kind,
-- channel, state, dates, division, handler and SLA fields are clear. See docs/SECURITY.md.

CREATE TABLE case_settings (
    agency_id       BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
-- @sqlite
    recovery_public BLOB,
-- @postgres
    recovery_public BYTEA,
-- @end
    ack_days        BIGINT NOT NULL,
    result_days     BIGINT NOT NULL,
    retention_days  BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (agency_id)
);

-- A handler's X25519 key pair, the private half wrapped by Argon2id of their password.
CREATE TABLE case_handler_keys (
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
-- @sqlite
    wrapped    BLOB NOT NULL,
-- @postgres
    wrapped    BYTEA NOT NULL,
-- @end
    created_at BIGINT NOT NULL,
    PRIMARY KEY (agency_id, account_id)
);

-- A handler's private key for one session, encrypted under the session cookie's secret
-- (which the database does not hold). Goes with the session.
CREATE TABLE case_session_keys (
    session_hash TEXT NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
    agency_id    BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
-- @sqlite
    blob         BLOB NOT NULL,
-- @postgres
    blob         BYTEA NOT NULL,
-- @end
    PRIMARY KEY (session_hash, agency_id)
);
CREATE INDEX case_session_keys_by_agency ON case_session_keys (agency_id);

CREATE TABLE cases (
    id              BIGINT NOT NULL PRIMARY KEY,
    agency_id       BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    state           TEXT NOT NULL,
    division_id     BIGINT,
    assignee_id     BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    received_at     BIGINT NOT NULL,
    acknowledged_at BIGINT,
    resolved_at     BIGINT,
    closed_at       BIGINT,
    ack_due_at      BIGINT NOT NULL,
    result_due_at   BIGINT NOT NULL,
    merged_into     BIGINT,
    generation      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
-- @sqlite
    lookup_id       BLOB NOT NULL,
    receipt_record  BLOB NOT NULL,
    body            BLOB NOT NULL,
-- @postgres
    lookup_id       BYTEA NOT NULL,
    receipt_record  BYTEA NOT NULL,
    body            BYTEA NOT NULL,
-- @end
    FOREIGN KEY (agency_id, division_id) REFERENCES divisions (agency_id, id)
);
CREATE UNIQUE INDEX cases_by_agency ON cases (agency_id, id);
CREATE UNIQUE INDEX cases_by_lookup ON cases (lookup_id);
CREATE INDEX cases_by_received ON cases (agency_id, received_at);

-- The case key, sealed to each recipient, per key generation.
CREATE TABLE case_keys (
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    case_id    BIGINT NOT NULL,
    generation BIGINT NOT NULL,
    recipient  TEXT NOT NULL,
    account_id BIGINT NOT NULL DEFAULT 0,
-- @sqlite
    sealed     BLOB NOT NULL,
-- @postgres
    sealed     BYTEA NOT NULL,
-- @end
    PRIMARY KEY (agency_id, case_id, generation, recipient, account_id),
    FOREIGN KEY (agency_id, case_id) REFERENCES cases (agency_id, id) ON DELETE CASCADE
);
CREATE INDEX case_keys_by_account ON case_keys (agency_id, account_id);

CREATE TABLE case_records (
    id         BIGINT NOT NULL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    case_id    BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    generation BIGINT NOT NULL,
    author_id  BIGINT,
    created_at BIGINT NOT NULL,
-- @sqlite
    meta       BLOB,
    body       BLOB NOT NULL,
-- @postgres
    meta       BYTEA,
    body       BYTEA NOT NULL,
-- @end
    FOREIGN KEY (agency_id, case_id) REFERENCES cases (agency_id, id) ON DELETE CASCADE
);
CREATE INDEX case_records_by_case ON case_records (agency_id, case_id, created_at);

CREATE TABLE case_recusals (
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    case_id    BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (agency_id, case_id, account_id),
    FOREIGN KEY (agency_id, case_id) REFERENCES cases (agency_id, id) ON DELETE CASCADE
);

-- SLA reminders already sent: one per case and deadline.
CREATE TABLE case_reminders (
    agency_id BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    case_id   BIGINT NOT NULL,
    what      TEXT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (agency_id, case_id, what),
    FOREIGN KEY (agency_id, case_id) REFERENCES cases (agency_id, id) ON DELETE CASCADE
);
