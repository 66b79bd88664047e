import { Link } from '@remix-run/react';

export interface CourseListItem {
  id: string;
  title: string;
  code: string;
  description: string;
  instructorName: string | null;
  myRole: string | null;
  joinCode?: string;
  archived?: boolean;
}

export function CourseList({ courses, emptyText }: { courses: CourseListItem[]; emptyText: string }) {
  if (!courses.length) return <p className="mt-3 text-slate-700">{emptyText}</p>;
  return (
    <ul className="mt-3 space-y-3" data-testid="course-list">
      {courses.map((course) => (
        <li key={course.id} className="card">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h3 className="font-semibold">
              <Link to={`/courses/${course.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                {course.title}
              </Link>
            </h3>
            <span className="text-sm text-slate-600">
              {course.archived ? (
                <span className="mr-2 rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800">
                  Archived
                </span>
              ) : null}
              {course.code}
            </span>
          </div>
          {course.description ? <p className="mt-1 text-sm text-slate-700">{course.description}</p> : null}
          <p className="mt-2 text-xs text-slate-600">
            {course.myRole === 'instructor'
              ? 'You teach this course'
              : `Instructor: ${course.instructorName ?? 'unknown'}`}
            {course.joinCode ? (
              <>
                {' · '}Join code: <span className="font-mono font-semibold text-slate-800">{course.joinCode}</span>
              </>
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}
