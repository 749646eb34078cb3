-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "sshHostKey" TEXT,
ADD COLUMN     "sshIdentityPath" TEXT,
ADD COLUMN     "sshTarget" TEXT;
