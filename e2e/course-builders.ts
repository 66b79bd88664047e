/** API builders for the assignment/submission specs: each test makes its own course. */
import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { createAccount, expect, type TestUser } from './fixtures';

export async function newClient(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string | undefined) {
  return playwright.request.newContext({ baseURL });
}

/** An API client signed in as a new instructor. */
export async function newInstructorClient(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string | undefined) {
  const client = await newClient(playwright, baseURL);
  await createAccount(client, 'instructor');
  return client;
}

/** An API client signed in as a new student enrolled with `joinCode`. */
export async function newStudentClient(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string | undefined,
  joinCode: string,
) {
  const client = await newClient(playwright, baseURL);
  await enrolledStudent(client, joinCode);
  return client;
}

export async function courseWithAssignment(
  teacher: APIRequestContext,
  assignment: Record<string, unknown> = {},
): Promise<{ course: any; assignment: any }> {
  const course = (await (await teacher.post('/api/courses', { data: { title: 'Media Lab', code: 'ML-1' } })).json())
    .data;
  const res = await teacher.post('/api/assignments', {
    data: {
      courseId: course.id,
      title: 'Pitch your project',
      description: 'One minute.',
      dueDate: new Date(Date.now() + 3 * 86400_000).toISOString(),
      maxScore: 10,
      ...assignment,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { course, assignment: (await res.json()).data };
}

export async function enrolledStudent(client: APIRequestContext, joinCode: string, name?: string): Promise<TestUser> {
  const student = await createAccount(client, 'student', name);
  const joined = await client.post('/api/courses/join', { data: { joinCode } });
  expect(joined.status()).toBe(201);
  return student;
}

/** Start → PUT the bytes straight to S3 (single or multipart) → finalize. Returns the finalize response. */
export async function uploadAndFinalize(
  client: APIRequestContext,
  assignmentId: string,
  bytes: Buffer,
  opts: { contentType?: string; finalize?: Record<string, unknown> } = {},
) {
  const contentType = opts.contentType ?? 'video/mp4';
  const start = await client.post('/api/videos/upload', {
    data: { assignmentId, fileName: 'answer.mp4', contentType, fileSize: bytes.length },
  });
  expect(start.status(), await start.text()).toBe(200);
  const data = (await start.json()).data;
  await putBytes(client, data, bytes, contentType);
  return client.post('/api/video-submissions', {
    data: { assignmentId, fileKey: data.fileKey, videoTitle: 'My answer', ...opts.finalize },
  });
}

export async function putBytes(client: APIRequestContext, data: any, bytes: Buffer, contentType: string) {
  if (data.mode === 'single') {
    const put = await client.fetch(data.presignedUrl, { method: 'PUT', headers: data.headers, data: bytes });
    expect(put.status()).toBe(200);
    return;
  }
  const parts = [];
  for (const part of data.parts) {
    const chunk = bytes.subarray((part.partNumber - 1) * data.partSize, part.partNumber * data.partSize);
    const put = await client.fetch(part.url, { method: 'PUT', data: chunk, headers: { 'Content-Type': contentType } });
    expect(put.status()).toBe(200);
    parts.push({ partNumber: part.partNumber, etag: put.headers()['etag'] });
  }
  const done = await client.post('/api/videos/upload/complete', {
    data: { fileKey: data.fileKey, multipartUploadId: data.multipartUploadId, parts },
  });
  expect(done.status(), await done.text()).toBe(200);
}
