"use client";
import type { ActionState } from "@/lib/auth/guard";
import type { FeedTokenState } from "@/lib/calendar/feed-tokens";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { fmtMinute } from "@/components/ui/format";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, controlClass, dangerButtonClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";

type Rotated = { prefix: string; feeds: { series: string; url: string }[] };
type Action<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

/**
 * The user's calendar feed URLs: created (shown once: only a hash of the token is kept),
 * replaced, or revoked. Each series with a schedule has its URL, all with the same token.
 */
export function FeedTokenPanel({
  active,
  rotateAction,
  revokeAction,
}: {
  active: FeedTokenState | null;
  rotateAction: Action<Rotated>;
  revokeAction: Action<{ revoked: number }>;
}) {
  const rotate = useFormAction(rotateAction);
  const revoke = useFormAction(revokeAction);
  const created = rotate.state?.ok ? rotate.state.data : null;
  return (
    <div className="space-y-3">
      <p className="text-sm">
        {active ? (
          <>
            Your feed token starts with <code>{active.prefix}…</code>, created {fmtMinute(active.createdAt)} UTC, last used{" "}
            {active.lastUsedAt ? `${fmtMinute(active.lastUsedAt)} UTC` : "never"}.
          </>
        ) : (
          "You have no calendar feed token."
        )}
      </p>
      <div className="flex flex-wrap gap-2">
        <form onSubmit={rotate.onSubmit}>
          <input type="hidden" name="confirm" value="yes" />
          <button className={buttonClass} disabled={rotate.pending}>
            {active ? "Replace my feed URLs" : "Create my feed URLs"}
          </button>
        </form>
        {active && (
          <form onSubmit={revoke.onSubmit}>
            <input type="hidden" name="confirm" value="yes" />
            <button className={dangerButtonClass} disabled={revoke.pending}>
              Revoke my feed token
            </button>
          </form>
        )}
      </div>
      <ActionNotice state={rotate.state} as="p" boxed />
      <ActionNotice state={revoke.state} ok="Revoked: calendars subscribed with it stop updating." as="p" boxed />
      {created && (
        <Notice as="div" role="status" tone="ok" className="space-y-2">
          <p className="text-sm font-medium">
            Subscribe to these in your calendar now: they are not shown again (dmboard keeps only a hash of the token). Any older feed URL has stopped working.
          </p>
          {created.feeds.length === 0 && (
            <p className="text-sm">No series has a schedule yet; the URLs follow the pattern /api/calendar/&lt;series&gt;/feed.ics?token=…</p>
          )}
          {created.feeds.map((f) => (
            <div key={f.url}>
              <label className="block text-sm" htmlFor={`feed-${f.series}`}>
                {f.series}
              </label>
              <input
                id={`feed-${f.series}`}
                readOnly
                value={f.url}
                className={`${controlClass} font-mono text-xs`}
                onFocus={(e) => e.currentTarget.select()}
                data-testid="feed-url"
              />
            </div>
          ))}
        </Notice>
      )}
    </div>
  );
}
