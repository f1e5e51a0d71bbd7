; asyncio.create_task(...) / loop.create_task(...) / asyncio.ensure_future(...) whose task may be
; dropped: as a statement, or assigned to a plain name. The rule's `calls` resolve the receiver;
; the `python-task-dropped` context keeps an assignment only when the function never reads the
; name again.
(expression_statement
  (call
    function: [
      (identifier) @_fn
      (attribute attribute: (identifier) @_fn)
    ] @_callee
    (#any-of? @_fn "create_task" "ensure_future")) @match)

(assignment
  left: (identifier)
  right: (call
    function: [
      (identifier) @_fn
      (attribute attribute: (identifier) @_fn)
    ] @_callee
    (#any-of? @_fn "create_task" "ensure_future")) @match)
