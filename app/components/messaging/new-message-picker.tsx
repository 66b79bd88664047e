import { Form } from '@remix-run/react';

/**
 * "New message": a plain GET form, so it works without JavaScript; /messages answers a
 * chosen `to` by redirecting to that person's thread.
 */
export function NewMessagePicker({ people }: { people: Array<{ id: string; name: string; role: string }> }) {
  if (!people.length) {
    return (
      <p className="text-sm text-slate-700">
        You can message people who share a course with you and your study buddies. Join a course or connect with a
        classmate to start a conversation.
      </p>
    );
  }
  return (
    <Form method="get" action="/messages" className="flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor="new-message-to" className="label">
          Write to
        </label>
        <select id="new-message-to" name="to" className="input" required defaultValue="">
          <option value="" disabled>
            Choose a person
          </option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.role})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn-primary">
        New message
      </button>
    </Form>
  );
}
