-- OIT: the state of each checklist item of an agency's assessed year (draft → submitted →
-- passed / failed → clarified → final), and the evidence attached to it (a URL or a stored
-- file, with its navigation path as the agency publishes it).

CREATE TABLE oit_items (
    agency_id      BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    fiscal_year    BIGINT NOT NULL,
    code           TEXT NOT NULL,
    status         TEXT NOT NULL,
    -- The assessor's latest verdict: 1 passed, 0 failed, NULL not reviewed.
    verdict        BIGINT,
    review_comment TEXT,
    clarification  TEXT,
    final_comment  TEXT,
    reviewed_by    TEXT,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (agency_id, fiscal_year, code)
);

CREATE TABLE oit_evidence (
    id          BIGINT NOT NULL PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    fiscal_year BIGINT NOT NULL,
    code        TEXT NOT NULL,
    url         TEXT,
    file_id     BIGINT,
    label       TEXT NOT NULL,
    nav_path    TEXT NOT NULL,
    dated_on    TEXT,
    created_at  BIGINT NOT NULL,
    FOREIGN KEY (agency_id, fiscal_year, code) REFERENCES oit_items (agency_id, fiscal_year, code) ON DELETE CASCADE,
    FOREIGN KEY (agency_id, file_id) REFERENCES files (agency_id, id)
);
CREATE UNIQUE INDEX oit_evidence_by_agency ON oit_evidence (agency_id, id);
CREATE INDEX oit_evidence_of_item ON oit_evidence (agency_id, fiscal_year, code, created_at);
