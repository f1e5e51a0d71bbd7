; asyncio.create_task(...) / loop.create_task(...) / asyncio.ensure_future(...) as a statement:
; the task object is dropped. The rule's `calls` resolve the receiver.
(expression_statement
  (call
    function: [
      (identifier) @_fn
      (attribute attribute: (identifier) @_fn)
    ] @_callee
    (#any-of? @_fn "create_task" "ensure_future")) @match)
