import { describe, expect, it } from 'vitest';
import {
  builders,
  days,
  expectStatus,
  mp4Bytes,
  UPLOAD_MAX_BYTES,
  setupServiceContext,
} from '../../tests/service-context';
import { finalizeSubmission, getSubmitConfirmation } from './finalize.server';
import { makeUploadKey } from './upload-keys';
import { startUpload } from './uploads.server';

const world = setupServiceContext();
const { aClass, anAssignment, aSubmission, putObject } = builders(world);

/** An upload the student started (key issued by the service) with its bytes in S3. */
async function uploaded(student: Parameters<typeof startUpload>[1], assignmentId: string, body = mp4Bytes()) {
  const started = await startUpload(world.ctx, student, {
    assignmentId,
    fileName: 'a.mp4',
    contentType: 'video/mp4',
    fileSize: body.length,
  });
  await putObject(started.fileKey, body);
  return started.fileKey;
}

const stored = (key: string) => world.ctx.storage.head(key);
const countOf = async (assignmentId: string) =>
  (await world.ctx.repos.submissions.listByAssignment(assignmentId)).items.length;

describe('finalize: whose upload', () => {
  it('the student’s own key becomes their submission and video', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = await uploaded(alice, assignment.id);
    const { submission, created } = await finalizeSubmission(world.ctx, alice, {
      assignmentId: assignment.id,
      fileKey,
    });
    expect(created).toBe(true);
    expect(submission).toMatchObject({ studentId: alice.id, assignmentId: assignment.id, isLate: false });
    expect(submission.fileType).toBe('video/mp4');
    expect((await world.ctx.repos.videos.getById(submission.videoId))?.storageKey).toBe(fileKey);
  });

  it('a classmate’s key is refused and their object left alone', async () => {
    const { alice, bob, assignment } = await aClass();
    const fileKey = await uploaded(bob, assignment.id);
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey }), 403);
    expect(await stored(fileKey)).not.toBeNull();
    expect(await countOf(assignment.id)).toBe(0);
  });

  it('a key built with my id around a classmate’s upload id does not hand me their submission', async () => {
    const { alice, bob, teacher, assignment } = await aClass();
    const theirs = await aSubmission(bob, assignment);
    const { gradeSubmission } = await import('./grading.server');
    await gradeSubmission(world.ctx, teacher, theirs.id, { grade: 9, feedback: 'Private feedback' });
    const forged = `videos/${assignment.courseId}/${assignment.id}/${alice.id}/${theirs.id}.webm`;
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey: forged }), 403);
  });

  it('a key issued for another assignment is refused', async () => {
    const { alice, course, assignment } = await aClass();
    const other = await anAssignment(course);
    const fileKey = await uploaded(alice, other.id);
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey }), 403);
    expect(await stored(fileKey)).not.toBeNull();
  });

  it('a key whose course segment is not the assignment’s course is refused', async () => {
    const { alice, course, assignment } = await aClass();
    const other = await anAssignment(course);
    const forged = makeUploadKey({ id: assignment.id, courseId: other.id }, alice.id, 'video/mp4').key;
    await putObject(forged);
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey: forged }), 403);
  });

  it('a student who is not enrolled is refused, for class and private assignments alike', async () => {
    const { outsider, bob, course, assignment } = await aClass();
    const hidden = await anAssignment(course, { visibility: 'private' });
    for (const a of [assignment, hidden]) {
      const theirs = await aSubmission(bob, a);
      const key = `videos/${a.courseId}/${a.id}/${outsider.id}/${theirs.id}.mp4`;
      const own = makeUploadKey(a, outsider.id, 'video/mp4').key;
      await putObject(own);
      for (const fileKey of [key, own]) {
        await expectStatus(finalizeSubmission(world.ctx, outsider, { assignmentId: a.id, fileKey }), 403);
      }
      expect(await stored(own)).not.toBeNull();
      expect(await countOf(a.id)).toBe(1);
    }
  });

  it('instructors do not submit', async () => {
    const { teacher, assignment } = await aClass();
    const fileKey = makeUploadKey(assignment, teacher.id, 'video/mp4').key;
    await expectStatus(finalizeSubmission(world.ctx, teacher, { assignmentId: assignment.id, fileKey }), 403);
  });

  it('a draft assignment is 404', async () => {
    const { alice, course } = await aClass();
    const draft = await anAssignment(course, { status: 'draft' });
    const fileKey = makeUploadKey(draft, alice.id, 'video/mp4').key;
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: draft.id, fileKey }), 404);
  });
});

describe('finalize: due state', () => {
  it('a closed assignment refuses, and the upload is deleted', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = await uploaded(alice, assignment.id);
    await world.ctx.repos.assignments.update(assignment.id, { status: 'closed' });
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey }), 409);
    expect(await stored(fileKey)).toBeNull();
  });

  it('a first submission after the due date is accepted and flagged late', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = await uploaded(alice, assignment.id);
    world.clock.advance(days(8));
    try {
      const { submission } = await finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey });
      expect(submission.isLate).toBe(true);
    } finally {
      world.clock.reset();
    }
  });

  it('re-submitting before the due date adds a submission', async () => {
    const { alice, assignment } = await aClass();
    await aSubmission(alice, assignment);
    await aSubmission(alice, assignment);
    expect(await countOf(assignment.id)).toBe(2);
  });

  it('re-submitting after the due date is refused and the new upload deleted', async () => {
    const { alice, assignment } = await aClass();
    await aSubmission(alice, assignment);
    const fileKey = await uploaded(alice, assignment.id);
    world.clock.advance(days(8));
    try {
      await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey }), 409);
    } finally {
      world.clock.reset();
    }
    expect(await stored(fileKey)).toBeNull();
    expect(await countOf(assignment.id)).toBe(1);
  });
});

describe('finalize: retries', () => {
  it('a retry returns the same submission and writes nothing new', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = await uploaded(alice, assignment.id);
    const first = await finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey });
    const again = await finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey });
    expect(again).toEqual({ submission: first.submission, created: false });
    expect(await countOf(assignment.id)).toBe(1);
  });

  it('a retry after the due date (or the assignment closing) still answers the same', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = await uploaded(alice, assignment.id);
    const first = await finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey });
    world.clock.advance(days(8));
    try {
      const again = await finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey });
      expect(again.submission.id).toBe(first.submission.id);
    } finally {
      world.clock.reset();
    }
    expect(await stored(fileKey)).not.toBeNull();
  });
});

describe('finalize: the object', () => {
  it('bytes that are not a video are refused and deleted', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = await uploaded(alice, assignment.id, Buffer.alloc(1000, 65));
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey }), 400);
    expect(await stored(fileKey)).toBeNull();
    expect(await countOf(assignment.id)).toBe(0);
  });

  it('an object over the size limit is refused and deleted', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = makeUploadKey(assignment, alice.id, 'video/mp4').key;
    await putObject(fileKey, mp4Bytes(UPLOAD_MAX_BYTES + 1));
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey }), 413);
    expect(await stored(fileKey)).toBeNull();
  });

  it('no object at the key is 404', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = makeUploadKey(assignment, alice.id, 'video/mp4').key;
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey }), 404);
  });

  it('a non-video content type is refused and deleted', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = makeUploadKey(assignment, alice.id, 'video/mp4').key;
    await putObject(fileKey, mp4Bytes(), 'text/html');
    await expectStatus(finalizeSubmission(world.ctx, alice, { assignmentId: assignment.id, fileKey }), 400);
    expect(await stored(fileKey)).toBeNull();
  });
});

describe('the no-JS confirm page', () => {
  it('shows the student their own upload', async () => {
    const { alice, assignment } = await aClass();
    const fileKey = makeUploadKey(assignment, alice.id, 'video/mp4').key;
    expect(await getSubmitConfirmation(world.ctx, alice, assignment.id, fileKey)).toEqual({
      assignment: { id: assignment.id, title: assignment.title },
      fileKey,
    });
  });

  it('refuses a classmate’s key and a student who is not enrolled', async () => {
    const { alice, bob, outsider, assignment } = await aClass();
    const fileKey = makeUploadKey(assignment, bob.id, 'video/mp4').key;
    await expectStatus(getSubmitConfirmation(world.ctx, alice, assignment.id, fileKey), 403);
    const own = makeUploadKey(assignment, outsider.id, 'video/mp4').key;
    await expectStatus(getSubmitConfirmation(world.ctx, outsider, assignment.id, own), 403);
  });
});
