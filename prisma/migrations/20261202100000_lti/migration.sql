-- LTI 1.3 / LTI Advantage: platform registrations, tool keys, launch states and nonces, and the
-- links between LMS users, contexts and resource links and ClassCast (docs/decisions/024-lti-advantage.md).
-- CreateTable
CREATE TABLE "lti_platforms" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "deployment_ids" TEXT[],
    "auth_url" TEXT NOT NULL,
    "token_url" TEXT NOT NULL,
    "jwks_url" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_platforms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lti_tool_keys" (
    "kid" TEXT NOT NULL,
    "public_jwk" TEXT NOT NULL,
    "sealed_private_key" TEXT NOT NULL,
    "signs_from" TIMESTAMPTZ(3) NOT NULL,
    "retires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_tool_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "lti_launch_states" (
    "state" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "target_link_uri" TEXT NOT NULL,
    "login_hint" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_launch_states_pkey" PRIMARY KEY ("state")
);

-- CreateTable
CREATE TABLE "lti_nonces" (
    "issuer" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_nonces_pkey" PRIMARY KEY ("issuer","nonce")
);

-- CreateTable
CREATE TABLE "lti_user_links" (
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_user_links_pkey" PRIMARY KEY ("issuer","subject")
);

-- CreateTable
CREATE TABLE "lti_contexts" (
    "issuer" TEXT NOT NULL,
    "context_id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "deployment_id" TEXT NOT NULL,
    "course_id" TEXT NOT NULL,
    "title" TEXT,
    "memberships_url" TEXT,
    "line_items_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_contexts_pkey" PRIMARY KEY ("issuer","context_id")
);

-- CreateTable
CREATE TABLE "lti_resource_links" (
    "issuer" TEXT NOT NULL,
    "resource_link_id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "course_id" TEXT NOT NULL,
    "assignment_id" TEXT,
    "line_item_url" TEXT,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_resource_links_pkey" PRIMARY KEY ("issuer","resource_link_id")
);

-- CreateTable
CREATE TABLE "lti_memberships" (
    "course_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "roles" TEXT[],
    "active" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_memberships_pkey" PRIMARY KEY ("course_id","user_id")
);

-- CreateTable
CREATE TABLE "lti_score_statuses" (
    "submission_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "score_given" DOUBLE PRECISION,
    "attempts" INTEGER NOT NULL,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_score_statuses_pkey" PRIMARY KEY ("submission_id")
);

-- CreateIndex
CREATE INDEX "lti_platforms_name_id_idx" ON "lti_platforms"("name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "lti_platforms_issuer_client_id_key" ON "lti_platforms"("issuer", "client_id");

-- CreateIndex
CREATE INDEX "lti_launch_states_expires_at_idx" ON "lti_launch_states"("expires_at");

-- CreateIndex
CREATE INDEX "lti_nonces_expires_at_idx" ON "lti_nonces"("expires_at");

-- CreateIndex
CREATE INDEX "lti_user_links_user_id_issuer_created_at_idx" ON "lti_user_links"("user_id", "issuer", "created_at" DESC);

-- CreateIndex
CREATE INDEX "lti_contexts_course_id_created_at_idx" ON "lti_contexts"("course_id", "created_at");

-- CreateIndex
CREATE INDEX "lti_resource_links_assignment_id_created_at_idx" ON "lti_resource_links"("assignment_id", "created_at");

-- AddForeignKey
ALTER TABLE "lti_user_links" ADD CONSTRAINT "lti_user_links_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

