/**
 * Throttling on DynamoDB, staged by the stand-in's fault injection: a throttle that clears is
 * retried by the SDK (the caller never sees it); one that persists rejects with
 * DataStoreBusyError after the SDK's attempts, writes nothing, and a service call passes the
 * same error on. Each throttle is scoped to one test's ids, so nothing else is slowed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertNoScan, operationLog } from '../../../tests/dynamo-operations';
import { countedContext } from '../../../tests/counted-backends';
import {
  LOCAL_CREDENTIALS,
  startDynamoDbLocal,
  type DynamoDbLocal,
  type ThrottleKind,
} from '../../../tools/dynamodb-local';
import { headerCounts } from '~/services/notifications.server';
import { assignmentInput, submissionBundle } from '../contract/builders';
import { DataStoreBusyError } from '../errors';
import { newId } from '../ids';
import type { Repositories, User } from '../repository';
import { DYNAMO_MAX_ATTEMPTS } from './client';
import { createDynamoRepositories, ensureTables } from './index';

let local: DynamoDbLocal;
let repos: Repositories;
const sentToDynamo = operationLog();

beforeAll(async () => {
  local = await startDynamoDbLocal();
  const tablePrefix = `classcast-throttle-${newId().toLowerCase()}-`;
  const opts = { endpoint: local.endpoint, region: 'us-east-1', tablePrefix, credentials: LOCAL_CREDENTIALS };
  await ensureTables(opts);
  repos = createDynamoRepositories({ ...opts, onCommand: sentToDynamo.record });
});

afterEach(() => local.testHooks.clearThrottles());

afterAll(async () => {
  await repos?.close();
  await local?.stop();
  assertNoScan(sentToDynamo.byName(), 'dynamo.throttling.test.ts', 10);
});

const aUser = (role: User['role'] = 'student') =>
  repos.users.create({ email: `t-${newId()}@example.test`, firstName: 'T', lastName: 'H', role, passwordHash: null });

/** How many requests of `operation` the stand-in received while `run` ran (retries included). */
async function received(operation: string, run: () => Promise<unknown>): Promise<number> {
  const before = local.testHooks.operations()[operation] ?? 0;
  await run().catch(() => undefined);
  return (local.testHooks.operations()[operation] ?? 0) - before;
}

describe('throttling on dynamodb', () => {
  it.each<ThrottleKind>(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'])(
    'retries a %s that clears, and the caller never sees it',
    async (kind) => {
      const user = await aUser();
      local.testHooks.throttle({ operation: 'GetItem', times: 2, kind, bodyContains: user.id });
      const { result, names } = await sentToDynamo.during(() => repos.users.getById(user.id));
      expect(result?.id).toBe(user.id);
      // One command for the adapter, three requests on the wire: the SDK retried below it.
      expect(names).toEqual(['GetItemCommand']);
      local.testHooks.throttle({ operation: 'GetItem', times: 2, kind, bodyContains: user.id });
      expect(await received('GetItem', () => repos.users.getById(user.id))).toBe(3);
    },
  );

  it('rejects with DataStoreBusyError once throttling outlasts the SDK attempts', async () => {
    const user = await aUser();
    local.testHooks.throttle({ operation: 'GetItem', times: 1000, bodyContains: user.id });
    const failure = repos.users.getById(user.id);
    await expect(failure).rejects.toBeInstanceOf(DataStoreBusyError);
    await expect(failure).rejects.toMatchObject({ operation: 'GetItem' });
    expect(await received('GetItem', () => repos.users.getById(user.id))).toBe(DYNAMO_MAX_ATTEMPTS);
  });

  /** An assignment in a course of its own and a student's answer to it, not yet submitted. */
  async function anAnswerToSubmit() {
    const teacher = await aUser('instructor');
    const course = await repos.courses.create({ title: 'C', code: 'C-1', instructorId: teacher.id, joinCode: newId() });
    const student = await aUser();
    const assignment = await repos.assignments.create(assignmentInput(course.id, teacher.id));
    return { assignment, answer: submissionBundle(assignment, student) };
  }

  it('retries a transaction cancelled for throttling, and writes it once', async () => {
    const { assignment, answer } = await anAnswerToSubmit();
    local.testHooks.throttle({
      operation: 'TransactWriteItems',
      times: 2,
      kind: 'TransactionThrottled',
      bodyContains: answer.submission.id,
    });
    const made = await repos.submissions.createWithVideo(answer);
    expect(made.created).toBe(true);
    expect((await repos.assignments.getById(assignment.id))?.id).toBe(assignment.id);
    expect((await repos.submissions.listByAssignment(assignment.id)).items.map((s) => s.id)).toEqual([
      answer.submission.id,
    ]);
  });

  it('writes nothing of a transaction that stays throttled', async () => {
    const { answer } = await anAnswerToSubmit();
    local.testHooks.throttle({
      operation: 'TransactWriteItems',
      times: 1000,
      kind: 'TransactionThrottled',
      bodyContains: answer.submission.id,
    });
    await expect(repos.submissions.createWithVideo(answer)).rejects.toBeInstanceOf(DataStoreBusyError);
    local.testHooks.clearThrottles();
    expect(await repos.submissions.getById(answer.submission.id)).toBeNull();
    expect(await repos.videos.getById(answer.video.id)).toBeNull();
    // The same call again, once the throttle is gone, is the first and only submit.
    expect((await repos.submissions.createWithVideo(answer)).created).toBe(true);
  });

  it('a service call passes the busy error on (the routes answer it with 503)', async () => {
    const user = await aUser();
    const ctx = countedContext(repos, () => new Date());
    expect(await headerCounts(ctx, user)).toEqual({ unreadNotifications: 0, unreadMessages: 0 });
    local.testHooks.throttle({ operation: 'Query', times: 1000, bodyContains: user.id });
    await expect(headerCounts(ctx, user)).rejects.toBeInstanceOf(DataStoreBusyError);
  });
});
