/**
 * Inputs the contract parts build their rows from, so each part states only what its test
 * is about (a due date, a time, a visibility) and every adapter gets the same rows.
 */
import { newId } from '../ids';
import type { Assignment, NewAssignment, NewSubmissionBundle, User, Visibility } from '../repository';

const DAY_MS = 86_400_000;

/** A published, class-visible assignment due in a week, unless `overrides` say otherwise. */
export function assignmentInput(
  courseId: string,
  instructorId: string,
  overrides: Partial<NewAssignment> = {},
): NewAssignment {
  return {
    courseId,
    instructorId,
    title: 'Explain photosynthesis',
    description: 'Two minutes, on camera.',
    dueDate: new Date(Date.now() + 7 * DAY_MS).toISOString(),
    maxScore: 10,
    status: 'published',
    visibility: 'class',
    ...overrides,
  };
}

/** What finalize writes for one upload: the submission and its video, sharing one id. */
export function submissionBundle(
  a: Assignment,
  student: User,
  overrides: { visibility?: Visibility; at?: Date } = {},
): NewSubmissionBundle {
  const id = newId();
  const at = (overrides.at ?? new Date()).toISOString();
  return {
    submission: {
      id,
      assignmentId: a.id,
      courseId: a.courseId,
      studentId: student.id,
      videoId: id,
      videoTitle: `${student.firstName}'s answer`,
      videoDescription: 'My take',
      fileName: 'answer.mp4',
      fileSize: 12345,
      fileType: 'video/mp4',
      durationSeconds: 42,
      isLate: false,
      submittedAt: at,
    },
    video: {
      id,
      ownerId: student.id,
      courseId: a.courseId,
      assignmentId: a.id,
      submissionId: id,
      title: `${student.firstName}'s answer`,
      description: 'My take',
      storageKey: `videos/${a.courseId}/${id}.mp4`,
      contentType: 'video/mp4',
      sizeBytes: 12345,
      durationSeconds: 42,
      visibility: overrides.visibility ?? a.visibility,
    },
  };
}
