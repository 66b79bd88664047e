#!/usr/bin/env bash
# `npm test`: licence check, typecheck, lint, unit + contract tests (PGlite, the local
# DynamoDB in tools/dynamodb-local, and Postgres when DATABASE_URL is set), then Playwright
# against a production build: on the embedded Postgres with JS on and off, at desktop and
# phone width, with axe; then on the local DynamoDB: the main journeys with JS on, and every
# API spec. Every server (the app, the local DynamoDB, the S3 stand-in, the embedded Postgres)
# takes a free port, so runs can overlap.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM" ] || missing+=("chromium (browser tests): apt-get update && apt-get install -y chromium")
if [ ${#missing[@]} -gt 0 ]; then
  echo "npm test needs system packages that are missing:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 1
fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

[ -f generated/prisma/client.ts ] || { step "prisma generate"; npx tsx scripts/prisma-cli.ts generate; }

step "licences of installed packages"
npx tsx scripts/check-licenses.ts

step "typecheck"
npx tsc --noEmit

step "lint"
npx eslint .

# Before vitest: its server tests (operability, outages, crash safety, rolling restart) run the
# production build as child processes, and must neither race to build it nor run a stale one.
step "production build"
npx remix build

step "unit + contract tests (vitest)"
if [ -n "${DATABASE_URL:-}" ]; then echo "DATABASE_URL is set: the contract suite also runs on that PostgreSQL server."; fi
npx vitest run

step "browser + API tests (Playwright) on the embedded Postgres"
E2E_BACKEND=postgres npx playwright test

step "browser + API tests (Playwright) on the local DynamoDB"
E2E_BACKEND=dynamodb npx playwright test
