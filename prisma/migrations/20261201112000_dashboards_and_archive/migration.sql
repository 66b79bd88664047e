-- Instructors archive assignments they no longer use.
ALTER TYPE "assignment_status" ADD VALUE 'archived';

-- "Recent grades" on the student dashboard: WHERE student_id = ? AND status = 'graded' ORDER BY graded_at DESC, id DESC
DROP INDEX "submissions_student_id_idx";
CREATE INDEX "submissions_student_id_graded_at_id_idx" ON "submissions"("student_id", "graded_at" DESC, "id" DESC);
