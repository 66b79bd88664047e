/**
 * The community tables on DynamoDB, through an instrumented client: every command sent is
 * counted by name, so each test proves both the result and how it was read (no Scan ever;
 * a feed source is one Query per course). Behaviour shared with Postgres is the contract's.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../../tools/dynamodb-local';
import { assertNoScan, operationLog } from '../../../tests/dynamo-operations';
import { assignmentInput, submissionBundle } from '../contract/builders';
import { DataConflictError, DataNotFoundError, InvalidCursorError } from '../errors';
import type { Course, InteractionTarget, Post, Repositories, User, Video, Visibility } from '../repository';
import { connectionIdFor } from '../repository';
import { createContext, type DynamoContext } from './client';
import { createDynamoRepositories, ensureTables } from './index';
import { interactionKey } from './keys';

let local: DynamoDbLocal | null = null;
let repos: Repositories;
let ctx: DynamoContext;
/** Every command of the whole file, the harness's own included. */
const sentToDynamo = operationLog();

beforeAll(async () => {
  local = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const prefix = `classcast-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}-`;
  const opts = { endpoint, region: 'us-east-1', tablePrefix: prefix, credentials: LOCAL_CREDENTIALS };
  const admin = sentToDynamo.watch(new DynamoDBClient(opts));
  await ensureTables(admin, prefix);
  admin.destroy();
  repos = createDynamoRepositories({ ...opts, onCommand: sentToDynamo.record });
  ctx = createContext({ ...opts, onCommand: sentToDynamo.record });
});

afterAll(async () => {
  // Whatever ran in this file, nothing ever scanned a table.
  assertNoScan(sentToDynamo.byName(), 'dynamo.community.test.ts', 100);
  await repos?.close();
  ctx?.doc.destroy();
  await local?.stop();
});

/** The commands sent while `run` ran, by name. */
const sent = <T>(run: () => Promise<T>) => sentToDynamo.during(run);

let n = 0;
const aUser = (role: User['role'] = 'student', names: Partial<Pick<User, 'firstName' | 'lastName'>> = {}) =>
  repos.users.create({
    email: `c${Date.now()}${n++}@example.test`,
    firstName: names.firstName ?? 'F',
    lastName: names.lastName ?? 'L',
    role,
    passwordHash: null,
  });

async function aCourse(teacher: User): Promise<Course> {
  const joinCode = `K${Date.now().toString(36)}${n++}`.toUpperCase();
  return repos.courses.create({ title: 'C', code: 'C-1', instructorId: teacher.id, joinCode });
}

async function aVideo(course: Course, teacher: User, owner: User, visibility: Visibility): Promise<Video> {
  const a = await repos.assignments.create(assignmentInput(course.id, teacher.id));
  const b = submissionBundle(a, owner, { visibility });
  await repos.submissions.createWithVideo(b);
  return (await repos.videos.getById(b.video.id))!;
}

const postTarget = (p: Post): InteractionTarget => ({
  type: 'post',
  id: p.id,
  courseId: p.courseId,
  ownerId: p.authorId,
});
const videoTarget = (v: Video): InteractionTarget => ({
  type: 'video',
  id: v.id,
  courseId: v.courseId,
  ownerId: v.ownerId,
});
const aPost = (course: Course, author: User, title = 'P') =>
  repos.posts.create({ courseId: course.id, authorId: author.id, title, body: 'b', isAnnouncement: false });

describe('dynamodb community', () => {
  it('feed sources read one Query per course (plus one for the viewer’s own videos)', async () => {
    const teacher = await aUser('instructor');
    const alice = await aUser();
    const courses = [await aCourse(teacher), await aCourse(teacher), await aCourse(teacher)];
    for (const c of courses) {
      await aPost(c, teacher, 'one');
      await aPost(c, teacher, 'two');
      await aVideo(c, teacher, alice, 'class');
    }
    await aVideo(courses[0], teacher, alice, 'private');
    const window = { courseIds: courses.map((c) => c.id), before: null, limit: 4 };

    const posts = await sent(() => repos.posts.listForFeed(window));
    expect(posts.names).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand']);
    expect(posts.result).toHaveLength(4);
    const times = posts.result.map((p) => `${p.createdAt}#${p.id}`);
    expect([...times].sort().reverse()).toEqual(times);

    // The window moves strictly past its position, still one Query per course.
    const last = posts.result[3];
    const older = await sent(() => repos.posts.listForFeed({ ...window, before: { at: last.createdAt, id: last.id } }));
    expect(older.names).toHaveLength(3);
    expect(older.result.map((p) => p.id)).toEqual(
      (await repos.posts.listForFeed({ ...window, limit: 6 })).slice(4).map((p) => p.id),
    );

    const assignments = await sent(() => repos.assignments.listPublishedForFeed(window));
    expect(assignments.names).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand']);
    expect(assignments.result.every((a) => a.publishedAt !== null)).toBe(true);

    const bobs = await sent(() => repos.videos.listForFeed(window, teacher.id));
    expect(bobs.names.filter((c) => c === 'QueryCommand')).toHaveLength(4);
    expect(bobs.names.every((c) => c === 'QueryCommand')).toBe(true);
    expect(bobs.result.every((v) => v.visibility === 'class')).toBe(true);
    expect(bobs.result).toHaveLength(3);
    // Alice also sees her own private video, once (her class videos are in both reads).
    const hers = await repos.videos.listForFeed({ ...window, limit: 10 }, alice.id);
    expect(hers).toHaveLength(4);
    expect(new Set(hers.map((v) => v.id)).size).toBe(4);
  });

  it('a like moves the counter once per user, and a toggle flips it', async () => {
    const teacher = await aUser('instructor');
    const course = await aCourse(teacher);
    const post = await aPost(course, teacher);
    const target = postTarget(post);
    const likers = await Promise.all(Array.from({ length: 30 }, () => aUser()));
    const states = await Promise.all(
      likers.map((u) => repos.interactions.setLike({ target, userId: u.id, liked: true, notification: null })),
    );
    expect(states.every((s) => s.liked && s.changed)).toBe(true);
    expect((await repos.posts.getById(post.id))!.likeCount).toBe(30);

    const again = await sent(() =>
      repos.interactions.setLike({ target, userId: likers[0].id, liked: true, notification: null }),
    );
    expect(again.result).toEqual({ liked: true, likeCount: 30, changed: false });
    expect(again.names).not.toContain('ScanCommand');

    const toggled = await repos.interactions.setLike({ target, userId: likers[1].id, notification: null });
    expect(toggled).toEqual({ liked: false, likeCount: 29, changed: true });
    const liked = await sent(() =>
      repos.interactions.likedBy(likers[0].id, [target, { type: 'post', id: 'nope' }, { type: 'video', id: post.id }]),
    );
    expect([...liked.result]).toEqual([post.id]);
    expect(liked.names).toEqual(['BatchGetItemCommand']);

    await expect(
      repos.interactions.setLike({ target: { ...target, id: 'missing' }, userId: likers[0].id, notification: null }),
    ).rejects.toBeInstanceOf(DataNotFoundError);
    // The failed like left no stub target behind.
    expect(await repos.posts.getById('missing')).toBeNull();
  });

  it('comments, replies and their deletion keep every counter exact', async () => {
    const teacher = await aUser('instructor');
    const alice = await aUser();
    const course = await aCourse(teacher);
    const video = await aVideo(course, teacher, alice, 'class');
    const target = videoTarget(video);
    const top = await repos.interactions.addComment(
      { target, userId: teacher.id, type: 'comment', content: 'hi', atSeconds: 3 },
      null,
    );
    const replies = [];
    for (let i = 0; i < 3; i++) {
      replies.push(
        await repos.interactions.addComment(
          { target, userId: alice.id, type: 'comment', content: `r${i}`, parentId: top.id },
          null,
        ),
      );
    }
    expect((await repos.videos.getById(video.id))!.commentCount).toBe(4);
    expect((await repos.interactions.getById(top.id))!.replyCount).toBe(3);

    const listed = await sent(() => repos.interactions.listComments(target));
    expect(listed.result.items.map((c) => c.id)).toEqual([top.id]);
    expect(listed.names).toEqual(['QueryCommand']);
    const threads = await sent(() =>
      repos.interactions.listReplies(
        [
          { id: top.id, replyCount: 3 },
          { id: 'x', replyCount: 0 },
        ],
        2,
      ),
    );
    expect(threads.result.map((r) => r.content)).toEqual(['r0', 'r1']);
    expect(threads.names).toEqual(['QueryCommand']);

    // A reply may only answer a top-level comment of the same target.
    await expect(
      repos.interactions.addComment(
        { target, userId: alice.id, type: 'comment', content: 'x', parentId: replies[0].id },
        null,
      ),
    ).rejects.toBeInstanceOf(DataNotFoundError);
    expect((await repos.videos.getById(video.id))!.commentCount).toBe(4);

    await repos.interactions.deleteComment(replies[0].id);
    expect((await repos.interactions.getById(top.id))!.replyCount).toBe(2);
    expect((await repos.videos.getById(video.id))!.commentCount).toBe(3);
    await repos.interactions.deleteComment(top.id);
    expect((await repos.videos.getById(video.id))!.commentCount).toBe(0);
    expect(await repos.interactions.getById(replies[1].id)).toBeNull();
    await expect(repos.interactions.deleteComment(top.id)).rejects.toBeInstanceOf(DataNotFoundError);
  });

  it('deletes a comment with more replies than one transaction holds, in batches', async () => {
    const teacher = await aUser('instructor');
    const course = await aCourse(teacher);
    const post = await aPost(course, teacher);
    const target = postTarget(post);
    const top = await repos.interactions.addComment(
      { target, userId: teacher.id, type: 'comment', content: 't' },
      null,
    );
    for (let i = 0; i < 120; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          repos.interactions.addComment(
            { target, userId: teacher.id, type: 'comment', content: 'r', parentId: top.id },
            null,
          ),
        ),
      );
    }
    expect((await repos.posts.getById(post.id))!.commentCount).toBe(121);
    const run = await sent(() => repos.interactions.deleteComment(top.id));
    expect(run.names.filter((c) => c === 'TransactWriteItemsCommand').length).toBeGreaterThanOrEqual(2);
    expect((await repos.posts.getById(post.id))!.commentCount).toBe(0);
    expect((await repos.interactions.listComments(target)).items).toEqual([]);
  });

  it('the owner’s feed has other people’s likes and comments only; deleting a post removes them all', async () => {
    const teacher = await aUser('instructor');
    const alice = await aUser();
    const course = await aCourse(teacher);
    const post = await aPost(course, alice);
    const target = postTarget(post);
    await repos.interactions.addComment({ target, userId: alice.id, type: 'comment', content: 'mine' }, null);
    const theirs = await repos.interactions.addComment(
      { target, userId: teacher.id, type: 'comment', content: 'yours' },
      null,
    );
    await repos.interactions.setLike({ target, userId: teacher.id, liked: true, notification: null });
    await repos.interactions.setLike({ target, userId: alice.id, liked: true, notification: null });

    const feed = await sent(() => repos.interactions.listOnOwnedTargets(alice.id, null, 10));
    expect(feed.names).toEqual(['QueryCommand']);
    expect(feed.result.map((i) => [i.type, i.userId])).toEqual([
      ['like', teacher.id],
      ['comment', teacher.id],
    ]);
    const older = await repos.interactions.listOnOwnedTargets(
      alice.id,
      { at: feed.result[0].createdAt, id: feed.result[0].id },
      10,
    );
    expect(older.map((i) => i.id)).toEqual([theirs.id]);

    await repos.posts.delete(post.id);
    expect(await repos.posts.getById(post.id)).toBeNull();
    expect(await repos.interactions.listOnOwnedTargets(alice.id, null, 10)).toEqual([]);
    const like = await ctx.doc.send(
      new GetCommand({ TableName: ctx.tables.interactions, Key: interactionKey(`like_post_${post.id}_${teacher.id}`) }),
    );
    expect(like.Item).toBeUndefined();
    await expect(repos.posts.delete(post.id)).rejects.toBeInstanceOf(DataNotFoundError);
    await expect(
      repos.interactions.addComment({ target, userId: teacher.id, type: 'comment', content: 'late' }, null),
    ).rejects.toBeInstanceOf(DataNotFoundError);
    expect(await repos.posts.getById(post.id)).toBeNull();
  });

  it('deletes a post with more interactions than one transaction holds', async () => {
    const teacher = await aUser('instructor');
    const course = await aCourse(teacher);
    const post = await aPost(course, teacher);
    const target = postTarget(post);
    const made = [];
    for (let i = 0; i < 140; i += 20) {
      made.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, () =>
            repos.interactions.addComment({ target, userId: teacher.id, type: 'comment', content: 'c' }, null),
          ),
        )),
      );
    }
    const run = await sent(() => repos.posts.delete(post.id));
    expect(run.names.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(2);
    expect(await repos.posts.getById(post.id)).toBeNull();
    expect((await repos.interactions.listComments(target)).items).toEqual([]);
    expect(await repos.interactions.getById(made[0].id)).toBeNull();
    expect(await repos.interactions.getById(made[139].id)).toBeNull();
  });

  it('connections: one row per pair, both sides listed newest first across pages', async () => {
    const me = await aUser();
    const others = await Promise.all(Array.from({ length: 5 }, () => aUser()));
    for (const [i, other] of others.entries()) {
      const [requesterId, requestedId] = i % 2 ? [me.id, other.id] : [other.id, me.id];
      expect((await repos.connections.request({ requesterId, requestedId, notification: null })).created).toBe(true);
    }
    await expect(
      repos.connections.request({ requesterId: me.id, requestedId: 'nobody', notification: null }),
    ).rejects.toBeInstanceOf(DataNotFoundError);
    expect(await repos.connections.get(connectionIdFor(me.id, 'nobody'))).toBeNull();
    const dup = await repos.connections.request({ requesterId: me.id, requestedId: others[0].id, notification: null });
    expect(dup.created).toBe(false);
    expect(dup.connection.requesterId).toBe(others[0].id);

    const accepted = await repos.connections.accept(connectionIdFor(me.id, others[0].id), null);
    expect(accepted.status).toBe('accepted');
    await expect(repos.connections.accept(accepted.connectionId, null)).rejects.toBeInstanceOf(DataConflictError);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await sent(() => repos.connections.listByUser(me.id, {}, { limit: 2, cursor }));
      expect(page.names).toEqual(['QueryCommand', 'QueryCommand']);
      seen.push(...page.result.items.map((c) => c.connectionId));
      cursor = page.result.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen[0]).toBe(accepted.connectionId);
    expect(new Set(seen).size).toBe(5);
    expect(seen).toHaveLength(5);

    const pending = await repos.connections.listByUser(me.id, { status: 'pending' }, { limit: 10 });
    expect(pending.items).toHaveLength(4);
    expect(pending.items.every((c) => c.status === 'pending')).toBe(true);
    const first = await repos.connections.listByUser(me.id, {}, { limit: 1 });
    await expect(
      repos.connections.listByUser(me.id, { status: 'pending' }, { cursor: first.nextCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);

    await repos.connections.remove(accepted.connectionId);
    expect(await repos.connections.get(accepted.connectionId)).toBeNull();
    await expect(repos.connections.remove(accepted.connectionId)).rejects.toBeInstanceOf(DataNotFoundError);
    expect(
      (await repos.connections.getMany([accepted.connectionId, connectionIdFor(me.id, others[1].id)])).length,
    ).toBe(1);
  });

  it('the directory search walks every match once, in name order, whatever the filter drops', async () => {
    const tag = `zq${Date.now().toString(36)}`;
    const made: User[] = [];
    for (let i = 0; i < 12; i++) {
      made.push(
        await aUser(i % 3 ? 'student' : 'instructor', {
          firstName: `N${i % 4}`,
          lastName: `${tag}${String(11 - i).padStart(2, '0')}`,
        }),
      );
    }
    // Many users that do not match, so the filter drops most of what a Query reads.
    await Promise.all(Array.from({ length: 60 }, () => aUser()));
    const expected = made
      .filter((u) => u.role === 'student')
      .sort((a, b) => (a.lastName < b.lastName ? -1 : 1))
      .map((u) => u.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page = await sent(() =>
        repos.users.search({ term: ` ${tag.toUpperCase()} `, role: 'student' }, { limit: 3, cursor }),
      );
      expect(page.names.every((c) => c === 'QueryCommand')).toBe(true);
      expect(page.names.length).toBeLessThanOrEqual(4);
      seen.push(...page.result.items.map((u) => u.id));
      cursor = page.result.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(expected);

    // Renaming moves the user in the directory; "first last" matches across the two names.
    await repos.users.update(made[0].id, { firstName: 'Quentin' });
    const hit = await repos.users.search({ term: `quentin ${tag}` });
    expect(hit.items.map((u) => u.id)).toEqual([made[0].id]);
    const otherSearch = await repos.users.search({ term: tag }, { limit: 1 });
    await expect(repos.users.search({ term: `${tag}0` }, { cursor: otherSearch.nextCursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('publishedAt is set on the first publish and kept; the feed index follows the status', async () => {
    const teacher = await aUser('instructor');
    const course = await aCourse(teacher);
    const draft = await repos.assignments.create(assignmentInput(course.id, teacher.id, { status: 'draft' }));
    expect(draft.publishedAt).toBeNull();
    const feed = () => repos.assignments.listPublishedForFeed({ courseIds: [course.id], before: null, limit: 10 });
    expect(await feed()).toEqual([]);
    const published = await repos.assignments.update(draft.id, { status: 'published' });
    expect(published.publishedAt).not.toBeNull();
    expect((await feed()).map((a) => a.id)).toEqual([draft.id]);
    await repos.assignments.update(draft.id, { status: 'archived' });
    expect(await feed()).toEqual([]);
    const closed = await repos.assignments.update(draft.id, { status: 'closed', title: 'T2' });
    expect(closed.publishedAt).toBe(published.publishedAt);
    expect((await feed()).map((a) => a.title)).toEqual(['T2']);
  });
});
