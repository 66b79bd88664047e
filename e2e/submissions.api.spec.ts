/**
 * Assignments, uploads, finalize, playback lists and grading through the JSON API:
 * the authorization rules (403/404) and every bad input of the issue.
 */
import { createAccount, expect, test } from './fixtures';
import {
  courseWithAssignment,
  enrolledStudent,
  newClient,
  newInstructorClient,
  newStudentClient,
  putBytes,
  uploadAndFinalize,
} from './course-builders';
import { fakeMp4 } from './video-fixture';

const SMALL = fakeMp4(4096);

test.describe('assignments', () => {
  test('instructors create; students list published ones with due state; others are refused', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    expect(assignment).toMatchObject({
      assignmentId: assignment.id,
      maxScore: 10,
      status: 'published',
      visibility: 'class',
      dueState: 'open',
    });
    await teacher.post('/api/assignments', {
      data: {
        courseId: course.id,
        title: 'Draft one',
        dueDate: new Date(Date.now() + 86400_000).toISOString(),
        status: 'draft',
      },
    });

    const student = await newStudentClient(playwright, baseURL, course.joinCode);
    const listed = await (await student.get(`/api/assignments?courseId=${course.id}`)).json();
    expect(listed.data.assignments.map((a: any) => a.title)).toEqual(['Pitch your project']);
    expect(listed.data.assignments[0].mySubmission).toBeNull();
    const asTeacher = await (await teacher.get(`/api/assignments?courseId=${course.id}`)).json();
    expect(asTeacher.data.assignments).toHaveLength(2);
    expect(asTeacher.data.assignments[0]).toMatchObject({ submissionsCount: 0, gradedCount: 0 });

    // A student cannot create; another instructor cannot touch this course.
    const byStudent = await student.post('/api/assignments', {
      data: { courseId: course.id, title: 'x', dueDate: '2099-01-01' },
    });
    expect(byStudent.status()).toBe(403);
    const other = await newInstructorClient(playwright, baseURL);
    expect(
      (
        await other.post('/api/assignments', { data: { courseId: course.id, title: 'x', dueDate: '2099-01-01' } })
      ).status(),
    ).toBe(403);
    expect((await other.get(`/api/assignments?courseId=${course.id}`)).status()).toBe(403);
    expect((await other.patch(`/api/assignments/${assignment.id}`, { data: { title: 'Hijacked' } })).status()).toBe(
      403,
    );
    const outsider = await newClient(playwright, baseURL);
    await createAccount(outsider, 'student');
    expect((await outsider.get(`/api/assignments?courseId=${course.id}`)).status()).toBe(403);
  });

  test('bad assignment input: past due date, missing title, bad points', async ({ request }) => {
    await createAccount(request, 'instructor');
    const course = (await (await request.post('/api/courses', { data: { title: 'C', code: 'C' } })).json()).data;
    const past = await request.post('/api/assignments', {
      data: { courseId: course.id, title: 'Late', dueDate: '2020-01-01T00:00' },
    });
    expect(past.status()).toBe(400);
    expect((await past.json()).details.fields.dueDate).toBeTruthy();
    const noTitle = await request.post('/api/assignments', {
      data: { courseId: course.id, dueDate: '2099-01-01T00:00' },
    });
    expect((await noTitle.json()).details.fields.title).toBeTruthy();
    const badPoints = await request.post('/api/assignments', {
      data: { courseId: course.id, title: 'x', dueDate: '2099-01-01T00:00', maxScore: -5 },
    });
    expect(badPoints.status()).toBe(400);
    const list = await (await request.get(`/api/assignments?courseId=${course.id}`)).json();
    expect(list.data.assignments).toEqual([]);
  });
});

test.describe('uploads and finalize', () => {
  test('single PUT upload, finalize creates the submission once; a retry returns the same', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const student = await newStudentClient(playwright, baseURL, course.joinCode);

    const start = await student.post('/api/videos/upload', {
      data: { assignmentId: assignment.id, fileName: 'a.mp4', contentType: 'video/mp4', fileSize: SMALL.length },
    });
    const upload = (await start.json()).data;
    expect(upload).toMatchObject({ mode: 'single' });
    expect(upload.presignedUrl).toContain(upload.fileKey.split('/').pop());
    await putBytes(student, upload, SMALL, 'video/mp4');
    const first = await student.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, courseId: course.id, fileKey: upload.fileKey },
    });
    expect(first.status()).toBe(201);
    const submission = (await first.json()).submission;
    expect(submission).toMatchObject({
      assignmentId: assignment.id,
      status: 'submitted',
      grade: null,
      isLate: false,
      fileSize: SMALL.length,
      fileType: 'video/mp4',
    });
    const again = await student.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, fileKey: upload.fileKey },
    });
    expect(again.status()).toBe(200);
    expect((await again.json()).submission.id).toBe(submission.id);
    const mine = await (await student.get(`/api/video-submissions?assignmentId=${assignment.id}`)).json();
    expect(mine.submissions).toHaveLength(1);
    const video = await (await student.get(`/api/videos/${submission.videoId}`)).json();
    expect(video.video).toMatchObject({
      id: submission.videoId,
      userId: submission.studentId,
      courseName: 'Media Lab',
    });
  });

  test('multipart upload: parts straight to S3, completed by the server, then finalized', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const student = await newStudentClient(playwright, baseURL, course.joinCode);
    const big = fakeMp4(17 * 1024 * 1024 + 123);
    const res = await uploadAndFinalize(student, assignment.id, big);
    expect(res.status(), await res.text()).toBe(201);
    expect((await res.json()).submission.fileSize).toBe(big.length);
  });

  test('original clients (no fileSize) get one PUT; an oversized object is refused at finalize and deleted', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const student = await newStudentClient(playwright, baseURL, course.joinCode);
    const start = async () =>
      (
        await (
          await student.post('/api/videos/upload', {
            data: { assignmentId: assignment.id, fileName: 'a.mp4', contentType: 'video/mp4' },
          })
        ).json()
      ).data;
    const small = await start();
    expect(small).toMatchObject({ mode: 'single', expiresIn: expect.any(Number) });
    expect(small.videoUrl).toMatch(/^\/videos\//);
    await putBytes(student, small, SMALL, 'video/mp4');
    const ok = await student.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, fileKey: small.fileKey },
    });
    expect(ok.status()).toBe(201);

    const big = await start();
    await putBytes(student, big, fakeMp4(25 * 1024 * 1024), 'video/mp4');
    const tooBig = await student.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, fileKey: big.fileKey },
    });
    expect(tooBig.status()).toBe(413);
    // Deleted: finalizing again finds no object.
    const again = await student.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, fileKey: big.fileKey },
    });
    expect(again.status()).toBe(404);
  });

  test('wrong type, too large, empty: refused at start with clear errors', async ({ playwright, baseURL }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const student = await newStudentClient(playwright, baseURL, course.joinCode);
    const start = (data: Record<string, unknown>) =>
      student.post('/api/videos/upload', {
        data: { assignmentId: assignment.id, fileName: 'f', contentType: 'video/mp4', fileSize: 100, ...data },
      });
    const pdf = await start({ contentType: 'application/pdf' });
    expect(pdf.status()).toBe(400);
    expect((await pdf.json()).details.fields.contentType).toBeTruthy();
    const huge = await start({ fileSize: 3 * 1024 ** 3 });
    expect(huge.status()).toBe(413);
    const empty = await start({ fileSize: 0 });
    expect(empty.status()).toBe(400);
    expect((await empty.json()).error).toMatch(/empty/);
  });

  test('finalize refuses a missing object, a non-video, and someone else’s upload, leaving nothing', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const alice = await newStudentClient(playwright, baseURL, course.joinCode);
    const bob = await newStudentClient(playwright, baseURL, course.joinCode);

    // Never uploaded.
    const started = (
      await (
        await alice.post('/api/videos/upload', {
          data: { assignmentId: assignment.id, fileName: 'a.mp4', contentType: 'video/mp4', fileSize: SMALL.length },
        })
      ).json()
    ).data;
    const missing = await alice.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, fileKey: started.fileKey },
    });
    expect(missing.status()).toBe(404);

    // Bob cannot finalize Alice's upload.
    await putBytes(alice, started, SMALL, 'video/mp4');
    const stolen = await bob.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, fileKey: started.fileKey },
    });
    expect(stolen.status()).toBe(403);

    // Text dressed up as a video: rejected, and the object is deleted (a retry finds nothing).
    const fake = Buffer.from('this is not a video at all, just some text '.repeat(20));
    const notVideo = await uploadAndFinalize(alice, assignment.id, fake);
    expect(notVideo.status()).toBe(400);
    expect((await notVideo.json()).error).toMatch(/not a video/i);

    const list = await (await alice.get(`/api/video-submissions?assignmentId=${assignment.id}`)).json();
    expect(list.submissions).toEqual([]);
    // A made-up key is not ours to finalize.
    const forged = await alice.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, fileKey: 'videos/../../etc/passwd' },
    });
    expect(forged.status()).toBe(400);
  });

  test('students cannot submit to courses they are not in, nor to another course’s assignment', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const other = await courseWithAssignment(teacher);
    const student = await newStudentClient(playwright, baseURL, course.joinCode);
    const notEnrolled = await student.post('/api/videos/upload', {
      data: { assignmentId: other.assignment.id, fileName: 'a.mp4', contentType: 'video/mp4', fileSize: 100 },
    });
    expect(notEnrolled.status()).toBe(403);
    // A key issued for one assignment cannot be finalized against another.
    const upload = (
      await (
        await student.post('/api/videos/upload', {
          data: { assignmentId: assignment.id, fileName: 'a.mp4', contentType: 'video/mp4', fileSize: SMALL.length },
        })
      ).json()
    ).data;
    await putBytes(student, upload, SMALL, 'video/mp4');
    const crossed = await student.post('/api/video-submissions', {
      data: { assignmentId: other.assignment.id, fileKey: upload.fileKey },
    });
    expect(crossed.status()).toBe(403);
    const wrongCourse = await student.post('/api/video-submissions', {
      data: { assignmentId: assignment.id, courseId: other.course.id, fileKey: upload.fileKey },
    });
    expect(wrongCourse.status()).toBe(400);
    // Instructors do not submit.
    expect(
      (
        await teacher.post('/api/videos/upload', {
          data: { assignmentId: assignment.id, fileName: 'a', contentType: 'video/mp4', fileSize: 10 },
        })
      ).status(),
    ).toBe(403);
  });

  test('after the due date: a first submission is accepted and flagged late; a re-submission is refused', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const early = await newStudentClient(playwright, baseURL, course.joinCode);
    const onTime = (await (await uploadAndFinalize(early, assignment.id, SMALL)).json()).submission;
    expect(onTime.isLate).toBe(false);
    // Before the due date a new version is fine (the newest counts, history kept).
    const second = (await (await uploadAndFinalize(early, assignment.id, SMALL)).json()).submission;
    const history = await (await early.get(`/api/video-submissions?assignmentId=${assignment.id}`)).json();
    expect(history.submissions.map((s: any) => s.id)).toEqual([second.id, onTime.id]);

    const past = new Date(Date.now() - 3600_000).toISOString();
    expect((await teacher.patch(`/api/assignments/${assignment.id}`, { data: { dueDate: past } })).status()).toBe(200);
    const refused = await early.post('/api/videos/upload', {
      data: { assignmentId: assignment.id, fileName: 'a.mp4', contentType: 'video/mp4', fileSize: SMALL.length },
    });
    expect(refused.status()).toBe(409);
    const late = await newStudentClient(playwright, baseURL, course.joinCode);
    const lateSubmission = await uploadAndFinalize(late, assignment.id, SMALL);
    expect(lateSubmission.status()).toBe(201);
    expect((await lateSubmission.json()).submission.isLate).toBe(true);
    const mine = (await (await late.get(`/api/assignments?courseId=${course.id}`)).json()).data.assignments[0];
    expect(mine).toMatchObject({ dueState: 'late', mySubmission: { isLate: true, status: 'submitted' } });
  });

  test('a closed assignment accepts nothing', async ({ playwright, baseURL }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const student = await newStudentClient(playwright, baseURL, course.joinCode);
    expect((await teacher.patch(`/api/assignments/${assignment.id}`, { data: { status: 'closed' } })).status()).toBe(
      200,
    );
    const start = await student.post('/api/videos/upload', {
      data: { assignmentId: assignment.id, fileName: 'a.mp4', contentType: 'video/mp4', fileSize: 100 },
    });
    expect(start.status()).toBe(409);
  });
});

test.describe('visibility and grading', () => {
  test('private submissions are invisible to classmates and other instructors; grading is the instructor’s', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher, { visibility: 'private' });
    const alice = await newClient(playwright, baseURL);
    const aliceUser = await enrolledStudent(alice, course.joinCode, 'Alice');
    const bob = await newClient(playwright, baseURL);
    await enrolledStudent(bob, course.joinCode, 'Bob');
    const stranger = await newInstructorClient(playwright, baseURL);

    const submission = (await (await uploadAndFinalize(alice, assignment.id, SMALL)).json()).submission;
    // Bob: not in lists, not by id, not by asking for Alice's submissions.
    const bobList = await (await bob.get(`/api/videos?courseId=${course.id}`)).json();
    expect(bobList.videos).toEqual([]);
    expect((await bob.get(`/api/videos/${submission.videoId}`)).status()).toBe(404);
    expect((await bob.get(`/api/video-submissions/${submission.id}`)).status()).toBe(404);
    const aliceId = (await (await alice.get('/api/auth/me')).json()).user.id;
    expect((await bob.get(`/api/video-submissions?assignmentId=${assignment.id}&studentId=${aliceId}`)).status()).toBe(
      403,
    );
    expect((await bob.get(`/api/videos?userId=${aliceId}`)).status()).toBe(403);
    // Another instructor: nothing.
    expect((await stranger.get(`/api/videos/${submission.videoId}`)).status()).toBe(404);
    expect((await stranger.get(`/api/videos?courseId=${course.id}`)).status()).toBe(403);
    // The course instructor sees it.
    const teacherList = await (await teacher.get(`/api/videos?courseId=${course.id}`)).json();
    expect(teacherList.videos.map((v: any) => v.id)).toEqual([submission.videoId]);
    expect(teacherList.videos[0].userName).toBe(`Alice ${aliceUser.lastName}`);

    // Grading: students and other instructors are refused; bad scores are 400; nothing changes.
    const grade = (client: typeof bob, data: Record<string, unknown>) =>
      client.post(`/api/video-submissions/${submission.id}/grade`, { data });
    expect((await grade(alice, { grade: 10 })).status()).toBe(403);
    expect((await grade(bob, { grade: 10 })).status()).toBe(403);
    expect((await grade(stranger, { grade: 10 })).status()).toBe(403);
    const above = await grade(teacher, { grade: 11, feedback: 'x' });
    expect(above.status()).toBe(400);
    expect((await above.json()).details.fields.grade[0]).toMatch(/between 0 and 10/);
    expect((await grade(teacher, { grade: -1 })).status()).toBe(400);
    expect((await grade(teacher, { feedback: 'no score' })).status()).toBe(400);
    expect((await (await alice.get(`/api/video-submissions/${submission.id}`)).json()).submission.grade).toBeNull();

    const ok = await grade(teacher, { grade: 9.5, feedback: 'Great pacing.' });
    expect(ok.status()).toBe(200);
    const seen = (await (await alice.get(`/api/video-submissions/${submission.id}`)).json()).submission;
    expect(seen).toMatchObject({ status: 'graded', grade: 9.5, instructorFeedback: 'Great pacing.' });
    const counts = await (await teacher.get(`/api/assignments?courseId=${course.id}`)).json();
    expect(counts.data.assignments[0]).toMatchObject({ submissionsCount: 1, gradedCount: 1 });
  });

  test('class-visible submissions are listed for classmates, with cursor pagination', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const alice = await newStudentClient(playwright, baseURL, course.joinCode);
    const bob = await newStudentClient(playwright, baseURL, course.joinCode);
    await uploadAndFinalize(alice, assignment.id, SMALL);
    await uploadAndFinalize(alice, assignment.id, SMALL);
    await uploadAndFinalize(bob, assignment.id, SMALL);
    const first = await (await bob.get(`/api/videos?assignmentId=${assignment.id}&limit=2`)).json();
    expect(first.videos).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await (
      await bob.get(`/api/videos?assignmentId=${assignment.id}&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json();
    expect(second.videos).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.videos, ...second.videos].map((v: any) => v.id);
    expect(new Set(ids).size).toBe(3);
  });

  test('submission lists honour limit, and a student’s course page is full of their own', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await newInstructorClient(playwright, baseURL);
    const { course, assignment } = await courseWithAssignment(teacher);
    const alice = await newStudentClient(playwright, baseURL, course.joinCode);
    const bob = await newStudentClient(playwright, baseURL, course.joinCode);
    await uploadAndFinalize(alice, assignment.id, SMALL);
    await uploadAndFinalize(alice, assignment.id, SMALL);
    // Bob's newer submissions come first in the course; a filter after the limit would
    // hand Alice an empty first page.
    await uploadAndFinalize(bob, assignment.id, SMALL);
    await uploadAndFinalize(bob, assignment.id, SMALL);

    const all = await (await teacher.get(`/api/video-submissions?courseId=${course.id}&limit=3`)).json();
    expect(all.submissions).toHaveLength(3);
    expect(all.count).toBe(3);
    expect(all.nextCursor).toEqual(expect.any(String));

    const aliceId = (await (await alice.get('/api/auth/me')).json()).user.id;
    const first = await (await alice.get(`/api/video-submissions?courseId=${course.id}&limit=1`)).json();
    expect(first.submissions).toHaveLength(1);
    expect(first.submissions[0].studentId).toBe(aliceId);
    const second = await (
      await alice.get(
        `/api/video-submissions?courseId=${course.id}&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`,
      )
    ).json();
    expect(second.submissions).toHaveLength(1);
    expect(second.submissions[0].studentId).toBe(aliceId);
    expect(second.submissions[0].id).not.toBe(first.submissions[0].id);
    expect((await alice.get(`/api/video-submissions?courseId=${course.id}&limit=101`)).status()).toBe(400);
  });
});
