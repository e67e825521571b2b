-- On SQLite a search document's id is now its place in the order of writing (the newest has
-- the highest), which the candidate query walks backwards. The index is derived data: it is
-- emptied here and the server rebuilds it from the sources when this migration runs.

DELETE FROM search_docs;

-- @sqlite
-- Queries under three characters have no trigram: they look at titles, which this index holds
-- in the order the candidate query wants, so the scan reads the index and not the bodies.
CREATE INDEX search_docs_titles ON search_docs (agency_id, id, title);
-- @end
