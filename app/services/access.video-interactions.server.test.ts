/** The "video interactions" rules of access.server.ts, each on its own, on the real adapter. */
import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  classGalleryScope,
  isSubmissionFeedback,
  mayDeleteVideoComment,
  requireAssignmentAccess,
  requireOwnResponseVideo,
  requireVideoCommentDeleter,
  requireVideoInteraction,
} from './access.server';

const world = setupServiceContext();
const { aClass, aSubmission, anAssignment } = builders(world);

async function videos() {
  const c = await aClass();
  const hidden = await anAssignment(c.course, { visibility: 'private' });
  const open = await aSubmission(c.alice, c.assignment);
  const secret = await aSubmission(c.alice, hidden);
  return { ...c, hidden, openVideo: open.videoId, privateVideo: secret.videoId };
}

describe('requireVideoInteraction', () => {
  it('whoever may watch may interact, and gets the video as a proved target', async () => {
    const { alice, bob, teacher, admin, openVideo, privateVideo, course } = await videos();
    const access = await requireVideoInteraction(world.ctx, bob, openVideo);
    expect(access.target).toEqual({ type: 'video', id: openVideo, courseId: course.id, ownerId: alice.id });
    for (const viewer of [alice, teacher, admin]) {
      expect((await requireVideoInteraction(world.ctx, viewer, privateVideo)).video.id).toBe(privateVideo);
    }
  });

  it('a classmate on a private video, an outsider and nobody are refused as watching is', async () => {
    const { bob, outsider, otherTeacher, openVideo, privateVideo } = await videos();
    await expectStatus(requireVideoInteraction(world.ctx, bob, privateVideo), 404);
    await expectStatus(requireVideoInteraction(world.ctx, outsider, openVideo), 404);
    await expectStatus(requireVideoInteraction(world.ctx, otherTeacher, openVideo), 404);
    await expectStatus(requireVideoInteraction(world.ctx, null, openVideo), 401);
  });
});

describe('deleting comments', () => {
  it('the author and the course’s moderators may; the video’s owner and classmates may not', async () => {
    const { alice, bob, teacher, admin, openVideo } = await videos();
    const comment = { userId: bob.id };
    const as = async (who: typeof alice) => requireVideoInteraction(world.ctx, who, openVideo);
    expect(mayDeleteVideoComment(await as(bob), comment)).toBe(true);
    expect(mayDeleteVideoComment(await as(teacher), comment)).toBe(true);
    expect(mayDeleteVideoComment(await as(admin), comment)).toBe(true);
    expect(mayDeleteVideoComment(await as(alice), comment)).toBe(false);
    expect(() => requireVideoCommentDeleter({ user: alice, isInstructor: false }, comment)).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });
});

describe('responses and feedback', () => {
  it('a response video must be your own (and one you can see)', async () => {
    const { alice, bob, openVideo, privateVideo } = await videos();
    expect((await requireOwnResponseVideo(world.ctx, alice, privateVideo)).id).toBe(privateVideo);
    await expectStatus(requireOwnResponseVideo(world.ctx, bob, openVideo), 403);
    await expectStatus(requireOwnResponseVideo(world.ctx, bob, privateVideo), 404);
  });

  it('only the instructor’s word on a submission video is feedback', async () => {
    const { bob, teacher, openVideo } = await videos();
    expect(isSubmissionFeedback(await requireVideoInteraction(world.ctx, teacher, openVideo))).toBe(true);
    expect(isSubmissionFeedback(await requireVideoInteraction(world.ctx, bob, openVideo))).toBe(false);
  });
});

describe('classGalleryScope', () => {
  it('class assignments: members see class videos and their own; private: only who teaches', async () => {
    const { bob, teacher, assignment, hidden } = await videos();
    const member = await requireAssignmentAccess(world.ctx, bob, assignment.id);
    expect(classGalleryScope(member)).toEqual({ viewerId: bob.id, includePrivate: false });
    expect(classGalleryScope(await requireAssignmentAccess(world.ctx, bob, hidden.id))).toBeNull();
    const teaching = await requireAssignmentAccess(world.ctx, teacher, hidden.id);
    expect(classGalleryScope(teaching)).toEqual({ viewerId: teacher.id, includePrivate: true });
  });
});
