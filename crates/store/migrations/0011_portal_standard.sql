-- Which of an agency's CMS pages stands for a page of the standard site map
-- (`crates/domain/data/portal-standard.toml`), when it is not the page at the standard address:
-- an agency that already wrote "duties" points the standard page "authority" at it.

CREATE TABLE portal_standard_links (
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    page_key   TEXT NOT NULL,
    content_id BIGINT NOT NULL,
    linked_at  BIGINT NOT NULL,
    PRIMARY KEY (agency_id, page_key),
    FOREIGN KEY (agency_id, content_id) REFERENCES portal_content (agency_id, id) ON DELETE CASCADE
);
