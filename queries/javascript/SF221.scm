; Calls that may be synchronous Node APIs, by their last name; the rule's `calls` decide after
; the callee is resolved through the file's requires and imports.
(call_expression
  function: [
    (identifier) @_fn
    (member_expression property: (property_identifier) @_fn)
  ] @_callee
  (#match? @_fn "(Sync$|^wait$)")) @match
