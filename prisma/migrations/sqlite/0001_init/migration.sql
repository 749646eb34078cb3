-- CreateTable
CREATE TABLE "user" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" TEXT NOT NULL DEFAULT 'viewer',
    "banned" BOOLEAN DEFAULT false,
    "banReason" TEXT,
    "banExpires" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "impersonatedBy" TEXT,
    "userId" TEXT NOT NULL,
    CONSTRAINT "session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "idToken" TEXT,
    "accessTokenExpiresAt" DATETIME,
    "refreshTokenExpiresAt" DATETIME,
    "scope" TEXT,
    "password" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "verification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "displayName" TEXT NOT NULL,
    "email" TEXT,
    "organisation" TEXT,
    "userId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Person_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PersonAlias" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,
    CONSTRAINT "PersonAlias_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Series" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Topic" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seriesId" TEXT NOT NULL,
    "date" DATETIME NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "decisions" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'typed',
    "sourceMessageId" TEXT,
    "sourceUrl" TEXT,
    "sourceFingerprint" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Meeting_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "Series" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MeetingAttendee" (
    "meetingId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,

    PRIMARY KEY ("meetingId", "personId"),
    CONSTRAINT "MeetingAttendee_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MeetingAttendee_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MeetingTopic" (
    "meetingId" TEXT NOT NULL,
    "topicId" TEXT NOT NULL,

    PRIMARY KEY ("meetingId", "topicId"),
    CONSTRAINT "MeetingTopic_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MeetingTopic_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "target" TEXT,
    "dueDate" DATETIME,
    "seriesId" TEXT NOT NULL,
    "meetingId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    CONSTRAINT "ActionItem_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "Series" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ActionItem_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActionItemOwner" (
    "itemId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,

    PRIMARY KEY ("itemId", "personId"),
    CONSTRAINT "ActionItemOwner_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ActionItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ActionItemOwner_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActionItemTopic" (
    "itemId" TEXT NOT NULL,
    "topicId" TEXT NOT NULL,

    PRIMARY KEY ("itemId", "topicId"),
    CONSTRAINT "ActionItemTopic_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ActionItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ActionItemTopic_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActionItemLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "itemId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ActionItemLink_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ActionItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "meetingId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Review_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Review_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ActionItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "Host" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'local',
    "xenstoredPath" TEXT NOT NULL,
    "qmpDir" TEXT NOT NULL,
    "procRoot" TEXT NOT NULL DEFAULT '/proc',
    "pollIntervalSec" INTEGER NOT NULL DEFAULT 30,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HostSample" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT NOT NULL,
    "takenAt" DATETIME NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "vmCount" INTEGER NOT NULL DEFAULT 0,
    "deprivCount" INTEGER NOT NULL DEFAULT 0,
    "dependencies" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "HostSample_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VmEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT NOT NULL,
    "domid" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "VmEvent_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "XsRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "dependency" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "severity" TEXT NOT NULL DEFAULT 'blocker',
    "topicId" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "XsRule_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_key" ON "session"("token");

-- CreateIndex
CREATE INDEX "session_userId_idx" ON "session"("userId");

-- CreateIndex
CREATE INDEX "account_userId_idx" ON "account"("userId");

-- CreateIndex
CREATE INDEX "verification_identifier_idx" ON "verification"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_userId_key" ON "Person"("userId");

-- CreateIndex
CREATE INDEX "Person_displayName_idx" ON "Person"("displayName");

-- CreateIndex
CREATE INDEX "PersonAlias_normalized_idx" ON "PersonAlias"("normalized");

-- CreateIndex
CREATE UNIQUE INDEX "PersonAlias_personId_normalized_key" ON "PersonAlias"("personId", "normalized");

-- CreateIndex
CREATE UNIQUE INDEX "Series_name_key" ON "Series"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Series_slug_key" ON "Series"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Topic_slug_key" ON "Topic"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_sourceMessageId_key" ON "Meeting"("sourceMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_sourceFingerprint_key" ON "Meeting"("sourceFingerprint");

-- CreateIndex
CREATE INDEX "Meeting_seriesId_date_id_idx" ON "Meeting"("seriesId", "date", "id");

-- CreateIndex
CREATE INDEX "Meeting_date_id_idx" ON "Meeting"("date", "id");

-- CreateIndex
CREATE INDEX "MeetingAttendee_personId_meetingId_idx" ON "MeetingAttendee"("personId", "meetingId");

-- CreateIndex
CREATE INDEX "MeetingTopic_topicId_meetingId_idx" ON "MeetingTopic"("topicId", "meetingId");

-- CreateIndex
CREATE INDEX "ActionItem_status_updatedAt_id_idx" ON "ActionItem"("status", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "ActionItem_updatedAt_id_idx" ON "ActionItem"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "ActionItem_status_dueDate_updatedAt_id_idx" ON "ActionItem"("status", "dueDate", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "ActionItem_seriesId_status_idx" ON "ActionItem"("seriesId", "status");

-- CreateIndex
CREATE INDEX "ActionItem_meetingId_idx" ON "ActionItem"("meetingId");

-- CreateIndex
CREATE INDEX "ActionItem_dueDate_idx" ON "ActionItem"("dueDate");

-- CreateIndex
CREATE INDEX "ActionItemOwner_personId_itemId_idx" ON "ActionItemOwner"("personId", "itemId");

-- CreateIndex
CREATE INDEX "ActionItemTopic_topicId_itemId_idx" ON "ActionItemTopic"("topicId", "itemId");

-- CreateIndex
CREATE INDEX "ActionItemLink_itemId_idx" ON "ActionItemLink"("itemId");

-- CreateIndex
CREATE INDEX "Review_itemId_idx" ON "Review"("itemId");

-- CreateIndex
CREATE UNIQUE INDEX "Review_meetingId_itemId_key" ON "Review"("meetingId", "itemId");

-- CreateIndex
CREATE INDEX "AuditEvent_entity_entityId_at_idx" ON "AuditEvent"("entity", "entityId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE INDEX "HostSample_hostId_takenAt_idx" ON "HostSample"("hostId", "takenAt");

-- CreateIndex
CREATE INDEX "VmEvent_hostId_domid_at_idx" ON "VmEvent"("hostId", "domid", "at");

-- CreateIndex
CREATE UNIQUE INDEX "XsRule_key_key" ON "XsRule"("key");

-- Provider-specific (prisma/extra/sqlite/0001_init.sql)
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
