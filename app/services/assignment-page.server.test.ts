import { describe, expect, it } from 'vitest';
import { builders, days, expectStatus, setupServiceContext } from '../../tests/service-context';
import { getAssignmentPage } from './assignment-page.server';
import { addVideoComment, likeVideo } from './video-interactions.server';

const world = setupServiceContext();
const { aClass, anAssignment, aSubmission } = builders(world);

describe('getAssignmentPage', () => {
  it('the instructor sees every student with their status', async () => {
    const { teacher, alice, bob, assignment } = await aClass();
    await aSubmission(alice, assignment);
    const page = await getAssignmentPage(world.ctx, teacher, assignment.id);
    if (page.role !== 'instructor') throw new Error('expected the instructor view');
    expect(page.students.map((s) => [s.studentId, s.status]).sort()).toEqual(
      [
        [alice.id, 'submitted'],
        [bob.id, 'not-submitted'],
      ].sort(),
    );
  });

  it('a student sees only their own work and an upload form while they may submit', async () => {
    const { alice, bob, assignment } = await aClass();
    await aSubmission(bob, assignment);
    const page = await getAssignmentPage(world.ctx, alice, assignment.id);
    if (page.role !== 'student') throw new Error('expected the student view');
    expect(page.submissions).toEqual([]);
    expect(page.canSubmit).toBe(true);
    expect(page.uploadForm).not.toBeNull();
  });

  it('after the due date a student who handed in may not replace it', async () => {
    const { alice, assignment } = await aClass();
    await aSubmission(alice, assignment);
    world.clock.advance(days(8));
    try {
      const page = await getAssignmentPage(world.ctx, alice, assignment.id);
      if (page.role !== 'student') throw new Error('expected the student view');
      expect(page.canSubmit).toBe(false);
      expect(page.closedReason).toBeTruthy();
      expect(page.uploadForm).toBeNull();
    } finally {
      world.clock.reset();
    }
  });

  it('outsiders are refused and drafts are hidden from students', async () => {
    const { outsider, alice, assignment } = await aClass();
    await expectStatus(getAssignmentPage(world.ctx, outsider, assignment.id), 403);
    const draft = await aClass({ status: 'draft' });
    await expectStatus(getAssignmentPage(world.ctx, draft.alice, draft.assignment.id), 404);
    expect((await getAssignmentPage(world.ctx, alice, assignment.id)).role).toBe('student');
  });
});

describe('the class gallery', () => {
  it('on a class-visible assignment students see classmates’ videos, newest first, with counts and authors', async () => {
    const { alice, bob, assignment } = await aClass();
    const first = await aSubmission(alice, assignment);
    world.clock.advance(1000);
    const second = await aSubmission(bob, assignment);
    world.clock.reset();
    await likeVideo(world.ctx, bob, first.videoId, { isLiked: true });
    await addVideoComment(world.ctx, bob, first.videoId, { content: 'Nice' });
    const page = await getAssignmentPage(world.ctx, bob, assignment.id);
    const gallery = page.gallery?.videos ?? [];
    expect(gallery.map((v) => v.id)).toEqual([second.videoId, first.videoId]);
    expect(gallery[1]).toMatchObject({ likes: 1, comments: 1, isOwn: false, pageUrl: `/videos/${first.videoId}` });
    expect(gallery[1].author).toMatchObject({ id: alice.id, name: `${alice.firstName} ${alice.lastName}` });
    expect(gallery[1].posterUrl).toMatch(/^http.*#t=0\.1$/);
    expect(JSON.stringify(gallery)).not.toContain(alice.email);
  });

  it('pages with a cursor', async () => {
    const { alice, bob, assignment } = await aClass();
    await aSubmission(alice, assignment);
    world.clock.advance(1000);
    await aSubmission(bob, assignment);
    world.clock.reset();
    const first = await getAssignmentPage(world.ctx, alice, assignment.id, { limit: 1 });
    expect(first.gallery?.videos).toHaveLength(1);
    const next = await getAssignmentPage(world.ctx, alice, assignment.id, { cursor: first.gallery?.nextCursor });
    expect(next.gallery?.videos.map((v) => v.author.id)).toEqual([alice.id]);
  });

  it('on a private assignment students get no gallery; the instructor sees every video', async () => {
    const { teacher, alice, bob, course } = await aClass();
    const hidden = await anAssignment(course, { visibility: 'private' });
    const video = await aSubmission(alice, hidden);
    expect((await getAssignmentPage(world.ctx, bob, hidden.id)).gallery).toBeNull();
    expect((await getAssignmentPage(world.ctx, alice, hidden.id)).gallery).toBeNull();
    const teacherView = await getAssignmentPage(world.ctx, teacher, hidden.id);
    expect(teacherView.gallery?.videos.map((v) => v.id)).toEqual([video.videoId]);
  });
});
