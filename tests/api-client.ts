/**
 * A JSON API caller for tests that drive a server started as a child process
 * (tests/server-process.ts): Bearer calls, sign-ups, and a direct-to-S3 upload of a tiny video.
 */
import { expect } from 'vitest';

export interface ApiAccount {
  id: string;
  token: string;
}

/** Bytes that start like an MP4 (an `ftyp` box): finalize sniffs the container. */
export function tinyMp4(size = 4096): Buffer {
  const bytes = Buffer.alloc(size, 0x61);
  bytes.writeUInt32BE(24, 0);
  bytes.write('ftypisom', 4, 'latin1');
  bytes.writeUInt32BE(0x200, 12);
  bytes.write('isomiso2', 16, 'latin1');
  return bytes;
}

export function apiClient(base: () => string) {
  let counter = 0;

  async function call(token: string, method: string, url: string, body?: unknown) {
    const res = await fetch(`${base()}${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('Retry-After'), body: text ? JSON.parse(text) : null };
  }

  async function signUp(role: 'student' | 'instructor'): Promise<ApiAccount> {
    counter += 1;
    const res = await fetch(`${base()}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: `api-${role}-${counter}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.test`,
        password: 'correct-horse-42',
        firstName: role === 'student' ? `Sam${counter}` : 'Ines',
        lastName: 'Tester',
        role,
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { id: string }; tokens: { accessToken: string } };
    return { id: body.user.id, token: body.tokens.accessToken };
  }

  /** Starts an upload and PUTs the bytes straight to S3 as a browser would; returns the file key. */
  async function uploadVideo(token: string, assignmentId: string, bytes: Buffer = tinyMp4()): Promise<string> {
    const upload = await call(token, 'POST', '/api/videos/upload', {
      assignmentId,
      fileName: 'answer.mp4',
      contentType: 'video/mp4',
      fileSize: bytes.length,
    });
    expect(upload.status).toBe(200);
    const put = await fetch(upload.body.data.presignedUrl, {
      method: 'PUT',
      headers: upload.body.data.headers,
      body: new Uint8Array(bytes),
    });
    expect(put.status).toBe(200);
    return upload.body.data.fileKey;
  }

  /** An instructor's course with one published assignment, and students enrolled in it. */
  async function classroom(students: number) {
    const teacher = await signUp('instructor');
    const course = await call(teacher.token, 'POST', '/api/courses', { title: 'Test course', code: 'TC-1' });
    expect(course.status).toBe(201);
    const assignment = await call(teacher.token, 'POST', '/api/assignments', {
      courseId: course.body.data.id,
      title: 'Say it once',
      dueDate: new Date(Date.now() + 3 * 86400_000).toISOString(),
      maxScore: 10,
    });
    expect(assignment.status).toBe(201);
    const members: ApiAccount[] = [];
    for (let i = 0; i < students; i += 1) {
      const member = await signUp('student');
      const joined = await call(member.token, 'POST', '/api/courses/join', { joinCode: course.body.data.joinCode });
      expect(joined.status).toBe(201);
      members.push(member);
    }
    return { teacher, students: members, assignmentId: assignment.body.data.id as string };
  }

  return { call, signUp, uploadVideo, classroom };
}
