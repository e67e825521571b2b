-- The agency's own ITA surveys (IIT, EIT), their one-time access codes and the answers.
-- See crates/domain/src/ita/survey.rs for why the tables look like this: a response holds no
-- code, no account, no address and no time of day, its id is random, and a code row is deleted
-- when it is used.

CREATE TABLE ita_surveys (
    agency_id      BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    id             BIGINT NOT NULL,
    fiscal_year    BIGINT NOT NULL,
    instrument     TEXT NOT NULL CHECK (instrument IN ('IIT', 'EIT')),
    population     BIGINT NOT NULL,
    opens_on       TEXT NOT NULL,
    closes_on      TEXT NOT NULL,
    codes_required BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (agency_id, id),
    UNIQUE (agency_id, fiscal_year, instrument)
);

-- Unused codes only. `seq` orders a printing; it is never touched when a code is used.
CREATE TABLE ita_survey_codes (
    code       TEXT NOT NULL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    survey_id  BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    FOREIGN KEY (agency_id, survey_id) REFERENCES ita_surveys (agency_id, id) ON DELETE CASCADE
);
CREATE INDEX ita_survey_codes_survey ON ita_survey_codes (agency_id, survey_id, seq);

-- How many codes each survey ever had (the used ones are gone from ita_survey_codes).
CREATE TABLE ita_survey_code_counts (
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    survey_id  BIGINT NOT NULL,
    made       BIGINT NOT NULL,
    PRIMARY KEY (agency_id, survey_id),
    FOREIGN KEY (agency_id, survey_id) REFERENCES ita_surveys (agency_id, id) ON DELETE CASCADE
);

-- One row per respondent (division_id is what the respondent chose, checked when stored; no
-- foreign key, so that deleting a division never needs the answers changed): the chosen levels as a string of digits in the framework's order.
-- Keyed by a random id; on SQLite the table is WITHOUT ROWID, so rows are stored and read in
-- that random order rather than in the order they came.
CREATE TABLE ita_responses (
    agency_id    BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    survey_id    BIGINT NOT NULL,
    id           BIGINT NOT NULL,
    answered_on  TEXT NOT NULL,
    division_id  BIGINT,
    levels       TEXT NOT NULL,
    PRIMARY KEY (agency_id, survey_id, id),
    FOREIGN KEY (agency_id, survey_id) REFERENCES ita_surveys (agency_id, id) ON DELETE CASCADE
-- @sqlite
) WITHOUT ROWID;
-- @end
-- @postgres
);
-- @end
