-- Reference averages of the ITA, as the NACC publishes them: national data, imported by the
-- platform operator, one row per figure. `scope` is `national` or a province's Thai name;
-- `code` is `total`, an indicator number, or an OIT item code (the share of agencies passing
-- it). Values are hundredths (88.84 is 8884).

CREATE TABLE ita_averages (
    fiscal_year BIGINT NOT NULL,
    scope       TEXT NOT NULL,
    code        TEXT NOT NULL,
    value       BIGINT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    PRIMARY KEY (fiscal_year, scope, code)
);
