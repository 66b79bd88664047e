/**
 * The IAM actions ClassCast's code performs, and nothing more. Derived from the adapters:
 * app/data/dynamo/*.ts (Get/BatchGet/Query/Put/Update/Delete, TransactWrite with condition
 * checks; ensure-tables.ts describes tables and TTL at start-up) and app/storage/s3.server.ts
 * (presigned PUT/POST and multipart, HEAD and GET, delete, abort).
 */

/** Item reads and writes. TransactWriteItems has no IAM action of its own: each of its parts is authorised as the Put/Update/Delete/ConditionCheck it is. No Scan, anywhere. */
export const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * What ensureTables needs at web start-up once infra/ made the tables: it only describes them.
 * CreateTable/UpdateTable/UpdateTimeToLive are left out on purpose: on AWS the tables change
 * by deploying this stack, never from a web server.
 */
export const START_UP_ACTIONS = ['dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive'];

/**
 * Video objects. s3:PutObject covers PUT, POST policy uploads and every multipart step but the
 * abort; s3:GetObject covers HEAD. Presigned URLs carry the signer's rights, so the browser
 * can do exactly this much, for one key, for an hour.
 */
export const VIDEO_OBJECT_ACTIONS = ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];
