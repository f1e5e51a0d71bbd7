; A numeric kernel over float typed arrays: a block allocates `new Float32Array(...)` or
; `new Float64Array(...)`, and a later loop in the same block (directly, or nested one or two
; loops deep) stores arithmetic into an indexed element (`out[i] = a[i] * w + b[j]`) or
; multiply-accumulates one (`sum += a[i] * b[i]`). `@match` is that statement.
; Byte parsers (Uint8Array, bitwise operators), copies (`out[i] = a[i]`) and plain-array loops
; do not match. The three patterns differ only in loop depth; a loop body is a block or one
; statement.

; one loop
(statement_block
  [(lexical_declaration (variable_declarator value: (new_expression constructor: (identifier) @_typed)))
   (variable_declaration (variable_declarator value: (new_expression constructor: (identifier) @_typed)))
   (expression_statement (assignment_expression right: (new_expression constructor: (identifier) @_typed)))]
  (for_statement body: [
    (expression_statement
      [(assignment_expression left: (subscript_expression) right: (binary_expression operator: ["+" "-" "*" "/"]))
       (augmented_assignment_expression operator: ["+=" "-="] right: (binary_expression operator: "*" (subscript_expression)))]) @match
    (statement_block
      (expression_statement
        [(assignment_expression left: (subscript_expression) right: (binary_expression operator: ["+" "-" "*" "/"]))
         (augmented_assignment_expression operator: ["+=" "-="] right: (binary_expression operator: "*" (subscript_expression)))]) @match)])
  (#any-of? @_typed "Float32Array" "Float64Array"))

; a loop in a loop
(statement_block
  [(lexical_declaration (variable_declarator value: (new_expression constructor: (identifier) @_typed)))
   (variable_declaration (variable_declarator value: (new_expression constructor: (identifier) @_typed)))
   (expression_statement (assignment_expression right: (new_expression constructor: (identifier) @_typed)))]
  (for_statement body: (statement_block
    (for_statement body: [
      (expression_statement
        [(assignment_expression left: (subscript_expression) right: (binary_expression operator: ["+" "-" "*" "/"]))
         (augmented_assignment_expression operator: ["+=" "-="] right: (binary_expression operator: "*" (subscript_expression)))]) @match
      (statement_block
        (expression_statement
          [(assignment_expression left: (subscript_expression) right: (binary_expression operator: ["+" "-" "*" "/"]))
           (augmented_assignment_expression operator: ["+=" "-="] right: (binary_expression operator: "*" (subscript_expression)))]) @match)])))
  (#any-of? @_typed "Float32Array" "Float64Array"))

; three loops deep
(statement_block
  [(lexical_declaration (variable_declarator value: (new_expression constructor: (identifier) @_typed)))
   (variable_declaration (variable_declarator value: (new_expression constructor: (identifier) @_typed)))
   (expression_statement (assignment_expression right: (new_expression constructor: (identifier) @_typed)))]
  (for_statement body: (statement_block
    (for_statement body: (statement_block
      (for_statement body: [
        (expression_statement
          [(assignment_expression left: (subscript_expression) right: (binary_expression operator: ["+" "-" "*" "/"]))
           (augmented_assignment_expression operator: ["+=" "-="] right: (binary_expression operator: "*" (subscript_expression)))]) @match
        (statement_block
          (expression_statement
            [(assignment_expression left: (subscript_expression) right: (binary_expression operator: ["+" "-" "*" "/"]))
             (augmented_assignment_expression operator: ["+=" "-="] right: (binary_expression operator: "*" (subscript_expression)))]) @match)])))))
  (#any-of? @_typed "Float32Array" "Float64Array"))
