import { useId, useRef, useState, type FormEvent } from 'react';
import { useRevalidator } from '@remix-run/react';
import { formatBytes } from '~/utils/format';
import { UploadError } from './video-upload-client';
import { createFetchJson } from './video-upload-transport';

export interface AvatarUploadProps {
  maxBytes: number;
  /** Accepted content type → label. */
  types: Record<string, string>;
  /** The presigned S3 POST used when JavaScript is off (fields in the order S3 expects). */
  noJsForm: { url: string; fields: Record<string, string> };
}

const postJson = createFetchJson();

/**
 * Profile-picture upload. Server-rendered it is a plain multipart POST straight to storage
 * (S3 checks the policy, then sends the browser back to /profile to confirm); once hydrated
 * it asks for a presigned PUT, sends the image and completes it without leaving the page.
 */
export function AvatarUpload({ maxBytes, types, noJsForm }: AvatarUploadProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const revalidator = useRevalidator();
  const id = useId();
  const fileId = `avatar-file-${id}`;
  const typeId = `avatar-type-${id}`;
  const hintId = `${fileId}-hint`;
  const errorId = `${fileId}-error`;
  const accept = Object.keys(types).join(',');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setNotice(null);
    const file = fileInput.current?.files?.[0];
    if (!file) return setError('Choose an image first.');
    if (!Object.hasOwn(types, file.type))
      return setError(`Only ${Object.values(types).join(', ')} images can be used.`);
    if (file.size > maxBytes) return setError(`The image is too large (the limit is ${formatBytes(maxBytes)}).`);
    setBusy(true);
    try {
      const started = (await postJson('/api/profile/avatar/upload', { contentType: file.type, fileSize: file.size }))
        .data as { fileKey: string; presignedUrl: string; headers: Record<string, string> };
      const put = await fetch(started.presignedUrl, {
        method: 'PUT',
        headers: started.headers,
        body: file,
        credentials: 'omit',
      });
      if (!put.ok) throw new UploadError(`The image could not be stored (${put.status}). Please try again.`);
      await postJson('/api/profile/avatar/complete', { key: started.fileKey });
      setNotice('Your profile picture was updated.');
      if (fileInput.current) fileInput.current.value = '';
      revalidator.revalidate();
    } catch (err) {
      setError(err instanceof UploadError ? err.message : 'The upload failed. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      method="post"
      action={noJsForm.url}
      encType="multipart/form-data"
      onSubmit={onSubmit}
      className="space-y-3"
      aria-describedby={error ? errorId : undefined}
    >
      {Object.entries(noJsForm.fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {/* Without JS the form has to say the type itself: S3 stores what it is told. */}
      <noscript>
        <label htmlFor={typeId} className="label">
          Image type
        </label>
        <select id={typeId} name="Content-Type" className="input" defaultValue={Object.keys(types)[1]}>
          {Object.entries(types).map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </select>
      </noscript>
      <div>
        <label htmlFor={fileId} className="label">
          New picture
        </label>
        <input
          ref={fileInput}
          id={fileId}
          type="file"
          name="file"
          accept={accept}
          required
          aria-describedby={hintId}
          className="block w-full text-sm"
        />
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {Object.values(types).join(', ')}, up to {formatBytes(maxBytes)}.
        </p>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <p role="status" className="text-sm text-green-800">
        {notice}
      </p>
      <button type="submit" className="btn-secondary" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload picture'}
      </button>
    </form>
  );
}
