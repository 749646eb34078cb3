-- CreateTable
CREATE TABLE "HostLease" (
    "hostId" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "renewedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "HostLiveState" (
    "hostId" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0,
    "owner" TEXT NOT NULL,
    "lastAttemptAt" DATETIME,
    "lastGoodAt" DATETIME,
    "ok" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "elapsedMs" INTEGER,
    "reads" INTEGER NOT NULL DEFAULT 0,
    "watching" BOOLEAN NOT NULL DEFAULT false,
    "watchError" TEXT,
    "state" TEXT,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
