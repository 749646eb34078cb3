-- The board's page of items is kept until a write to what it shows (lib/items/board.ts):
-- an item's links are part of every row, so their table announces its writes too.
CREATE TRIGGER "ActionItemLink_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ActionItemLink" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
