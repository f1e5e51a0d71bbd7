; new EventEmitter(), new events.EventEmitter(); the rule's `calls` resolve the constructor.
(new_expression
  constructor: [
    (identifier) @_fn
    (member_expression property: (property_identifier) @_fn)
  ] @_callee
  (#eq? @_fn "EventEmitter")) @match
