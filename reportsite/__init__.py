"""Build an accessible, cross-linked website from a report held as YAML and Markdown.

The modules read as the pipeline:

    content   load and validate the report (YAML, Markdown front matter, paragraphs)
    crossrefs resolve citations into links, and reverse them into backlinks
    render    render every page through the Jinja templates
    build     write the formats into the output folder, swapping it in whole
    serve     watch the sources and rebuild through the same build
"""
