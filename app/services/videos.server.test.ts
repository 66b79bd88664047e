import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { getVideo, listVideos, watchVideo } from './videos.server';

const world = setupServiceContext();
const { aClass, anAssignment, aSubmission } = builders(world);

async function videos() {
  const c = await aClass();
  const hidden = await anAssignment(c.course, { visibility: 'private' });
  const open = await aSubmission(c.alice, c.assignment);
  const secret = await aSubmission(c.alice, hidden);
  return { ...c, hidden, openVideo: open.videoId, privateVideo: secret.videoId };
}

describe('watching one video', () => {
  it('its owner watches it, private or not', async () => {
    const { alice, openVideo, privateVideo } = await videos();
    for (const id of [openVideo, privateVideo]) {
      const watched = await watchVideo(world.ctx, alice, id);
      expect(watched.video.id).toBe(id);
      expect(watched.canSeeSubmission).toBe(true);
    }
  });

  it('a classmate watches a class-visible video but not its submission', async () => {
    const { bob, openVideo } = await videos();
    const watched = await watchVideo(world.ctx, bob, openVideo);
    expect(watched.canSeeSubmission).toBe(false);
  });

  it('a classmate gets 404 for a private video', async () => {
    const { bob, privateVideo } = await videos();
    await expectStatus(watchVideo(world.ctx, bob, privateVideo), 404);
    await expectStatus(getVideo(world.ctx, bob, privateVideo), 404);
  });

  it('the instructor and an admin watch private videos', async () => {
    const { teacher, admin, privateVideo } = await videos();
    expect((await watchVideo(world.ctx, teacher, privateVideo)).isInstructor).toBe(true);
    expect((await getVideo(world.ctx, admin, privateVideo)).id).toBe(privateVideo);
  });

  it('someone outside the course gets 404 even for a class-visible video', async () => {
    const { outsider, otherTeacher, openVideo } = await videos();
    await expectStatus(watchVideo(world.ctx, outsider, openVideo), 404);
    await expectStatus(getVideo(world.ctx, otherTeacher, openVideo), 404);
  });

  it('a view is counted once per viewer per day', async () => {
    const { bob, teacher, openVideo } = await videos();
    await watchVideo(world.ctx, bob, openVideo);
    await watchVideo(world.ctx, bob, openVideo);
    const { video } = await watchVideo(world.ctx, teacher, openVideo);
    expect(video.views).toBe(2);
  });
});

describe('video lists', () => {
  it('a classmate’s course list has class videos, not others’ private ones', async () => {
    const { bob, course, openVideo, privateVideo } = await videos();
    const { videos: list } = await listVideos(world.ctx, bob, { courseId: course.id });
    const ids = list.map((v) => v.id);
    expect(ids).toContain(openVideo);
    expect(ids).not.toContain(privateVideo);
  });

  it('the instructor’s course list includes private videos', async () => {
    const { teacher, course, privateVideo } = await videos();
    const { videos: list } = await listVideos(world.ctx, teacher, { courseId: course.id });
    expect(list.map((v) => v.id)).toContain(privateVideo);
  });

  it('an assignment list follows the same rule', async () => {
    const { bob, teacher, hidden, privateVideo } = await videos();
    expect((await listVideos(world.ctx, bob, { assignmentId: hidden.id })).videos).toEqual([]);
    const forTeacher = await listVideos(world.ctx, teacher, { assignmentId: hidden.id });
    expect(forTeacher.videos.map((v) => v.id)).toEqual([privateVideo]);
  });

  it('listing by another user’s id is refused unless admin', async () => {
    const { alice, bob, admin, privateVideo } = await videos();
    await expectStatus(listVideos(world.ctx, bob, { userId: alice.id }), 403);
    const all = await listVideos(world.ctx, admin, { userId: alice.id });
    expect(all.videos.map((v) => v.id)).toContain(privateVideo);
  });

  it('outsiders cannot list a course', async () => {
    const { outsider, course } = await videos();
    await expectStatus(listVideos(world.ctx, outsider, { courseId: course.id }), 403);
  });
});
