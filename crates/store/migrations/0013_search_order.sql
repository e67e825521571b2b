-- On SQLite a search document's id is now its place in the order of writing (the newest has
-- the highest), which the candidate query walks backwards. The index is derived data: it is
-- emptied here and the server rebuilds it from the sources when this migration runs.

DELETE FROM search_docs;

-- Queries under three characters have no trigram: on SQLite they look at titles, which this
-- index holds in the order the candidate query wants, so the scan reads the index and not the
-- bodies. PostgreSQL has an index of the same name without the titles (a long title would
-- not fit a B-tree entry there), so that both backends keep one set of indexes.
-- @sqlite
CREATE INDEX search_docs_titles ON search_docs (agency_id, id, title);
-- @end
-- @postgres
CREATE INDEX search_docs_titles ON search_docs (agency_id, id);
-- @end
