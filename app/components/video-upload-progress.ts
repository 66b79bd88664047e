/** What the upload widget tells the student: file checks, sizes, progress. Pure, testable in node. */
import { formatBytes } from '~/utils/format';

/** What the browser can check before asking the server: null when the file is fine. */
export function validateFile(file: { type: string; size: number } | null | undefined, maxBytes: number): string | null {
  if (!file) return 'Choose a video file to upload.';
  if (!file.type || !file.type.startsWith('video/')) return 'Only video files can be uploaded.';
  if (file.size <= 0) return 'The file is empty.';
  if (file.size > maxBytes) return `The file is too large (the limit is ${formatBytes(maxBytes)}).`;
  return null;
}

export interface Progress {
  loaded: number;
  total: number;
  /** 0–100, whole numbers; 100 only when every byte is acknowledged. */
  percent: number;
}

export function progressLabel(p: Progress): string {
  return `Uploading… ${p.percent}% (${formatBytes(p.loaded)} of ${formatBytes(p.total)})`;
}

/**
 * Bytes of finished parts plus what progress events report for parts in flight. A part that
 * fails drops back to 0 (its bytes will be sent again); a finished part counts its full size.
 */
export function createProgressTracker(total: number, onChange?: (p: Progress) => void) {
  let completed = 0;
  const inFlight = new Map<number, number>();
  const finished = new Set<number>();
  const snapshot = (): Progress => {
    let loaded = completed;
    for (const bytes of inFlight.values()) loaded += bytes;
    loaded = Math.min(loaded, total);
    const percent = total > 0 ? Math.floor((loaded / total) * 100) : 0;
    return { loaded, total, percent: loaded < total ? Math.min(percent, 99) : 100 };
  };
  const emit = () => onChange?.(snapshot());
  return {
    progress(partNumber: number, loaded: number, size: number) {
      if (finished.has(partNumber)) return;
      inFlight.set(partNumber, Math.max(0, Math.min(loaded, size)));
      emit();
    },
    done(partNumber: number, size: number) {
      if (finished.has(partNumber)) return;
      finished.add(partNumber);
      inFlight.delete(partNumber);
      completed += size;
      emit();
    },
    reset(partNumber: number) {
      if (inFlight.delete(partNumber)) emit();
    },
    snapshot,
  };
}
