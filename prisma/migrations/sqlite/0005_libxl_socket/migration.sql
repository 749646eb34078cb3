-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Host" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'local',
    "xenstoredPath" TEXT NOT NULL,
    "qmpDir" TEXT NOT NULL,
    "procRoot" TEXT NOT NULL DEFAULT '/proc',
    "sshTarget" TEXT,
    "sshIdentityPath" TEXT,
    "sshHostKey" TEXT,
    "pollIntervalSec" INTEGER NOT NULL DEFAULT 30,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "libxlSocket" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Host" ("createdAt", "enabled", "id", "kind", "name", "pollIntervalSec", "procRoot", "qmpDir", "sshHostKey", "sshIdentityPath", "sshTarget", "updatedAt", "version", "xenstoredPath") SELECT "createdAt", "enabled", "id", "kind", "name", "pollIntervalSec", "procRoot", "qmpDir", "sshHostKey", "sshIdentityPath", "sshTarget", "updatedAt", "version", "xenstoredPath" FROM "Host";
DROP TABLE "Host";
ALTER TABLE "new_Host" RENAME TO "Host";
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
