/**
 * The shapes the dashboards render: shared by the service that builds them and the
 * components that show them (types only, so components may import them).
 */
import type { DueState } from './due-state';

export interface DueNextEntry {
  assignmentId: string;
  title: string;
  courseTitle: string;
  dueDate: string;
  dueState: DueState;
  /** The student's own latest submission, if any. */
  submitted: boolean;
}

export interface RecentGrade {
  submissionId: string;
  assignmentTitle: string;
  courseTitle: string;
  grade: number;
  maxScore: number;
  gradedAt: string;
  feedback: string | null;
}

export interface ToGradeEntry {
  submissionId: string;
  studentName: string;
  assignmentTitle: string;
  courseTitle: string;
  submittedAt: string;
  isLate: boolean;
}
