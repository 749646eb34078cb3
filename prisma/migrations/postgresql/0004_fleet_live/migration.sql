-- CreateTable
CREATE TABLE "HostLease" (
    "hostId" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "renewedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HostLease_pkey" PRIMARY KEY ("hostId")
);

-- CreateTable
CREATE TABLE "HostLiveState" (
    "hostId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "owner" TEXT NOT NULL,
    "lastAttemptAt" TIMESTAMP(3),
    "lastGoodAt" TIMESTAMP(3),
    "ok" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "elapsedMs" INTEGER,
    "reads" INTEGER NOT NULL DEFAULT 0,
    "watching" BOOLEAN NOT NULL DEFAULT false,
    "watchError" TEXT,
    "state" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HostLiveState_pkey" PRIMARY KEY ("hostId")
);
