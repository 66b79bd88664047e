/**
 * Deep linking (LTI Deep Linking 2.0): an instructor, inside the LMS's "add content" dialog,
 * picks one of the course's assignments or creates one, and ClassCast answers with a signed
 * LtiDeepLinkingResponse holding one ltiResourceLink. The link launches /lti/launch with the
 * custom `assignment_id` (lti-launch.server.ts binds it on the first launch) and asks the LMS
 * for a gradebook column (the line item) the grades then go to.
 *
 * What the LMS asked (its return URL, its `data`) comes only from the verified launch, carried
 * in the signed handoff token (app/auth/lti-handoff.server.ts); a form can name nothing else.
 */
import { signDeepLinkingResponse } from '~/auth/lti/deep-linking';
import { readDeepLinkHandoff, type DeepLinkHandoff } from '~/auth/lti-handoff.server';
import type { Assignment, LtiPlatform, User } from '~/data/repository';
import { AppError, forbidden, notFound } from '~/utils/errors';
import { requireCourseInstructor } from './access.server';
import { createAssignment } from './assignments.server';
import type { ServiceContext } from './context';
import { currentSigningKey } from './lti-keys.server';
import { launchUrl } from './lti-launch.server';

/** Enough for any course's list of assignments; the picker is one page. */
const PICKER_LIMIT = 100;

async function requireHandoff(ctx: ServiceContext, actor: User | null, token: string | null | undefined) {
  const handoff = await readDeepLinkHandoff(token, ctx.now());
  if (!handoff) {
    throw new AppError(
      'VALIDATION_ERROR',
      'This assignment picker has expired or was not opened from your LMS. Close it and add ClassCast from your course again.',
    );
  }
  if (!actor || actor.id !== handoff.userId) {
    throw forbidden('This assignment picker was opened for someone else. Add ClassCast from your course again.');
  }
  const access = await requireCourseInstructor(ctx, actor, handoff.courseId);
  return { handoff, ...access };
}

export interface DeepLinkPicker {
  course: { id: string; title: string };
  assignments: Array<Pick<Assignment, 'id' | 'title' | 'maxScore' | 'dueDate' | 'status'>>;
}

/** The picker page: the course's assignments an LMS link may open (not archived ones). */
export async function getDeepLinkPicker(
  ctx: ServiceContext,
  actor: User | null,
  token: string | null,
): Promise<DeepLinkPicker> {
  const { course } = await requireHandoff(ctx, actor, token);
  const page = await ctx.repos.assignments.listByCourse(course.id, { includeDrafts: true }, { limit: PICKER_LIMIT });
  return {
    course: { id: course.id, title: course.title },
    assignments: page.items
      .filter((a) => a.status !== 'archived')
      .map((a) => ({ id: a.id, title: a.title, maxScore: a.maxScore, dueDate: a.dueDate, status: a.status })),
  };
}

export interface DeepLinkAnswer {
  /** The platform's deep_link_return_url: where the browser posts the JWT. */
  returnUrl: string;
  /** The signed LtiDeepLinkingResponse, posted as the `JWT` form field. */
  jwt: string;
  title: string;
}

/** `intent=pick` with an `assignmentId`, or `intent=create` with the assignment form's fields. */
export async function answerDeepLink(
  ctx: ServiceContext,
  actor: User | null,
  token: string | null,
  intent: string | undefined,
  values: Record<string, string>,
): Promise<DeepLinkAnswer> {
  const { handoff, user, course } = await requireHandoff(ctx, actor, token);
  // Before anything is created: a registration deleted meanwhile has nowhere to answer.
  const platform = await ctx.repos.lti.getPlatform(handoff.platformId);
  if (!platform) throw notFound('The LMS registration');
  let assignment: Pick<Assignment, 'id' | 'title' | 'maxScore'>;
  if (intent === 'pick') {
    const picked = values.assignmentId ? await ctx.repos.assignments.getById(values.assignmentId) : null;
    if (!picked || picked.courseId !== course.id || picked.status === 'archived') {
      const message = 'Choose one of this course’s assignments.';
      throw new AppError('VALIDATION_ERROR', message, { fields: { assignmentId: [message] } });
    }
    assignment = picked;
  } else if (intent === 'create') {
    assignment = await createAssignment(ctx, user, { ...values, courseId: course.id });
  } else {
    throw new AppError('VALIDATION_ERROR', 'This form action is not known. Reload the page and try again.');
  }
  return {
    returnUrl: handoff.returnUrl,
    jwt: await signFor(ctx, platform, handoff, assignment),
    title: assignment.title,
  };
}

async function signFor(
  ctx: ServiceContext,
  platform: LtiPlatform,
  handoff: DeepLinkHandoff,
  assignment: Pick<Assignment, 'id' | 'title' | 'maxScore'>,
): Promise<string> {
  return signDeepLinkingResponse({
    platform,
    deploymentId: handoff.deploymentId,
    data: handoff.data,
    signingKey: await currentSigningKey(ctx),
    now: ctx.now(),
    message: `Added “${assignment.title}” from ClassCast.`,
    items: [
      {
        title: assignment.title,
        url: launchUrl(ctx),
        custom: { assignment_id: assignment.id },
        lineItem: { scoreMaximum: assignment.maxScore, label: assignment.title, resourceId: assignment.id },
      },
    ],
  });
}
