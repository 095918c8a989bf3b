"""`kg eval`: the built graph scored against hand-made annotations. gold reads and checks a gold
file; score runs the saved queries and reports precision, recall and F1."""
