-- This is an empty migration.

-- Provider-specific (prisma/extra/postgresql/0007_more_write_notify.sql)
-- The reuse of a verified session (lib/auth/session-memo.ts) must end on every instance when
-- a session is revoked or ends (sign-out, revocation, password change) or a user's role or
-- ban changes: the better-auth tables announce their writes like the domain tables of 0006.
-- And the meeting schedules, which the dashboard's "next meetings" keeps until a write, and
-- the meetings' topics and attendees, which the meetings list keeps.
CREATE TRIGGER "user_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "user" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "session_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "session" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "SeriesSchedule_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SeriesSchedule" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "ScheduleException_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ScheduleException" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "MeetingTopic_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MeetingTopic" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
CREATE TRIGGER "MeetingAttendee_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MeetingAttendee" FOR EACH STATEMENT EXECUTE FUNCTION "dmboard_notify_write"();
