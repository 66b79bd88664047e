-- Accounts people look after themselves (issue 16): disabled users and mail preferences,
-- session devices and last use, archived courses and the admin's list of all courses, mailed
-- single-use account tokens, and outbox entries enqueued once per idempotency key.

-- AlterTable: existing users are active and get the default mail preferences
-- (DEFAULT_MAIL_PREFERENCES in app/data/repository.ts).
ALTER TABLE "users" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3),
ADD COLUMN     "mail_grades" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "mail_messages" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "mail_announcements" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "mail_digest" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "courses" ADD COLUMN     "archived_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "courses_created_at_id_idx" ON "courses"("created_at" DESC, "id" DESC);

-- AlterTable: a session signed in before this was last seen when it was created.
ALTER TABLE "auth_sessions" ADD COLUMN     "user_agent" TEXT,
ADD COLUMN     "last_seen_at" TIMESTAMPTZ(3);
UPDATE "auth_sessions" SET "last_seen_at" = "created_at";
ALTER TABLE "auth_sessions" ALTER COLUMN "last_seen_at" SET NOT NULL;

-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "dedupe_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "outbox_dedupe_key_key" ON "outbox"("dedupe_key");

-- CreateTable
CREATE TABLE "account_tokens" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "account_tokens_purpose_check" CHECK ("purpose" IN ('verify-email', 'password-reset', 'change-email'))
);

-- CreateIndex
CREATE INDEX "account_tokens_user_id_purpose_idx" ON "account_tokens"("user_id", "purpose");

-- AddForeignKey
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
