import ReactMarkdown, { defaultUrlTransform } from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";

/**
 * Minutes are written by people and imported from mail: render them as Markdown
 * and nothing more. Three layers keep hostile input inert:
 *  - raw HTML in the source is never parsed as HTML (no rehype-raw), so `<script>`
 *    and `<img onerror>` come out as text;
 *  - rehype-sanitize (GitHub's schema) drops any element, attribute or event
 *    handler outside its allowlist from what remark produced;
 *  - URLs pass react-markdown's transform (http, https, mailto, relative only), so
 *    `javascript:` links lose their href.
 * No hooks and no "use client": the server pages and the editor's live preview
 * render the same component.
 */
const schema = {
  ...defaultSchema,
  // GitHub prefixes ids to avoid clobbering the page's own; keep that.
  clobberPrefix: "md-",
};

export function Markdown({ source, className = "" }: { source: string; className?: string }) {
  return (
    <div className={`prose-md ${className}`}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeSanitize, schema]]}
        urlTransform={defaultUrlTransform}
        components={{
          // Links from minutes go elsewhere: never hand them our window.
          a: ({ node: _node, ...props }) => <a {...props} rel="nofollow noopener noreferrer" target={props.href?.startsWith("#") ? undefined : "_blank"} />,
        }}
      >
        {source}
      </ReactMarkdown>
    </div>
  );
}
