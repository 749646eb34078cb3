-- Full-text search over minutes and action items (lib/meetings/search.ts).
-- No copy of the text: GIN indexes on the very expressions the queries use
-- (they must stay identical to MEETING_DOC / ITEM_DOC in lib/meetings/search.ts,
-- or PostgreSQL will not use them).
CREATE INDEX "Meeting_fts_idx" ON "Meeting" USING GIN (to_tsvector('english'::regconfig, "title" || ' ' || "body" || ' ' || "decisions"));
CREATE INDEX "ActionItem_fts_idx" ON "ActionItem" USING GIN (to_tsvector('english'::regconfig, "text"));
