; class X extends EventEmitter / events.EventEmitter / EventTarget
(class_heritage
  (extends_clause
    value: [(identifier) @_base
            (member_expression property: (property_identifier) @_base)])
  (#any-of? @_base "EventEmitter" "EventTarget")) @match

; emitter.on("event", (...) => {...}), el.addEventListener("click", onClick), bus.on("x", this.handle)
(call_expression
  function: (member_expression
    property: (property_identifier) @_method)
  (#any-of? @_method "on" "once" "addListener" "addEventListener" "prependListener")
  arguments: (arguments
    .
    (string)
    .
    [(arrow_function) (function_expression) (identifier) (member_expression)])) @match
