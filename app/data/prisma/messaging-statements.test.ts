/**
 * The Postgres adapter's messaging writes are ONE SQL statement each (message + both summaries
 * + notification + outbox entries; a collapsing like with its outbox entry; a claim with its
 * lease), so none holds the embedded server's single connection across round trips. Counted
 * at the wire on embedded PGlite, like community-statements.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentInput, notificationFor, submissionBundle, videoTarget } from '../contract/builders';
import { aJoinCode, aUser } from '../contract/repository-contract';
import { conversationIdFor, systemClock, type Repositories } from '../repository';
import { countedPglite, type CountedBackend } from '../../../tests/counted-backends';

let backend: CountedBackend;
let repos: Repositories;
const sql: string[] = [];

beforeAll(async () => {
  backend = await countedPglite(systemClock, (statement) => sql.push(statement));
  repos = backend.repos;
}, 120_000);

afterAll(async () => {
  await backend?.stop();
});

async function statements(run: () => Promise<unknown>): Promise<string[]> {
  const before = sql.length;
  await run();
  return sql.slice(before);
}

describe('messaging writes on Postgres are single statements', () => {
  it('a send with its notification is one statement', async () => {
    const [ann, ben] = await Promise.all([repos.users.create(aUser()), repos.users.create(aUser())]);
    const sent = await statements(() =>
      repos.messages.send(
        { fromUserId: ann.id, toUserId: ben.id, content: 'hi' },
        notificationFor(ben, ann, 'message'),
      ),
    );
    expect(sent).toHaveLength(1);
    expect(
      await statements(() => repos.messages.markThreadRead(conversationIdFor(ann.id, ben.id), ben.id)),
    ).toHaveLength(1);
    expect(await repos.messages.countUnread(ben.id)).toBe(0);
  });

  it('a collapsing like is one statement, and a claim is one statement', async () => {
    const teacher = await repos.users.create(aUser({ role: 'instructor' }));
    const course = await repos.courses.create({
      title: 'S',
      code: 'S',
      instructorId: teacher.id,
      joinCode: aJoinCode(),
    });
    const assignment = await repos.assignments.create(assignmentInput(course.id, teacher.id));
    const [owner, fan] = await Promise.all([repos.users.create(aUser()), repos.users.create(aUser())]);
    const bundle = submissionBundle(assignment, owner);
    await repos.submissions.createWithVideo(bundle);
    const video = (await repos.videos.getById(bundle.video.id))!;
    const liked = await statements(() =>
      repos.interactions.setLike({
        target: videoTarget(video),
        userId: fan.id,
        liked: true,
        notification: { ...notificationFor(owner, fan, 'like', video.id), collapseKey: `like:video:${video.id}` },
      }),
    );
    expect(liked).toHaveLength(1);
    expect(liked[0]).toMatch(/INSERT INTO outbox/);
    expect(await statements(() => repos.outbox.claimDue(10, 1000))).toHaveLength(1);
  });
});
