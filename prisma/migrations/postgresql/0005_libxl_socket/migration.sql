-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "libxlSocket" BOOLEAN NOT NULL DEFAULT false;
