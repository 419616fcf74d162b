"""Images are not published: the build makes the report as text, and fetches nothing.

Loading names the line of every image written in the content (`markdowncheck`). This renderer
makes sure no `<img>` pointing elsewhere can reach a page, whatever Markdown a page renders.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from ..errors import BuildError, Problem


def images_plugin(md: MarkdownIt) -> None:
    md.add_render_rule("image", refuse_image)


def refuse_image(self, tokens, idx, options, env) -> str:
    src = tokens[idx].attrGet("src") or ""
    raise BuildError([Problem("content", 1, f"the image '{src}' would be published; images are not published.",
                              "Remove the image from the content.")])
