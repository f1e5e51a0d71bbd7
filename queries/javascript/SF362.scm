; A numeric kernel over float typed arrays: a loop stores arithmetic into an indexed element
; (`out[i] = a[i] * w + b[j]`) or multiply-accumulates one (`sum += a[i] * b[i]`), in a file
; that allocates `new Float32Array(...)` or `new Float64Array(...)`. `@match` is the
; statement, in the innermost loop's body (a block or one statement), so any nesting depth
; counts. Byte parsers (Uint8Array only, bitwise operators), copies (`out[i] = a[i]`) and files
; with no float typed array do not match.

; The file allocates a float typed array: a requirement of the rule (`@_requires`), no finding.
(new_expression
  constructor: (identifier) @_typed
  (#any-of? @_typed "Float32Array" "Float64Array")) @_requires

(for_statement
  body: [
    (expression_statement
      [(assignment_expression
         left: (subscript_expression)
         right: (binary_expression operator: ["+" "-" "*" "/"]))
       (augmented_assignment_expression
         operator: ["+=" "-="]
         right: (binary_expression operator: "*" (subscript_expression)))]) @match
    (statement_block
      (expression_statement
        [(assignment_expression
           left: (subscript_expression)
           right: (binary_expression operator: ["+" "-" "*" "/"]))
         (augmented_assignment_expression
           operator: ["+=" "-="]
           right: (binary_expression operator: "*" (subscript_expression)))]) @match)])
