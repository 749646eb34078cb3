-- Full-text search over minutes and action items (lib/meetings/search.ts).
-- The documents' tsvectors are stored in generated columns (PostgreSQL keeps them
-- up to date) and GIN-indexed. An expression index alone finds the matching rows,
-- but ranking them needs each match's tsvector, and recomputing to_tsvector for every
-- candidate (nearly every meeting for a common word) took seconds at 10,000 meetings.
-- The columns are not in prisma/schema.prisma (Prisma cannot express generated
-- columns); the client never selects them, only the raw search queries read them.
ALTER TABLE "Meeting" ADD COLUMN "search_tsv" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "title" || ' ' || "body" || ' ' || "decisions")) STORED;
-- The title alone: a title hit weighs five times a body hit, decided for every match.
ALTER TABLE "Meeting" ADD COLUMN "title_tsv" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "title")) STORED;
ALTER TABLE "ActionItem" ADD COLUMN "search_tsv" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "text")) STORED;
CREATE INDEX "Meeting_fts_idx" ON "Meeting" USING GIN ("search_tsv");
CREATE INDEX "ActionItem_fts_idx" ON "ActionItem" USING GIN ("search_tsv");
