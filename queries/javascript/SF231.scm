; Every loop statement; the context keeps only heavy loops directly inside a request handler.
[
  (for_statement)
  (for_in_statement)
  (while_statement)
  (do_statement)
] @match
