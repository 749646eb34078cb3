import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/components/markdown/Markdown";

const render = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

/** No element may carry an on* attribute, a javascript:/data:/vbscript: URL, or be a script/iframe/object/embed/style. */
function expectInert(html: string) {
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  for (const tag of tags) {
    expect(tag, tag).not.toMatch(/^<(script|iframe|object|embed|style|form|input|svg|math|base|meta|link)\b/i);
    expect(tag, tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag, tag).not.toMatch(/(href|src|action|formaction|xlink:href)\s*=\s*"\s*(javascript|data|vbscript):/i);
  }
}

describe("Markdown renders hostile input inert", () => {
  it("renders ordinary Markdown (GFM) as HTML", () => {
    const html = render("# Minutes\n\n**physmap** keys\n\n- a\n- b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ [xen](https://xenproject.org)");
    expect(html).toContain("<h1>Minutes</h1>");
    expect(html).toContain("<strong>physmap</strong>");
    expect(html).toContain("<li>a</li>");
    expect(html).toContain("<table>");
    expect(html).toContain("<del>old</del>");
    expect(html).toMatch(/<a href="https:\/\/xenproject.org" rel="nofollow noopener noreferrer" target="_blank">xen<\/a>/);
  });

  it("<script> stays text", () => {
    const html = render('Before\n\n<script>alert("x")</script>\n\nafter <script>alert(2)</script>');
    expect(html).not.toMatch(/<script/i);
    expectInert(html);
  });

  it("javascript: links lose their target", () => {
    for (const src of [
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](  javascript:alert(1))",
      "[x](java\tscript:alert(1))",
      "<javascript:alert(1)>",
      "[x][r]\n\n[r]: javascript:alert(1)",
      "![i](javascript:alert(1))",
      "[x](data:text/html;base64,PHNjcmlwdD4=)",
      "[x](vbscript:msgbox)",
    ]) {
      const html = render(src);
      expect(html, src).not.toMatch(/(href|src)="\s*(javascript|vbscript|data):/i);
      expectInert(html);
    }
  });

  it("event handlers never reach an element", () => {
    for (const src of [
      "<img src=x onerror=alert(1)>",
      '<a href="#" onclick="alert(1)">click</a>',
      '<div onmouseover="alert(1)">hover</div>',
      "<svg onload=alert(1)>",
      '<iframe src="javascript:alert(1)"></iframe>',
    ]) {
      const html = render(src);
      expect(html, src).not.toMatch(/<(img|a|div|svg|iframe)\b[^>]*\son\w+=/i);
      expectInert(html);
    }
    // Raw HTML is not interpreted: the tags go, their text stays.
    expect(render('<a onclick="alert(1)">x</a>')).toBe('<div class="prose-md "><p>x</p></div>');
  });

  it("GFM autolinks and footnotes stay safe", () => {
    const html = render("see www.example.org and https://xen.org\n\nnote[^1]\n\n[^1]: <b onclick=x>foot</b>");
    expect(html).toContain('href="http://www.example.org"');
    expectInert(html);
  });
});
