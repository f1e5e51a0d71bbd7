; Stream, socket and request factories, by their last name; the rule's `calls` decide after the
; callee is resolved through the file's requires and imports.
(call_expression
  function: [
    (identifier) @_fn
    (member_expression property: (property_identifier) @_fn)
  ] @_callee
  (#any-of? @_fn "createReadStream" "createWriteStream" "connect" "createConnection" "request" "get" "spawn" "fork" "createSocket")) @match

(new_expression
  constructor: [
    (identifier) @_fn
    (member_expression property: (property_identifier) @_fn)
  ] @_callee
  (#any-of? @_fn "Socket" "Readable" "Writable" "Duplex" "Transform" "PassThrough")) @match
