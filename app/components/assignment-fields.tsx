import { Field, TextAreaField } from './form-field';

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
      <TextAreaField
        label="Instructions"
        name="description"
        rows={5}
        hint="Plain text; blank lines start new paragraphs."
        defaultValue={values.description}
        errors={errors.description}
      />
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
            <option value="archived">Archived (hidden from students)</option>
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
