-- Official ITA results of past years (indicator scores, total, grade), in hundredths of a point.

CREATE TABLE ita_results (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    fiscal_year BIGINT NOT NULL,
    total       BIGINT NOT NULL,
    grade       TEXT NOT NULL,
    source      TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (agency_id, fiscal_year)
);

CREATE TABLE ita_result_indicators (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    fiscal_year BIGINT NOT NULL,
    indicator   BIGINT NOT NULL,
    score       BIGINT NOT NULL,
    PRIMARY KEY (agency_id, fiscal_year, indicator),
    FOREIGN KEY (agency_id, fiscal_year) REFERENCES ita_results (agency_id, fiscal_year) ON DELETE CASCADE
);
