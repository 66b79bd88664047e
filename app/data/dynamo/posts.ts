/**
 * classcast-posts (partition key `postId`): community posts of a course, listed through
 * `courseId-created-index`. Counters (likeCount, commentCount) move only in interaction
 * transactions (comments.ts, likes.ts).
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataNotFoundError } from '../errors';
import { newId } from '../ids';
import type { FeedWindow, NewPost, PageRequest, Post, PostPatch, PostsRepository } from '../repository';
import {
  batchGet,
  cancellationCodes,
  isPlausibleId,
  retryOnConflict,
  updateIf,
  type DynamoContext,
  type Item,
} from './client';
import { feedByCourses } from './feed';
import { ENTITY, interactionKey, postKey, timeSort } from './keys';
import { queryPage } from './query';
import { INDEXES } from './tables';
import { putInCourse } from './checked-put';

export function toPost(item: Item): Post {
  return {
    id: item.id as string,
    courseId: item.courseId as string,
    authorId: item.authorId as string,
    title: item.title as string,
    body: (item.body as string | undefined) ?? '',
    isAnnouncement: item.isAnnouncement === true,
    likeCount: (item.likeCount as number | undefined) ?? 0,
    commentCount: (item.commentCount as number | undefined) ?? 0,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

const isPost = (item: Item | undefined): item is Item => item?.entity === ENTITY.post;

/** A transaction holds 100 items: the post plus 99 of its interactions. */
const ITEMS_PER_TRANSACTION = 100;

export function createPostsRepository(ctx: DynamoContext): PostsRepository {
  const table = ctx.tables.posts;

  async function getById(id: string): Promise<Post | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: postKey(id), ConsistentRead: true }));
    return isPost(out.Item) ? toPost(out.Item) : null;
  }

  /** Every interaction of the post (likes, comments, replies): its index partition, all pages. */
  async function interactionIds(postId: string): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tables.interactions,
          IndexName: INDEXES.interactionsByPost,
          KeyConditionExpression: '#postId = :postId',
          ExpressionAttributeNames: { '#postId': 'postId', '#id': 'id' },
          ExpressionAttributeValues: { ':postId': postId },
          ProjectionExpression: '#id',
          ExclusiveStartKey: start,
        }),
      );
      ids.push(...(out.Items ?? []).map((i) => i.id as string));
      start = out.LastEvaluatedKey;
    } while (start);
    return ids;
  }

  const deleteInteraction = (id: string) => ({
    Delete: { TableName: ctx.tables.interactions, Key: interactionKey(id) },
  });

  async function deleteInteractions(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += ITEMS_PER_TRANSACTION) {
      const chunk = ids.slice(i, i + ITEMS_PER_TRANSACTION);
      await retryOnConflict(() =>
        ctx.doc.send(new TransactWriteCommand({ TransactItems: chunk.map(deleteInteraction) })),
      );
    }
  }

  return {
    async create(input: NewPost): Promise<Post> {
      if (!isPlausibleId(input.courseId)) throw new DataNotFoundError('course', input.courseId);
      if (!isPlausibleId(input.authorId)) throw new DataNotFoundError('user', input.authorId);
      const now = ctx.now().toISOString();
      const id = newId();
      const post: Post = { id, ...input, likeCount: 0, commentCount: 0, createdAt: now, updatedAt: now };
      const item = { ...postKey(id), entity: ENTITY.post, ...post, createdSort: timeSort(now, id) };
      await putInCourse(ctx, { table, item, keyAttr: 'postId', courseId: input.courseId, userId: input.authorId });
      return post;
    },

    getById,

    async getMany(ids: readonly string[]): Promise<Post[]> {
      const unique = [...new Set(ids)].filter(isPlausibleId);
      if (unique.length === 0) return [];
      const items = await batchGet(ctx, table, unique.map(postKey));
      const byId = new Map(items.filter(isPost).map((i) => [i.id as string, toPost(i)]));
      return unique.flatMap((id) => byId.get(id) ?? []);
    },

    async update(id: string, patch: PostPatch): Promise<Post> {
      if (!isPlausibleId(id)) throw new DataNotFoundError('post', id);
      const { title, body, isAnnouncement } = patch;
      const item = await updateIf(ctx, {
        table,
        key: postKey(id),
        set: { title, body, isAnnouncement, updatedAt: ctx.now().toISOString() },
        condition: 'attribute_exists(postId) AND #entity = :entity',
        names: { '#entity': 'entity' },
        values: { ':entity': ENTITY.post },
      });
      if (!item) throw new DataNotFoundError('post', id);
      return toPost(item);
    },

    /**
     * The post and its interactions. Up to 99 interactions go in ONE transaction with the
     * post; beyond that the others are deleted in transactions of 100 first and the post
     * goes last with the rest. Once the post is gone, adding to it fails its condition
     * (DataNotFoundError). The interactions come from a GSI (eventually consistent), so the
     * index is read once more after the post is gone and late arrivals are deleted too; one
     * that stays invisible longer than that stays behind, naming a post that no longer
     * exists (listComments of that id and the owner's feed source could still return it).
     */
    async delete(id: string): Promise<void> {
      if (!(await getById(id))) throw new DataNotFoundError('post', id);
      const ids = await interactionIds(id);
      const early = ids.slice(0, ids.length - Math.min(ids.length, ITEMS_PER_TRANSACTION - 1));
      await deleteInteractions(early);
      const rest = ids.slice(early.length);
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Delete: {
                    TableName: table,
                    Key: postKey(id),
                    ConditionExpression: '#entity = :entity',
                    ExpressionAttributeNames: { '#entity': 'entity' },
                    ExpressionAttributeValues: { ':entity': ENTITY.post },
                  },
                },
                ...rest.map(deleteInteraction),
              ],
            }),
          ),
        );
      } catch (err) {
        if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') throw new DataNotFoundError('post', id);
        throw err;
      }
      // Nothing can be added to the post now; one more look catches what the index showed late.
      const known = new Set(ids);
      await deleteInteractions((await interactionIds(id)).filter((i) => !known.has(i)));
    },

    async listByCourse(courseId: string, req?: PageRequest) {
      const page = await queryPage(
        ctx,
        {
          table,
          index: INDEXES.postsByCourse,
          partitionAttr: 'courseId',
          partitionValue: courseId,
          keyAttrs: ['postId', 'courseId', 'createdSort'],
          descending: true,
          plausible: isPlausibleId(courseId),
        },
        req,
      );
      return { items: page.items.map(toPost), nextCursor: page.nextCursor };
    },

    async listForFeed(window: FeedWindow): Promise<Post[]> {
      const items = await feedByCourses(
        ctx,
        { table, index: INDEXES.postsByCourse, partitionAttr: 'courseId', sortAttr: 'createdSort' },
        window,
      );
      return items.map(toPost);
    },
  };
}
