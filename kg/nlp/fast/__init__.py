"""Drop-in speed-ups for parts of spaCy, each giving the same annotations as the part it replaces:
attribute_ruler (the model's attribute_ruler, compiled), lemmatizer (the rule lemmatizer with a
memo), anchored_matcher (a Matcher for patterns that start with a fixed word)."""
