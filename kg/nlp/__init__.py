"""The spaCy side: Article -> annotated Doc -> DocFacts.

pipeline builds the spaCy pipeline (the English model, then kg's components) and turns a Doc into
DocFacts (facts); the components are mentions, resolve, offices and events, in that order, reading
the vocabularies of resources/ through lexicon and resources_io; topics tags subjects; extract runs
nlp.pipe over many articles, in this process or a pool of workers. fast/ holds drop-in speed-ups
for parts of spaCy. Importing this package loads nothing heavy: spaCy comes with nlp.pipeline.
"""
