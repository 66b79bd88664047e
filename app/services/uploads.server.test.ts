import { describe, expect, it } from 'vitest';
import {
  builders,
  days,
  expectStatus,
  mp4Bytes,
  UPLOAD_MAX_BYTES,
  setupServiceContext,
} from '../../tests/service-context';
import { parseUploadKey } from './upload-keys';
import { abortUpload, completeUpload, noJsUploadForm, presignParts, startUpload } from './uploads.server';

const world = setupServiceContext();
const { aClass, anAssignment, aSubmission, putObject } = builders(world);

const start = (actor: Parameters<typeof startUpload>[1], assignmentId: string, fileSize = 1000) =>
  startUpload(world.ctx, actor, { assignmentId, fileName: 'a.mp4', contentType: 'video/mp4', fileSize });

describe('starting an upload', () => {
  it('an enrolled student gets a key naming them, the assignment and its course', async () => {
    const { alice, assignment } = await aClass();
    const started = await start(alice, assignment.id);
    expect(started.mode).toBe('single');
    expect(parseUploadKey(started.fileKey)).toMatchObject({
      studentId: alice.id,
      assignmentId: assignment.id,
      courseId: assignment.courseId,
      uploadId: started.uploadId,
    });
  });

  it('a student who is not enrolled is refused', async () => {
    const { outsider, assignment } = await aClass();
    await expectStatus(start(outsider, assignment.id), 403);
  });

  it('instructors and admins do not upload submissions', async () => {
    const { teacher, admin, assignment } = await aClass();
    await expectStatus(start(teacher, assignment.id), 403);
    await expectStatus(start(admin, assignment.id), 403);
  });

  it('a closed assignment is 409, a draft 404', async () => {
    const { alice, course } = await aClass();
    const closed = await anAssignment(course, { status: 'closed' });
    const draft = await anAssignment(course, { status: 'draft' });
    await expectStatus(start(alice, closed.id), 409);
    await expectStatus(start(alice, draft.id), 404);
  });

  it('after the due date a student with a submission may not start another', async () => {
    const { alice, bob, assignment } = await aClass();
    await aSubmission(alice, assignment);
    world.clock.advance(days(8));
    try {
      await expectStatus(start(alice, assignment.id), 409);
      expect((await start(bob, assignment.id)).mode).toBe('single');
    } finally {
      world.clock.reset();
    }
  });

  it('a file over the limit is refused up front; an empty one too', async () => {
    const { alice, assignment } = await aClass();
    await expectStatus(start(alice, assignment.id, UPLOAD_MAX_BYTES + 1), 413);
    await expectStatus(start(alice, assignment.id, 0), 400);
  });

  it('only video content types', async () => {
    const { alice, assignment } = await aClass();
    await expectStatus(
      startUpload(world.ctx, alice, { assignmentId: assignment.id, fileName: 'a.html', contentType: 'text/html' }),
      400,
    );
  });

  it('the no-JS form is only for a student who may submit', async () => {
    const { alice, outsider, assignment } = await aClass();
    const form = await noJsUploadForm(world.ctx, alice, assignment.id);
    expect(parseUploadKey(form.fileKey)?.studentId).toBe(alice.id);
    await expectStatus(noJsUploadForm(world.ctx, outsider, assignment.id), 403);
  });
});

describe('multipart and abort use only the caller’s own keys', () => {
  it('someone else’s key is refused for parts, complete and abort, and their object survives', async () => {
    const { alice, bob, assignment } = await aClass();
    const theirs = await start(bob, assignment.id);
    await putObject(theirs.fileKey, mp4Bytes());
    const input = {
      fileKey: theirs.fileKey,
      multipartUploadId: 'x',
      partNumbers: [1],
      parts: [{ partNumber: 1, etag: 'e' }],
    };
    await expectStatus(presignParts(world.ctx, alice, input), 403);
    await expectStatus(completeUpload(world.ctx, alice, input), 403);
    await expectStatus(abortUpload(world.ctx, alice, { fileKey: theirs.fileKey }), 403);
    expect(await world.ctx.storage.head(theirs.fileKey)).not.toBeNull();
  });

  it('abort deletes my unfinalized upload but never a submitted one', async () => {
    const { alice, assignment } = await aClass();
    const pending = await start(alice, assignment.id);
    await putObject(pending.fileKey, mp4Bytes());
    await abortUpload(world.ctx, alice, { fileKey: pending.fileKey });
    expect(await world.ctx.storage.head(pending.fileKey)).toBeNull();

    const submitted = await aSubmission(alice, assignment);
    const video = await world.ctx.repos.videos.getById(submitted.videoId);
    await abortUpload(world.ctx, alice, { fileKey: video!.storageKey });
    expect(await world.ctx.storage.head(video!.storageKey)).not.toBeNull();
  });
});
