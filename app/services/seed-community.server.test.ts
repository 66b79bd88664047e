/**
 * The demo community seed on its own, against PGlite: a course's posts, comments with a reply,
 * likes with their counts, study-buddy connections and the notifications they send; and a
 * second run adds nothing. (seed.server.test.ts runs it as part of the whole demo, on both backends.)
 */
import { describe, expect, it } from 'vitest';
import { builders, setupServiceContext } from '../../tests/service-context';
import { seedCommunity } from './seed-community.server';

const world = setupServiceContext();
const make = builders(world);

async function aDemoCourse() {
  const instructor = await make.aUser('instructor');
  const [leo, aisha, tom, priya] = await Promise.all(
    ['Leo', 'Aisha', 'Tom', 'Priya'].map((firstName) => make.aUser('student', { firstName })),
  );
  const students = { leo: leo!, aisha: aisha!, tom: tom!, priya: priya! };
  const course = await make.aCourse(instructor, Object.values(students));
  return { instructor, students, course };
}

describe('seedCommunity', () => {
  it('fills a course with posts, a reply, likes and study buddies, each notifying its person', async () => {
    const { repos } = world.ctx;
    const { instructor, students, course } = await aDemoCourse();
    const { leo, aisha, tom, priya } = students;

    await seedCommunity(world.ctx, instructor, course.id, students);

    const posts = (await repos.posts.listByCourse(course.id, { limit: 10 })).items;
    expect(posts.map((p) => p.title).sort()).toEqual([
      'A good mitochondria explainer',
      'Study group for the DNA assignment?',
      'Welcome to BIO-101',
    ]);
    const byTitle = (title: string) => posts.find((p) => p.title === title)!;
    const welcome = byTitle('Welcome to BIO-101');
    const studyGroup = byTitle('Study group for the DNA assignment?');
    expect(welcome).toMatchObject({ authorId: instructor.id, isAnnouncement: true, likeCount: 2 });
    expect(studyGroup).toMatchObject({ authorId: aisha.id, likeCount: 1, commentCount: 2 });
    expect(byTitle('A good mitochondria explainer')).toMatchObject({ authorId: tom.id, commentCount: 1 });

    const [signUp] = (await repos.interactions.listComments({ type: 'post', id: studyGroup.id })).items;
    expect(signUp).toMatchObject({ userId: priya.id, replyCount: 1 });
    const [reply] = await repos.interactions.listReplies([signUp!], 10);
    expect(reply).toMatchObject({ userId: aisha.id, parentId: signUp!.id });

    const leosBuddies = (await repos.connections.listByUser(leo.id)).items;
    expect(leosBuddies.map((c) => c.status).sort()).toEqual(['accepted', 'pending']);
    expect((await repos.connections.listByUser(tom.id, { status: 'accepted' })).items).toHaveLength(1);

    // Aisha hears of Priya's comment and like on her post, and of Leo's study-buddy request;
    // Leo, that she accepted it.
    const aishas = (await repos.notifications.listByRecipient(aisha.id)).items.map((n) => n.type).sort();
    expect(aishas).toEqual(expect.arrayContaining(['comment', 'connection_request', 'like']));
    const leos = (await repos.notifications.listByRecipient(leo.id)).items.map((n) => n.type);
    expect(leos).toContain('connection_accepted');
    // The instructor's announcement was liked twice: one collapsed notification.
    const likes = (await repos.notifications.listByRecipient(instructor.id)).items.filter((n) => n.type === 'like');
    expect(likes).toHaveLength(1);
    expect(likes[0]!.actorCount).toBe(2);
  });

  it('adds nothing when the course has posts already', async () => {
    const { repos } = world.ctx;
    const { instructor, students, course } = await aDemoCourse();
    await seedCommunity(world.ctx, instructor, course.id, students);
    const before = (await repos.posts.listByCourse(course.id, { limit: 10 })).items;
    await seedCommunity(world.ctx, instructor, course.id, students);
    const after = (await repos.posts.listByCourse(course.id, { limit: 10 })).items;
    expect(after).toEqual(before);
    expect((await repos.connections.listByUser(students.leo.id)).items).toHaveLength(2);
  });
});
