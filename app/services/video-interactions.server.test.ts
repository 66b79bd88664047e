import { describe, expect, it } from 'vitest';
import type { User } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  addSubmissionFeedback,
  addVideoComment,
  deleteVideoComment,
  likeVideo,
  listVideoInteractions,
  postVideoInteraction,
} from './video-interactions.server';

const world = setupServiceContext();
const { aClass, anAssignment, aSubmission } = builders(world);

/** Alice's class-visible video and her private one, in a class with Bob. */
async function videos() {
  const c = await aClass();
  const hidden = await anAssignment(c.course, { visibility: 'private' });
  const open = await aSubmission(c.alice, c.assignment);
  const secret = await aSubmission(c.alice, hidden);
  return { ...c, openVideo: open.videoId, privateVideo: secret.videoId, submissionId: open.id };
}

async function notificationsOf(user: User) {
  return (await world.ctx.repos.notifications.listByRecipient(user.id, { limit: 100 })).items;
}

const video = (id: string) => world.ctx.repos.videos.getById(id);

describe('who may discuss a video', () => {
  it('a classmate comments on a class-visible video; the count and the owner’s notification follow', async () => {
    const { alice, bob, openVideo } = await videos();
    const comment = await addVideoComment(world.ctx, bob, openVideo, { content: '  Great intro!  ' });
    expect(comment).toMatchObject({ content: 'Great intro!', type: 'comment', userId: bob.id, isFeedback: false });
    expect(comment.author.name).toBe(`${bob.firstName} ${bob.lastName}`);
    expect((await video(openVideo))?.commentCount).toBe(1);
    const [note] = await notificationsOf(alice);
    expect(note).toMatchObject({ type: 'comment', senderId: bob.id, relatedId: openVideo });
  });

  it('a private video of someone else is 404 for comments, likes and the list', async () => {
    const { bob, outsider, privateVideo, openVideo } = await videos();
    await expectStatus(addVideoComment(world.ctx, bob, privateVideo, { content: 'hi' }), 404);
    await expectStatus(likeVideo(world.ctx, bob, privateVideo, {}), 404);
    await expectStatus(listVideoInteractions(world.ctx, bob, privateVideo, {}), 404);
    await expectStatus(likeVideo(world.ctx, outsider, openVideo, {}), 404);
    await expectStatus(addVideoComment(world.ctx, outsider, openVideo, { content: 'hi' }), 404);
    expect((await video(privateVideo))?.likeCount).toBe(0);
  });

  it('nobody signed in is 401; an unknown video is 404', async () => {
    const { bob, openVideo } = await videos();
    await expectStatus(addVideoComment(world.ctx, null, openVideo, { content: 'hi' }), 401);
    await expectStatus(likeVideo(world.ctx, bob, 'no-such-video', {}), 404);
  });

  it('the owner and the instructor discuss a private video', async () => {
    const { alice, teacher, privateVideo } = await videos();
    await addVideoComment(world.ctx, alice, privateVideo, { content: 'My notes' });
    await addVideoComment(world.ctx, teacher, privateVideo, { content: 'Good pace', atSeconds: 3 });
    const { interactions } = await listVideoInteractions(world.ctx, alice, privateVideo, {});
    expect(interactions.map((i) => i.content)).toEqual(['Good pace', 'My notes']);
  });
});

describe('what a comment may say', () => {
  it('empty or oversize content is a 400 and nothing is written', async () => {
    const { bob, openVideo } = await videos();
    await expectStatus(addVideoComment(world.ctx, bob, openVideo, { content: '   ' }), 400);
    await expectStatus(addVideoComment(world.ctx, bob, openVideo, {}), 400);
    await expectStatus(addVideoComment(world.ctx, bob, openVideo, { content: 'x'.repeat(2001) }), 400);
    await expectStatus(addVideoComment(world.ctx, bob, openVideo, { content: 7 }), 400);
    expect((await addVideoComment(world.ctx, bob, openVideo, { content: 'x'.repeat(2000) })).content).toHaveLength(
      2000,
    );
    expect((await video(openVideo))?.commentCount).toBe(1);
  });

  it('a moment is seconds or m:ss, within the video', async () => {
    const { bob, openVideo } = await videos();
    expect((await addVideoComment(world.ctx, bob, openVideo, { content: 'a', atSeconds: 12.5 })).atSeconds).toBe(12.5);
    expect((await addVideoComment(world.ctx, bob, openVideo, { content: 'b', atSeconds: '1:05' })).atSeconds).toBe(65);
    expect((await addVideoComment(world.ctx, bob, openVideo, { content: 'c', atSeconds: '' })).atSeconds).toBeNull();
    for (const atSeconds of [-1, 'soon', '1:75', true, 24 * 3600 + 1]) {
      await expectStatus(addVideoComment(world.ctx, bob, openVideo, { content: 'd', atSeconds }), 400);
    }
  });

  it('ratings and unknown types are refused', async () => {
    const { bob, openVideo } = await videos();
    await expectStatus(postVideoInteraction(world.ctx, bob, openVideo, { type: 'rating', rating: 5 }), 400);
    await expectStatus(postVideoInteraction(world.ctx, bob, openVideo, { type: 'poke', content: 'x' }), 400);
    await expectStatus(listVideoInteractions(world.ctx, bob, openVideo, { type: 'like' }), 400);
  });
});

describe('replies and responses', () => {
  it('a reply sits under its comment, counts, and tells the comment’s author', async () => {
    const { alice, bob, teacher, openVideo } = await videos();
    const top = await addVideoComment(world.ctx, bob, openVideo, { content: 'Question?' });
    const reply = await addVideoComment(world.ctx, teacher, openVideo, { content: 'Answer.', parentId: top.id });
    expect(reply.parentId).toBe(top.id);
    const { interactions } = await listVideoInteractions(world.ctx, alice, openVideo, {});
    expect(interactions).toHaveLength(1);
    expect(interactions[0].replies?.map((r) => [r.content, r.author.id])).toEqual([['Answer.', teacher.id]]);
    expect((await video(openVideo))?.commentCount).toBe(2);
    expect((await notificationsOf(bob)).map((n) => n.senderId)).toEqual([teacher.id]);
  });

  it('replies are one level deep and stay on their video', async () => {
    const { alice, bob, openVideo, privateVideo } = await videos();
    const top = await addVideoComment(world.ctx, bob, openVideo, { content: 'Top' });
    const reply = await addVideoComment(world.ctx, alice, openVideo, { content: 'Re', parentId: top.id });
    await expectStatus(addVideoComment(world.ctx, bob, openVideo, { content: 'Re re', parentId: reply.id }), 400);
    await expectStatus(addVideoComment(world.ctx, alice, privateVideo, { content: 'x', parentId: top.id }), 400);
    await expectStatus(addVideoComment(world.ctx, bob, openVideo, { content: 'x', parentId: 'nope' }), 400);
  });

  it('a response links a video of your own that you can see', async () => {
    const { alice, bob, course, openVideo, privateVideo } = await videos();
    const bobs = await aSubmission(bob, await anAssignment(course));
    const response = await addVideoComment(world.ctx, bob, openVideo, {
      type: 'response',
      content: 'My take',
      responseVideoId: bobs.videoId,
    });
    expect(response).toMatchObject({ type: 'response', responseVideoId: bobs.videoId });
    expect((await notificationsOf(alice))[0]).toMatchObject({ type: 'response', senderId: bob.id });
    // Someone else's video (even one Bob cannot see) and a missing one are refused.
    await expectStatus(
      addVideoComment(world.ctx, bob, openVideo, { type: 'response', content: 'x', responseVideoId: privateVideo }),
      404,
    );
    await expectStatus(
      addVideoComment(world.ctx, alice, bobs.videoId, {
        type: 'response',
        content: 'x',
        responseVideoId: bobs.videoId,
      }),
      400,
    );
    await expectStatus(
      addVideoComment(world.ctx, bob, openVideo, { type: 'response', content: 'x', responseVideoId: openVideo }),
      400,
    );
    await expectStatus(addVideoComment(world.ctx, bob, openVideo, { type: 'response', content: 'x' }), 400);
  });
});

describe('deleting and moderating', () => {
  it('the author deletes their comment with its replies; the count drops by all of them', async () => {
    const { alice, bob, openVideo } = await videos();
    const top = await addVideoComment(world.ctx, bob, openVideo, { content: 'Top' });
    await addVideoComment(world.ctx, alice, openVideo, { content: 'Re', parentId: top.id });
    await deleteVideoComment(world.ctx, bob, openVideo, top.id);
    expect((await video(openVideo))?.commentCount).toBe(0);
    expect((await listVideoInteractions(world.ctx, bob, openVideo, {})).interactions).toEqual([]);
  });

  it('the video’s owner is not a moderator; the instructor and an admin are', async () => {
    const { alice, bob, teacher, admin, openVideo } = await videos();
    const first = await addVideoComment(world.ctx, bob, openVideo, { content: 'one' });
    const second = await addVideoComment(world.ctx, bob, openVideo, { content: 'two' });
    const listed = await listVideoInteractions(world.ctx, alice, openVideo, {});
    expect(listed.interactions.every((i) => !i.canDelete)).toBe(true);
    await expectStatus(deleteVideoComment(world.ctx, alice, openVideo, first.id), 403);
    await deleteVideoComment(world.ctx, teacher, openVideo, first.id);
    await deleteVideoComment(world.ctx, admin, openVideo, second.id);
    expect((await video(openVideo))?.commentCount).toBe(0);
  });

  it('a comment of another video, or none at all, is 404', async () => {
    const { alice, bob, course, openVideo } = await videos();
    const other = await aSubmission(bob, await anAssignment(course));
    const elsewhere = await addVideoComment(world.ctx, alice, other.videoId, { content: 'x' });
    await expectStatus(deleteVideoComment(world.ctx, alice, openVideo, elsewhere.id), 404);
    await expectStatus(deleteVideoComment(world.ctx, alice, openVideo, 'missing'), 404);
  });
});

describe('likes', () => {
  it('absent isLiked toggles; explicit true twice counts once', async () => {
    const { alice, bob, openVideo } = await videos();
    expect(await likeVideo(world.ctx, bob, openVideo, {})).toMatchObject({ liked: true, likeCount: 1 });
    expect(await likeVideo(world.ctx, bob, openVideo, {})).toMatchObject({ liked: false, likeCount: 0 });
    await likeVideo(world.ctx, bob, openVideo, { isLiked: 'true' });
    expect(await likeVideo(world.ctx, bob, openVideo, { isLiked: true })).toMatchObject({ liked: true, likeCount: 1 });
    const { isLiked, likes } = await listVideoInteractions(world.ctx, bob, openVideo, {});
    expect({ isLiked, likes }).toEqual({ isLiked: true, likes: 1 });
    await expectStatus(likeVideo(world.ctx, bob, openVideo, { isLiked: 'maybe' }), 400);
    // Both likes are Bob's on one video: they collapse into one notification, one actor.
    const likeNotes = (await notificationsOf(alice)).filter((n) => n.type === 'like');
    expect(likeNotes.map((n) => [n.senderId, n.actorCount])).toEqual([[bob.id, 1]]);
  });

  it('liking or commenting on your own video notifies nobody', async () => {
    const { alice, openVideo } = await videos();
    await likeVideo(world.ctx, alice, openVideo, { isLiked: true });
    await addVideoComment(world.ctx, alice, openVideo, { content: 'note to self' });
    expect(await notificationsOf(alice)).toEqual([]);
  });
});

describe('time-coded feedback', () => {
  it('the instructor’s comment on a submission video is feedback; a classmate’s is not', async () => {
    const { alice, bob, teacher, openVideo, submissionId } = await videos();
    const feedback = await addSubmissionFeedback(world.ctx, teacher, submissionId, {
      content: 'Slow down',
      atSeconds: '0:02',
    });
    expect(feedback).toMatchObject({ isFeedback: true, atSeconds: 2, videoId: openVideo });
    expect((await addVideoComment(world.ctx, bob, openVideo, { content: 'nice' })).isFeedback).toBe(false);
    const titles = (await notificationsOf(alice)).map((n) => n.title);
    expect(titles).toContain(`Feedback on "${(await video(openVideo))?.title}"`);
  });

  it('only the grader leaves feedback from the submission page', async () => {
    const { alice, bob, otherTeacher, submissionId } = await videos();
    await expectStatus(addSubmissionFeedback(world.ctx, alice, submissionId, { content: 'x' }), 403);
    await expectStatus(addSubmissionFeedback(world.ctx, bob, submissionId, { content: 'x' }), 403);
    await expectStatus(addSubmissionFeedback(world.ctx, otherTeacher, submissionId, { content: 'x' }), 403);
  });
});

describe('listing', () => {
  it('pages newest first with a cursor; authors come with each comment', async () => {
    const { alice, bob, openVideo } = await videos();
    for (const content of ['one', 'two', 'three']) await addVideoComment(world.ctx, bob, openVideo, { content });
    const first = await listVideoInteractions(world.ctx, alice, openVideo, {}, { limit: 2 });
    expect(first.interactions.map((i) => i.content)).toEqual(['three', 'two']);
    const rest = await listVideoInteractions(world.ctx, alice, openVideo, {}, { limit: 2, cursor: first.nextCursor });
    expect(rest.interactions.map((i) => i.content)).toEqual(['one']);
    expect(rest.nextCursor).toBeNull();
    expect(rest.interactions[0]).toMatchObject({ userId: bob.id, userName: `${bob.firstName} ${bob.lastName}` });
    expect(JSON.stringify(rest)).not.toContain(bob.email);
  });
});
