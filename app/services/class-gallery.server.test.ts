import { describe, expect, it } from 'vitest';
import { builders, setupServiceContext } from '../../tests/service-context';
import { requireAssignmentAccess } from './access.server';
import { loadClassGallery } from './class-gallery.server';

const world = setupServiceContext();
const { aClass, aSubmission } = builders(world);

describe('the class gallery', () => {
  it("on a class-visible assignment a classmate sees everyone's videos, newest first, with authors and posters", async () => {
    const { alice, bob, assignment } = await aClass({ visibility: 'class' });
    await aSubmission(alice, assignment);
    await aSubmission(bob, assignment);
    const gallery = await loadClassGallery(world.ctx, await requireAssignmentAccess(world.ctx, bob, assignment.id));
    expect(gallery?.videos.map((v) => [v.author.name.split(' ')[0], v.isOwn])).toEqual([
      ['Bob', true],
      ['Alice', false],
    ]);
    for (const video of gallery!.videos) {
      expect(video.posterUrl).toMatch(/^https?:\/\/.+#t=0\.1$/);
      expect(video.pageUrl).toBe(`/videos/${video.id}`);
    }
    expect(gallery?.nextCursor).toBeNull();
  });

  it('on a private assignment students have no gallery, while the instructor sees every video', async () => {
    const { alice, bob, teacher, assignment } = await aClass({ visibility: 'private' });
    await aSubmission(alice, assignment);
    await aSubmission(bob, assignment);
    expect(await loadClassGallery(world.ctx, await requireAssignmentAccess(world.ctx, bob, assignment.id))).toBeNull();
    const seen = await loadClassGallery(world.ctx, await requireAssignmentAccess(world.ctx, teacher, assignment.id));
    expect(seen?.videos).toHaveLength(2);
    expect(seen?.videos.every((v) => !v.isOwn)).toBe(true);
  });

  it('pages by cursor without repeating a video', async () => {
    const { alice, bob, assignment } = await aClass({ visibility: 'class' });
    await aSubmission(alice, assignment);
    await aSubmission(bob, assignment);
    const access = await requireAssignmentAccess(world.ctx, alice, assignment.id);
    const first = await loadClassGallery(world.ctx, access, { limit: 1 });
    const second = await loadClassGallery(world.ctx, access, { limit: 1, cursor: first?.nextCursor });
    expect(first?.videos).toHaveLength(1);
    expect(second?.videos).toHaveLength(1);
    expect(second?.videos[0]?.id).not.toBe(first?.videos[0]?.id);
  });
});
