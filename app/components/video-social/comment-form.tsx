import { Form, useNavigation } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { CsrfField } from '~/components/csrf-field';
import { Field, FormError, TextAreaField } from '~/components/form-field';
import { findPlayer } from '~/components/video-player';
import { formatMoment } from '~/utils/moment';

export interface CommentFormFailure {
  formError?: string;
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
}

/**
 * A comment (or a reply, with `parentId`). The moment is typed as m:ss without JavaScript;
 * with it, "Use the current time" copies the player's position into the field.
 */
export function CommentForm({
  action,
  label,
  submitLabel,
  parentId,
  withMoment = true,
  failure,
  intent = 'comment',
}: {
  /** Where the form posts; the current page when left out. */
  action?: string;
  label: string;
  submitLabel: string;
  parentId?: string;
  withMoment?: boolean;
  failure?: CommentFormFailure | null;
  /** The page action's handler for this form. */
  intent?: string;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const mine =
    navigation.formData?.get('intent') === intent && (navigation.formData?.get('parentId') ?? undefined) === parentId;
  const [scripted, setScripted] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const momentBox = useRef<HTMLDivElement>(null);
  const wasSubmitting = useRef(false);
  useEffect(() => setScripted(true), []);
  // With JavaScript the page is not reloaded, so a posted comment is cleared from the form here.
  useEffect(() => {
    if (mine) wasSubmitting.current = true;
    else if (navigation.state === 'idle' && wasSubmitting.current) {
      wasSubmitting.current = false;
      if (!failure) form.current?.reset();
    }
  }, [mine, navigation.state, failure]);
  const errors = failure?.fieldErrors ?? {};
  return (
    <Form ref={form} method="post" action={action} className="space-y-3" noValidate>
      <CsrfField />
      <input type="hidden" name="intent" value={intent} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <FormError message={failure?.formError} />
      <TextAreaField
        label={label}
        name="content"
        rows={parentId ? 2 : 3}
        maxLength={2000}
        required
        defaultValue={failure?.values?.content ?? ''}
        errors={errors.content ?? errors.parentId}
      />
      {withMoment ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="w-40" ref={momentBox}>
            <Field
              label="At moment (m:ss)"
              name="atSeconds"
              inputMode="numeric"
              placeholder="optional"
              hint="Leave empty for the whole video."
              defaultValue={failure?.values?.atSeconds ?? ''}
              errors={errors.atSeconds}
            />
          </div>
          {scripted ? (
            <button
              type="button"
              className="btn-secondary mb-6 py-1.5"
              onClick={() => {
                const player = findPlayer();
                const field = momentBox.current?.querySelector('input');
                if (player && field) field.value = formatMoment(player.currentTime);
              }}
            >
              Use the current time
            </button>
          ) : null}
        </div>
      ) : null}
      <button type="submit" className="btn-primary py-1.5" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}
