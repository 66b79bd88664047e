import { POST_BODY_MAX, POST_TITLE_MAX } from '~/services/community-view';
import { Field, TextAreaField } from '../form-field';

/** Title and body of a post (new or edited), and the announcement box for those who may set it. */
export function PostFields({
  values,
  errors,
  withText = true,
  mayAnnounce,
  announced = false,
}: {
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
  withText?: boolean;
  mayAnnounce: boolean;
  announced?: boolean;
}) {
  return (
    <>
      {withText ? (
        <>
          <Field
            label="Title"
            name="title"
            required
            defaultValue={values.title}
            errors={errors.title}
            hint={`Up to ${POST_TITLE_MAX} characters.`}
          />
          <TextAreaField
            label="Post"
            name="content"
            required
            rows={5}
            defaultValue={values.content}
            errors={errors.content}
            hint={`Plain text, up to ${POST_BODY_MAX.toLocaleString('en-US')} characters. Web addresses become links.`}
          />
        </>
      ) : null}
      {mayAnnounce ? (
        <div className="flex items-center gap-2">
          {/* Unchecked boxes send nothing: the hidden "false" says so, a checked box overrides it. */}
          <input type="hidden" name="isAnnouncement" value="false" />
          <input
            id="isAnnouncement"
            type="checkbox"
            name="isAnnouncement"
            value="true"
            defaultChecked={values.isAnnouncement ? values.isAnnouncement === 'true' : announced}
            className="h-4 w-4 rounded border-slate-400"
          />
          <label htmlFor="isAnnouncement" className="text-sm text-slate-800">
            Announcement (stands out for the whole class)
          </label>
        </div>
      ) : null}
    </>
  );
}
