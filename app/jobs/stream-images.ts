/**
 * Reading a stream record's NewImage: DynamoDB attribute values → plain values (the SDK's own
 * `unmarshall`), then checked with zod, so a record of another shape is named and skipped
 * instead of publishing half an event.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { z } from 'zod';

type SdkImage = Parameters<typeof unmarshall>[0];

/** The record's new image read with `schema`, or the reason it cannot be. */
export function readNewImage<S extends z.ZodType>(record: DynamoDBRecord, schema: S): ImageRead<S> {
  return readImage(record, 'NewImage', schema);
}

/** The record's old image read with `schema` (the stream view type must include old images). */
export function readOldImage<S extends z.ZodType>(record: DynamoDBRecord, schema: S): ImageRead<S> {
  return readImage(record, 'OldImage', schema);
}

type ImageRead<S extends z.ZodType> = { ok: true; image: z.infer<S> } | { ok: false; reason: string };

function readImage<S extends z.ZodType>(
  record: DynamoDBRecord,
  which: 'NewImage' | 'OldImage',
  schema: S,
): ImageRead<S> {
  const raw = record.dynamodb?.[which];
  const images = which === 'NewImage' ? 'new' : 'old';
  if (!raw) return { ok: false, reason: `the record has no ${which} (stream view type must include ${images} images)` };
  let plain: Record<string, unknown>;
  try {
    // aws-lambda's AttributeValue and the SDK's describe the same wire shape.
    plain = unmarshall(raw as SdkImage);
  } catch (error) {
    return { ok: false, reason: `${which} is not DynamoDB JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(plain);
  if (!parsed.success)
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, image: parsed.data };
}

/** What a batch response names a record by: its sequence number (AWS retries from there). */
export function recordIdentifier(record: DynamoDBRecord): string | null {
  return record.dynamodb?.SequenceNumber ?? null;
}
