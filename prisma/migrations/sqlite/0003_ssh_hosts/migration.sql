-- AlterTable
ALTER TABLE "Host" ADD COLUMN "sshHostKey" TEXT;
ALTER TABLE "Host" ADD COLUMN "sshIdentityPath" TEXT;
ALTER TABLE "Host" ADD COLUMN "sshTarget" TEXT;
