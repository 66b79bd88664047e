import { Field, TextAreaField } from './form-field';

export interface CourseFormValues {
  title?: string;
  code?: string;
  description?: string;
  joinCode?: string;
}

/**
 * The fields shared by the create (dashboard) and edit forms. Creating may leave the join
 * code empty (one is generated); editing always shows the current one.
 */
export function CourseFields({
  values,
  errors,
  mode,
}: {
  values: CourseFormValues;
  errors: Record<string, string[]>;
  mode: 'create' | 'edit';
}) {
  return (
    <>
      <Field label="Course name" name="title" required defaultValue={values.title} errors={errors.title} />
      <Field
        label="Course code"
        name="code"
        required
        placeholder="BIO-101"
        defaultValue={values.code}
        errors={errors.code}
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={3}
        defaultValue={values.description}
        errors={errors.description}
      />
      <Field
        label={mode === 'create' ? 'Join code (optional)' : 'Join code'}
        name="joinCode"
        required={mode === 'edit'}
        hint={
          mode === 'create'
            ? 'Leave empty and we will make one.'
            : 'Students type this to join. Changing it stops the old code from working.'
        }
        defaultValue={values.joinCode}
        errors={errors.joinCode}
      />
    </>
  );
}
