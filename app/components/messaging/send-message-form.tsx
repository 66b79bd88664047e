import { Form, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { CsrfField } from '../csrf-field';
import { FormError, TextAreaField } from '../form-field';

interface SendFailure {
  formError?: string;
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
}

/**
 * Posts to the thread's own page, which redirects back (PRG), so it works without
 * JavaScript; with it, Remix submits in place and the box is emptied once the message is
 * in. A refused message keeps what was typed, with the reason beside it.
 */
export function SendMessageForm({
  toName,
  maxLength,
  failure,
}: {
  toName: string;
  maxLength: number;
  failure?: SendFailure;
}) {
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const sending = navigation.state !== 'idle' && navigation.formMethod?.toUpperCase() === 'POST';
  const wasSending = useRef(false);
  useEffect(() => {
    if (sending) {
      wasSending.current = true;
      return;
    }
    if (!wasSending.current) return;
    wasSending.current = false;
    if (!failure?.formError) formRef.current?.reset();
  }, [sending, failure]);

  return (
    <Form method="post" ref={formRef} className="space-y-3" aria-label={`Send a message to ${toName}`}>
      <CsrfField />
      <FormError message={failure?.formError} />
      <TextAreaField
        label={`Message to ${toName}`}
        name="content"
        rows={3}
        required
        maxLength={maxLength}
        defaultValue={failure?.values?.content ?? ''}
        errors={failure?.fieldErrors?.content}
      />
      <button type="submit" className="btn-primary" disabled={sending}>
        {sending ? 'Sending…' : 'Send'}
      </button>
    </Form>
  );
}
