; Names Python code defines, for the vocabulary rules (queries/vocabulary.toml): functions,
; methods and classes. `@definition` is the name; calls, imports, strings and comments are
; never captured.

(function_definition name: (identifier) @definition)

(class_definition name: (identifier) @definition)
