-- Full-text search over minutes and action items (lib/meetings/search.ts).
--
-- One FTS5 index for both kinds, so a query ranks meetings and items together.
-- It stores its own copy of the text instead of being an external-content table:
-- Meeting and ActionItem have TEXT primary keys, so their implicit rowids may be
-- renumbered by VACUUM and cannot anchor an external-content index. search_doc gives
-- every indexed row a stable integer rowid, which the triggers use to replace exactly
-- one FTS row per change (no scan of the index).
CREATE TABLE "search_doc" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL
);
CREATE UNIQUE INDEX "search_doc_kind_ref_key" ON "search_doc"("kind", "ref");

-- porter: English stemming, as PostgreSQL's 'english' configuration does.
CREATE VIRTUAL TABLE "search_fts" USING fts5("title", "body", tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TRIGGER "search_meeting_ai" AFTER INSERT ON "Meeting" BEGIN
    INSERT INTO "search_doc"("kind", "ref") VALUES ('meeting', new."id");
    INSERT INTO "search_fts"("rowid", "title", "body")
        SELECT "id", new."title", new."body" || char(10) || char(10) || new."decisions" FROM "search_doc" WHERE "kind" = 'meeting' AND "ref" = new."id";
END;
CREATE TRIGGER "search_meeting_au" AFTER UPDATE OF "title", "body", "decisions" ON "Meeting" BEGIN
    DELETE FROM "search_fts" WHERE "rowid" = (SELECT "id" FROM "search_doc" WHERE "kind" = 'meeting' AND "ref" = old."id");
    INSERT INTO "search_fts"("rowid", "title", "body")
        SELECT "id", new."title", new."body" || char(10) || char(10) || new."decisions" FROM "search_doc" WHERE "kind" = 'meeting' AND "ref" = new."id";
END;
CREATE TRIGGER "search_meeting_ad" AFTER DELETE ON "Meeting" BEGIN
    DELETE FROM "search_fts" WHERE "rowid" = (SELECT "id" FROM "search_doc" WHERE "kind" = 'meeting' AND "ref" = old."id");
    DELETE FROM "search_doc" WHERE "kind" = 'meeting' AND "ref" = old."id";
END;

-- Items: only a change of text touches the index (status changes are frequent).
CREATE TRIGGER "search_item_ai" AFTER INSERT ON "ActionItem" BEGIN
    INSERT INTO "search_doc"("kind", "ref") VALUES ('item', new."id");
    INSERT INTO "search_fts"("rowid", "title", "body")
        SELECT "id", '', new."text" FROM "search_doc" WHERE "kind" = 'item' AND "ref" = new."id";
END;
CREATE TRIGGER "search_item_au" AFTER UPDATE OF "text" ON "ActionItem" BEGIN
    DELETE FROM "search_fts" WHERE "rowid" = (SELECT "id" FROM "search_doc" WHERE "kind" = 'item' AND "ref" = old."id");
    INSERT INTO "search_fts"("rowid", "title", "body")
        SELECT "id", '', new."text" FROM "search_doc" WHERE "kind" = 'item' AND "ref" = new."id";
END;
CREATE TRIGGER "search_item_ad" AFTER DELETE ON "ActionItem" BEGIN
    DELETE FROM "search_fts" WHERE "rowid" = (SELECT "id" FROM "search_doc" WHERE "kind" = 'item' AND "ref" = old."id");
    DELETE FROM "search_doc" WHERE "kind" = 'item' AND "ref" = old."id";
END;
