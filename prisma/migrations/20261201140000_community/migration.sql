-- Community: posts, study-buddy connections, comments/responses/likes on videos and posts,
-- the assignment feed's publication time and the admins' user directory.
-- CreateEnum
CREATE TYPE "interaction_target_type" AS ENUM ('video', 'post');

-- CreateEnum
CREATE TYPE "connection_status" AS ENUM ('pending', 'accepted');

-- AlterEnum (PostgreSQL 12+ adds several values in one transaction, unused below)

ALTER TYPE "notification_type" ADD VALUE 'response';
ALTER TYPE "notification_type" ADD VALUE 'connection_request';
ALTER TYPE "notification_type" ADD VALUE 'connection_accepted';
ALTER TYPE "notification_type" ADD VALUE 'assignment_published';

-- AlterTable
ALTER TABLE "assignments" ADD COLUMN     "published_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "interactions" ADD COLUMN     "at_seconds" DOUBLE PRECISION,
ADD COLUMN     "course_id" TEXT,
ADD COLUMN     "is_feedback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "notify_owner_id" TEXT,
ADD COLUMN     "parent_id" TEXT,
ADD COLUMN     "post_id" TEXT,
ADD COLUMN     "reply_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "response_video_id" TEXT,
ADD COLUMN     "target_owner_id" TEXT,
ADD COLUMN     "target_type" "interaction_target_type" NOT NULL DEFAULT 'video',
ALTER COLUMN "video_id" DROP NOT NULL;

-- Existing rows are all on videos: copy the video's course and owner, then require them.
UPDATE "interactions" AS i SET "course_id" = v."course_id", "target_owner_id" = v."owner_id"
  FROM "videos" AS v WHERE v."id" = i."video_id";
UPDATE "interactions" SET "notify_owner_id" = "target_owner_id"
  WHERE "user_id" <> "target_owner_id" AND "type" <> 'submitted';
ALTER TABLE "interactions" ALTER COLUMN "course_id" SET NOT NULL,
  ALTER COLUMN "target_owner_id" SET NOT NULL;
-- Exactly one target, matching target_type.
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_one_target" CHECK (
  ("target_type" = 'video' AND "video_id" IS NOT NULL AND "post_id" IS NULL) OR
  ("target_type" = 'post' AND "post_id" IS NOT NULL AND "video_id" IS NULL));

-- Already-published assignments count as published when they were created.
UPDATE "assignments" SET "published_at" = "created_at" WHERE "status" <> 'draft';

-- CreateTable
CREATE TABLE "posts" (
    "id" TEXT NOT NULL,
    "course_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "is_announcement" BOOLEAN NOT NULL DEFAULT false,
    "like_count" INTEGER NOT NULL DEFAULT 0,
    "comment_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connections" (
    "id" TEXT NOT NULL,
    "requester_id" TEXT NOT NULL,
    "requested_id" TEXT NOT NULL,
    "status" "connection_status" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "connections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "posts_course_id_created_at_id_idx" ON "posts"("course_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "posts_author_id_idx" ON "posts"("author_id");

-- CreateIndex
CREATE INDEX "connections_requester_id_updated_at_id_idx" ON "connections"("requester_id", "updated_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "connections_requested_id_updated_at_id_idx" ON "connections"("requested_id", "updated_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "users_last_name_first_name_id_idx" ON "users"("last_name", "first_name", "id");

-- CreateIndex
CREATE INDEX "assignments_course_id_published_at_id_idx" ON "assignments"("course_id", "published_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "interactions_post_id_created_at_id_idx" ON "interactions"("post_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "interactions_parent_id_created_at_id_idx" ON "interactions"("parent_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "interactions_notify_owner_id_created_at_id_idx" ON "interactions"("notify_owner_id", "created_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_target_owner_id_fkey" FOREIGN KEY ("target_owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "interactions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "posts" ADD CONSTRAINT "posts_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connections" ADD CONSTRAINT "connections_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connections" ADD CONSTRAINT "connections_requested_id_fkey" FOREIGN KEY ("requested_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

