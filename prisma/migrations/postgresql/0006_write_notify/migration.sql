-- This is an empty migration.

-- Provider-specific (prisma/extra/postgresql/0006_write_notify.sql)
-- Writes announced to every server instance (lib/db/write-notices.ts): the reads kept until
-- a write (lib/db/kept.ts) must see what another instance, or a CLI, wrote. One NOTIFY per
-- statement on the tables those reads depend on, payload the table's name; PostgreSQL
-- delivers it on commit (never for a rollback) and once per transaction for equal payloads.
-- Statement-level: a bulk import costs one notice per statement, not per row. Not on the
-- collector's high-frequency tables (HostLiveState, HostLease, HostSample, VmEvent...):
-- nothing kept reads them. The list is WRITE_NOTICE_TABLES in lib/db/write-notices.ts.
CREATE FUNCTION "dmboard_notify_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('dmboard_writes', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
CREATE TRIGGER "Meeting_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Meeting" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "ActionItem_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ActionItem" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "ActionItemOwner_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ActionItemOwner" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "ActionItemTopic_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ActionItemTopic" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "Person_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Person" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "Topic_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Topic" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "Review_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Review" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "Series_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Series" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
