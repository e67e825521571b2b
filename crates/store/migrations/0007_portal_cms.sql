-- The portal's content: pages with a stable address, news and announcements (scheduled by a
-- future publish_at, pinned), every saved version of each, and the files attached to them.

CREATE TABLE portal_content (
    id                 BIGINT NOT NULL PRIMARY KEY,
    agency_id          BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    -- page | news | announcement
    kind               TEXT NOT NULL,
    -- Pages only: the last part of /a/{slug}/p/{page}, ASCII.
    slug               TEXT,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    category           TEXT,
    division_id        BIGINT,
    published          BIGINT NOT NULL,
    publish_at         BIGINT NOT NULL,
    pinned             BIGINT NOT NULL,
    first_published_at BIGINT,
    version            BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    FOREIGN KEY (agency_id, division_id) REFERENCES divisions (agency_id, id)
);
CREATE UNIQUE INDEX portal_content_by_agency ON portal_content (agency_id, id);
CREATE UNIQUE INDEX portal_content_slug ON portal_content (agency_id, slug);
CREATE INDEX portal_content_public ON portal_content (agency_id, kind, published, publish_at);

CREATE TABLE portal_versions (
    id         BIGINT NOT NULL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    content_id BIGINT NOT NULL,
    number     BIGINT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    slug       TEXT,
    category   TEXT,
    saved_by   TEXT NOT NULL,
    saved_at   BIGINT NOT NULL,
    action     TEXT NOT NULL,
    FOREIGN KEY (agency_id, content_id) REFERENCES portal_content (agency_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX portal_versions_number ON portal_versions (agency_id, content_id, number);

CREATE TABLE portal_attachments (
    id         BIGINT NOT NULL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    content_id BIGINT NOT NULL,
    file_id    BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (agency_id, content_id) REFERENCES portal_content (agency_id, id) ON DELETE CASCADE,
    FOREIGN KEY (agency_id, file_id) REFERENCES files (agency_id, id)
);
CREATE INDEX portal_attachments_of ON portal_attachments (agency_id, content_id, created_at);
CREATE INDEX portal_attachments_file ON portal_attachments (agency_id, file_id);
