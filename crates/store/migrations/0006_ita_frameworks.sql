-- The operator's edited ITA frameworks: national data, one per fiscal year, owned by the
-- platform. The text is a framework file in the format of crates/domain/frameworks/*.toml.
-- A year without a row uses the file that ships with Prongsai.

CREATE TABLE ita_frameworks (
    fiscal_year BIGINT NOT NULL PRIMARY KEY,
    body        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    based_on    BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL
);
