; A call whose value is thrown away: `foo();` as a statement. The context keeps it when it runs
; in async code and its (innermost, past `.then`/`.finally`) callee returns a promise.
(expression_statement
  (call_expression) @match)
