/** Submission items of classcast-submissions (partition key `submissionId`). */
import type { Submission, SubmissionStatus } from '../repository';
import type { Item } from './client';
import { ENTITY, submissionKey, timeSort } from './keys';

export function toSubmission(item: Item): Submission {
  const orNull = <T>(v: unknown) => (v as T | null | undefined) ?? null;
  return {
    id: item.id as string,
    assignmentId: item.assignmentId as string,
    courseId: item.courseId as string,
    studentId: item.studentId as string,
    videoId: item.videoId as string,
    videoTitle: item.videoTitle as string,
    videoDescription: (item.videoDescription as string | undefined) ?? '',
    fileName: item.fileName as string,
    fileSize: item.fileSize as number,
    fileType: item.fileType as string,
    durationSeconds: orNull<number>(item.durationSeconds),
    isLate: item.isLate === true,
    status: item.status as SubmissionStatus,
    grade: orNull<number>(item.grade),
    instructorFeedback: orNull<string>(item.instructorFeedback),
    gradedBy: orNull<string>(item.gradedBy),
    gradedAt: orNull<string>(item.gradedAt),
    submittedAt: item.submittedAt as string,
    updatedAt: item.updatedAt as string,
  };
}

export const isSubmission = (item: Item | undefined): item is Item => item?.entity === ENTITY.submission;

/**
 * The list indexes sort by `submittedSort`; `assignmentStudent` keys the per-student one.
 * The sparse "to grade" attributes exist only until the submission is graded; the "recent
 * grades" ones only after (grading swaps them, see submissions.ts).
 */
export function submissionItem(s: Submission): Item {
  return {
    ...submissionKey(s.id),
    entity: ENTITY.submission,
    ...s,
    submittedSort: timeSort(s.submittedAt, s.id),
    assignmentStudent: `${s.assignmentId}#${s.studentId}`,
    ...(s.status === 'graded' && s.gradedAt
      ? { gradedStudentId: s.studentId, gradedSort: timeSort(s.gradedAt, s.id) }
      : { ungradedAssignmentId: s.assignmentId, ungradedCourseId: s.courseId }),
  };
}
