"""`kg serve`: the graph as a SPARQL endpoint, a JSON/CSV API for the saved queries and a web
application (search, entity pages, network, timeline), over the store read-only.

    app.py      the Starlette routes: protocol parsing, negotiation, templates
    workers.py  worker processes that hold the store's latest committed snapshot and run the
                queries, killed and replaced when a query passes the timeout
    jobs.py     what a worker runs: SPARQL, saved queries, page data, search, network, timeline
    formats.py  content negotiation (SPARQL results and RDF formats)
    static/     CSS, the app's JavaScript, and vendored npm packages (static/README.md)
    templates/  Jinja2 pages

Kept free of imports so that a worker process starts without the web stack.
"""
