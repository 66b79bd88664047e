/**
 * What `npm run bench` loads: the demo seed (a course, graded and waiting submissions,
 * videos, a community) plus, through the API as users would, a 30-message conversation, a
 * new post with a comment and a like, and a like and a comment on a video, so every daily page
 * has content. Then the targets: every daily page and its JSON twin, with the ids found here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BackendName, TargetKind } from './targets';

export interface Target {
  label: string;
  path: string;
  kind: TargetKind;
  cookie?: string;
  /** Measured on the DynamoDB stand-in too (the feed and the JSON lists). */
  onDynamo: boolean;
}

export interface Scene {
  targets: Target[];
  /** Path → the same path with ids named, for the tables. */
  shortPath(p: string): string;
}

/** Messages in the seeded conversation: more than one page of the thread (20). */
const BENCH_MESSAGES = 30;

interface Client {
  cookie: string;
  id: string;
}

export async function buildScene(origin: string, dataDir: string, backend: BackendName): Promise<Scene> {
  const call = async <T>(method: 'GET' | 'POST', urlPath: string, cookie: string, body?: unknown): Promise<T> => {
    const res = await fetch(origin + urlPath, {
      method,
      headers: {
        cookie,
        Origin: origin,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  const signIn = async (email: string, password: string): Promise<Client> => {
    const res = await fetch(`${origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('login set no cookie');
    const { user } = await call<{ user: { id: string } }>('GET', '/api/auth/me', cookie);
    return { cookie, id: user.id };
  };

  const dataBackend = backend === 'dynamodb' ? 'dynamodb' : 'postgres';
  const logins = JSON.parse(readFileSync(path.join(dataDir, `demo-logins.${dataBackend}.json`), 'utf8')) as Array<{
    role: string;
    email: string;
    password: string;
  }>;
  const find = (role: string, nth = 0) => {
    const login = logins.filter((l) => l.role === role)[nth];
    if (!login) throw new Error(`the demo seed has no ${role} #${nth + 1}`);
    return signIn(login.email, login.password);
  };
  const teacher = await find('instructor');
  const [leo, aisha] = [await find('student', 0), await find('student', 1)];

  const { data } = await call<{ data: { courses: Array<{ id: string; joinCode?: string }> } }>(
    'GET',
    '/api/courses',
    teacher.cookie,
  );
  const course = data.courses.find((c) => c.joinCode === 'DEMO101') ?? data.courses[0];
  if (!course) throw new Error('the demo instructor has no course');

  // Leo's submissions: the graded one is what the submission and video pages show.
  const { submissions } = await call<{
    submissions: Array<{ id: string; assignmentId: string; videoId: string; studentId: string; grade: number | null }>;
  }>('GET', `/api/video-submissions?courseId=${course.id}`, teacher.cookie);
  const leos = submissions.filter((s) => s.studentId === leo.id);
  const submission = leos.find((s) => s.grade !== null) ?? leos[0] ?? submissions[0];
  if (!submission) throw new Error('the demo course has no submissions');

  for (let i = 0; i < BENCH_MESSAGES; i += 1) {
    // Every third message is a reply, so both sides' summaries and unread counts move.
    const reply = i % 3 === 2;
    await call('POST', '/api/messaging/messages', reply ? leo.cookie : aisha.cookie, {
      toUserId: reply ? aisha.id : leo.id,
      content: `Bench message ${i + 1}: shall we go over the osmosis answer before Friday?`,
    });
  }
  const { post } = await call<{ post: { id: string } }>('POST', '/api/community/posts', aisha.cookie, {
    courseId: course.id,
    title: 'Study group before the DNA deadline?',
    content: 'Library, Thursday 4 pm. Bring your draft videos and we can swap feedback.',
  });
  await call('POST', `/api/community/posts/${post.id}/comments`, leo.cookie, { content: 'Count me in!' });
  await call('POST', `/api/community/posts/${post.id}/like`, leo.cookie, { isLiked: true });
  await call('POST', `/api/videos/${submission.videoId}/like`, aisha.cookie, { isLiked: true });
  await call('POST', `/api/videos/${submission.videoId}/interactions`, aisha.cookie, {
    content: 'The drawing of the mitochondria made it click for me.',
  });

  const page = (label: string, p: string, who: Client | undefined, onDynamo = false): Target => ({
    label,
    path: p,
    kind: 'page',
    cookie: who?.cookie,
    onDynamo,
  });
  const list = (label: string, p: string, who: Client): Target => ({
    label,
    path: p,
    kind: 'list',
    cookie: who.cookie,
    onDynamo: true,
  });
  const targets: Target[] = [
    { label: 'baseline', path: '/healthz', kind: 'baseline', onDynamo: true },
    { label: 'bare SSR page', path: '/login', kind: 'bare', onDynamo: true },
    page('dashboard (instructor)', '/dashboard', teacher),
    page('dashboard (student)', '/dashboard', leo),
    page('course page (student)', `/courses/${course.id}`, leo),
    page('course page (instructor)', `/courses/${course.id}`, teacher),
    page('assignment page (student)', `/assignments/${submission.assignmentId}`, leo),
    page('grading page (instructor)', `/courses/${course.id}/grading`, teacher),
    page('submission page (instructor)', `/submissions/${submission.id}`, teacher),
    page('video page (student)', `/videos/${submission.videoId}`, leo),
    page('feed page (student)', '/feed', leo, true),
    page('community page (student)', `/community?courseId=${course.id}`, leo),
    page('messages page (student)', '/messages', leo),
    page(`thread page (student, ${BENCH_MESSAGES} messages)`, `/messages/${aisha.id}`, leo),
    page('notifications page (student)', '/notifications', leo),
    list('GET /api/student/feed', '/api/student/feed', leo),
    list('GET /api/courses (instructor)', '/api/courses', teacher),
    list('GET /api/assignments (student)', `/api/assignments?courseId=${course.id}`, leo),
    list('GET /api/videos (student)', `/api/videos?courseId=${course.id}`, leo),
    list('GET /api/video-submissions (instructor)', `/api/video-submissions?courseId=${course.id}`, teacher),
    list('GET /api/community/posts (student)', `/api/community/posts?courseId=${course.id}`, leo),
    list('GET /api/messaging/conversations (student)', '/api/messaging/conversations', leo),
    list('GET /api/messaging/messages (student)', `/api/messaging/messages?userId1=${leo.id}&userId2=${aisha.id}`, leo),
    list('GET /api/notifications (student)', '/api/notifications', leo),
  ];
  return { targets, shortPath: namedPath };
}

const ID_AFTER: Record<string, string> = {
  courses: ':courseId',
  assignments: ':assignmentId',
  submissions: ':submissionId',
  videos: ':videoId',
  posts: ':postId',
  messages: ':userId',
};

/** `/videos/01J…?courseId=01J…` → `/videos/:videoId?courseId=:courseId`, for the tables. */
export function namedPath(p: string): string {
  return p
    .replace(
      /\/(courses|assignments|submissions|videos|posts|messages)\/([^/?]+)/g,
      (_, area: string) => `/${area}/${ID_AFTER[area]}`,
    )
    .replace(/([?&])(courseId|assignmentId)=[^&]+/g, (_, sep: string, name: string) => `${sep}${name}=:${name}`)
    .replace(/([?&])(userId\d?)=[^&]+/g, (_, sep: string, name: string) => `${sep}${name}=:userId`);
}
