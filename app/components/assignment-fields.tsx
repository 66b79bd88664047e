import { Field } from './form-field';

export interface AssignmentFormValues {
  title?: string;
  description?: string;
  dueDate?: string;
  maxScore?: string;
  status?: string;
  visibility?: string;
}

/** The fields shared by the create and edit forms. */
export function AssignmentFields({
  values,
  errors,
}: {
  values: AssignmentFormValues;
  errors: Record<string, string[]>;
}) {
  return (
    <>
      <Field label="Title" name="title" required defaultValue={values.title} errors={errors.title} />
      <div>
        <label htmlFor="assignment-description" className="label">
          Instructions
        </label>
        <textarea
          id="assignment-description"
          name="description"
          rows={5}
          className="input"
          defaultValue={values.description}
          aria-describedby="assignment-description-hint"
        />
        <p id="assignment-description-hint" className="mt-1 text-xs text-slate-600">
          Plain text; blank lines start new paragraphs.
        </p>
        {errors.description ? <p className="mt-1 text-sm text-red-700">{errors.description.join(' ')}</p> : null}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Due (UTC)"
          name="dueDate"
          type="datetime-local"
          required
          defaultValue={values.dueDate}
          errors={errors.dueDate}
        />
        <Field
          label="Points"
          name="maxScore"
          type="number"
          min="1"
          step="any"
          required
          defaultValue={values.maxScore ?? '100'}
          errors={errors.maxScore}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="assignment-status" className="label">
            Status
          </label>
          <select id="assignment-status" name="status" className="input" defaultValue={values.status ?? 'published'}>
            <option value="draft">Draft (only you see it)</option>
            <option value="published">Published (students can submit)</option>
            <option value="closed">Closed (no more submissions)</option>
          </select>
        </div>
        <div>
          <label htmlFor="assignment-visibility" className="label">
            Who can watch submissions
          </label>
          <select
            id="assignment-visibility"
            name="visibility"
            className="input"
            defaultValue={values.visibility ?? 'class'}
          >
            <option value="class">The class (classmates can watch and discuss)</option>
            <option value="private">Only me (instructor)</option>
          </select>
        </div>
      </div>
    </>
  );
}
