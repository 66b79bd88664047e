import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  UploadCancelledError,
  UploadError,
  finalizeSubmission,
  uploadFile,
  type UploadPhase,
} from './video-upload-client';
import { formatBytes } from '~/utils/format';
import { progressLabel, validateFile, type Progress } from './video-upload-progress';
import { createFetchJson, readVideoDuration, xhrUploadPart } from './video-upload-transport';

export interface VideoUploadFormProps {
  assignmentId: string;
  courseId: string;
  maxBytes: number;
  /** The presigned S3 POST used when JavaScript is off (fields in the order S3 expects). */
  noJsForm: { url: string; fields: Record<string, string>; fileKey: string };
}

type Status = { phase: 'idle'; notice?: string } | { phase: UploadPhase; progress: Progress } | { phase: 'done' };

/**
 * Submit-a-video widget. Server-rendered it is a plain multipart POST straight to S3; once
 * hydrated it adds a title and description and uploads with progress, parts and Cancel.
 */
export function VideoUploadForm({ assignmentId, courseId, maxBytes, noJsForm }: VideoUploadFormProps) {
  const [enhanced, setEnhanced] = useState(false);
  const [status, setStatus] = useState<Status>({ phase: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [focusSubmit, setFocusSubmit] = useState(0);
  const controller = useRef<AbortController | null>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const mounted = useRef(false);

  const id = useId();
  const fileId = `video-file-${id}`;
  const hintId = `${fileId}-hint`;
  const errorId = `video-upload-error-${id}`;
  const titleId = `video-title-${id}`;
  const descriptionId = `video-description-${id}`;
  const progressId = `video-progress-${id}`;

  const busy = status.phase !== 'idle';
  const cancellable = status.phase === 'starting' || status.phase === 'uploading';

  useEffect(() => {
    mounted.current = true;
    setEnhanced(true);
    return () => {
      mounted.current = false;
      controller.current?.abort();
    };
  }, []);

  useEffect(() => {
    if (focusSubmit) submitButton.current?.focus();
  }, [focusSubmit]);

  useEffect(() => {
    if (!cancellable) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [cancellable]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const file = fileInput.current?.files?.[0] ?? null;
    const problem = validateFile(file, maxBytes);
    if (problem || !file) {
      setStatus({ phase: 'idle' });
      setError(problem);
      fileInput.current?.focus();
      return;
    }
    const form = new FormData(event.currentTarget);
    const videoTitle = String(form.get('videoTitle') ?? '').trim();
    const videoDescription = String(form.get('videoDescription') ?? '').trim();

    const abort = new AbortController();
    controller.current = abort;
    const postJson = createFetchJson();
    const duration = readVideoDuration(file);
    let progress: Progress = { loaded: 0, total: file.size, percent: 0 };
    let phase: UploadPhase = 'starting';
    setStatus({ phase, progress });
    try {
      const { fileKey } = await uploadFile({
        file,
        assignmentId,
        deps: { postJson, uploadPart: xhrUploadPart },
        signal: abort.signal,
        onProgress: (p) => {
          progress = p;
          setStatus({ phase, progress });
        },
        onPhase: (next) => {
          phase = next;
          setStatus({ phase, progress });
        },
      });
      phase = 'finalizing';
      setStatus({ phase, progress });
      const submission = await finalizeSubmission(postJson, {
        assignmentId,
        courseId,
        fileKey,
        videoTitle,
        videoDescription,
        fileName: file.name,
        fileSize: file.size,
        fileType: file.type,
        duration: await duration,
      });
      setStatus({ phase: 'done' });
      window.location.assign(`/submissions/${encodeURIComponent(submission.id)}`);
    } catch (caught) {
      if (!mounted.current) return;
      if (caught instanceof UploadCancelledError) {
        setStatus({ phase: 'idle', notice: 'Upload cancelled.' });
      } else {
        setStatus({ phase: 'idle' });
        setError(caught instanceof UploadError ? caught.message : 'The upload failed. Please try again.');
      }
      setFocusSubmit((n) => n + 1);
    } finally {
      if (controller.current === abort) controller.current = null;
    }
  }

  function cancel() {
    controller.current?.abort();
  }

  let statusText: string | null = null;
  let progressValue: number | null = null;
  if (status.phase === 'starting') {
    statusText = 'Preparing upload…';
    progressValue = 0;
  } else if (status.phase === 'uploading') {
    statusText = progressLabel(status.progress);
    progressValue = status.progress.percent;
  } else if (status.phase === 'completing' || status.phase === 'finalizing') {
    statusText = 'Upload finished. Saving your submission…';
    progressValue = 100;
  } else if (status.phase === 'done') {
    statusText = 'Submission saved. Opening it…';
    progressValue = 100;
  } else if (status.phase === 'idle' && status.notice) {
    statusText = status.notice;
  }

  return (
    <form
      method="post"
      action={noJsForm.url}
      encType="multipart/form-data"
      onSubmit={enhanced ? onSubmit : undefined}
      className="mt-4 space-y-4"
    >
      {error ? (
        <div
          id={errorId}
          role="alert"
          data-testid="upload-error"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800"
        >
          {error}
        </div>
      ) : null}

      {Object.entries(noJsForm.fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}

      {enhanced ? (
        <>
          <div>
            <label htmlFor={titleId} className="label">
              Title
            </label>
            <input id={titleId} name="videoTitle" type="text" maxLength={200} className="input" readOnly={busy} />
          </div>
          <div>
            <label htmlFor={descriptionId} className="label">
              Description
            </label>
            <textarea
              id={descriptionId}
              name="videoDescription"
              rows={3}
              maxLength={5000}
              className="input"
              readOnly={busy}
            />
          </div>
        </>
      ) : null}

      <div>
        <label htmlFor={fileId} className="label">
          Video file
        </label>
        <input
          ref={fileInput}
          id={fileId}
          type="file"
          name="file"
          accept="video/*"
          required
          disabled={busy}
          aria-describedby={hintId}
          className="mt-1 block w-full text-sm text-slate-900 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-50"
        />
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          Video files up to {formatBytes(maxBytes)}.
        </p>
      </div>

      <div data-testid="upload-progress" aria-live="polite" className="space-y-1">
        {statusText ? (
          progressValue === null ? (
            <p className="text-sm text-slate-700">{statusText}</p>
          ) : (
            <>
              <label htmlFor={progressId} className="label">
                {statusText}
              </label>
              <progress id={progressId} max={100} value={progressValue} className="h-2 w-full">
                {progressValue}%
              </progress>
            </>
          )
        ) : null}
      </div>

      <div className="flex flex-wrap gap-3">
        <button ref={submitButton} type="submit" className="btn-primary" disabled={busy}>
          Upload video
        </button>
        {enhanced && cancellable ? (
          <button type="button" className="btn-secondary" onClick={cancel}>
            Cancel upload
          </button>
        ) : null}
      </div>
    </form>
  );
}
