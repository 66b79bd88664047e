/** A class where Bea (a student) has a class-visible video, for the notification specs. */
import type { APIRequestContext } from '@playwright/test';
import { courseWithAssignment, enrolledStudent, uploadAndFinalize } from './course-builders';
import { createAccount, expect, type TestUser } from './fixtures';
import { fakeMp4 } from './video-fixture';

/** Each request context is one signed-in person (signup sets its session cookie). */
export interface ClassWithVideo {
  teacher: TestUser;
  bea: TestUser;
  course: { id: string; joinCode: string };
  submission: { id: string; videoId: string };
  videoTitle: string;
}

export async function classWithBeasVideo(
  clients: { teacher: APIRequestContext; bea: APIRequestContext },
  videoTitle = `Bea explains osmosis ${Date.now().toString(36)}`,
): Promise<ClassWithVideo> {
  const teacher = await createAccount(clients.teacher, 'instructor', 'Tara');
  const { course, assignment } = await courseWithAssignment(clients.teacher, { visibility: 'class' });
  const bea = await enrolledStudent(clients.bea, course.joinCode, 'Bea');
  const finalized = await uploadAndFinalize(clients.bea, assignment.id, fakeMp4(4096), { finalize: { videoTitle } });
  expect(finalized.status(), await finalized.text()).toBe(201);
  const submission = (await finalized.json()).submission;
  return { teacher, bea, course, submission, videoTitle };
}

/** A classmate (a new signed-in client) who likes Bea's video. */
export async function classmateLikes(client: APIRequestContext, cls: ClassWithVideo, name: string) {
  await enrolledStudent(client, cls.course.joinCode, name);
  const liked = await client.post(`/api/videos/${cls.submission.videoId}/like`, { data: { isLiked: true } });
  expect(liked.status(), await liked.text()).toBe(200);
}
