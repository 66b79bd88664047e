import { useId } from 'react';

interface FieldOwnProps {
  label: string;
  name: string;
  errors?: string[];
  hint?: string;
}

/** The label, hint and error around one control, tied to it for screen readers. */
function LabelledControl({
  label,
  name,
  errors,
  hint,
  id,
  render,
}: FieldOwnProps & {
  id?: string;
  render: (a11y: { id: string; name: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => React.ReactNode;
}) {
  const generated = useId();
  const inputId = id ?? `${name}-${generated}`;
  const errorId = `${inputId}-error`;
  const hintId = `${inputId}-hint`;
  const hasError = Boolean(errors?.length);
  const describedBy = [hint ? hintId : null, hasError ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={inputId} className="label">
        {label}
      </label>
      {render({ id: inputId, name, 'aria-invalid': hasError || undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {hasError ? (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {errors?.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

type FieldProps = FieldOwnProps & React.InputHTMLAttributes<HTMLInputElement>;

/** A labelled input whose errors are tied to it for screen readers. */
export function Field({ label, name, errors, hint, id, ...input }: FieldProps) {
  return (
    <LabelledControl
      {...{ label, name, errors, hint, id }}
      render={(a11y) => <input {...a11y} className="input" {...input} />}
    />
  );
}

type TextAreaFieldProps = FieldOwnProps & React.TextareaHTMLAttributes<HTMLTextAreaElement>;

/** Like Field, for long text: marked invalid and described by its own message. */
export function TextAreaField({ label, name, errors, hint, id, ...textarea }: TextAreaFieldProps) {
  return (
    <LabelledControl
      {...{ label, name, errors, hint, id }}
      render={(a11y) => <textarea {...a11y} className="input" {...textarea} />}
    />
  );
}

/** The form-level error, announced when it appears. */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
      {message}
    </div>
  );
}

/** "Current password", asked before a change to the account (its password, its address). */
export function CurrentPasswordField({ errors }: { errors?: string[] }) {
  return (
    <Field
      label="Current password"
      name="currentPassword"
      type="password"
      autoComplete="current-password"
      required
      errors={errors}
    />
  );
}
