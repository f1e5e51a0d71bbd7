; return StreamingResponse(gen()), EventSourceResponse(...), StreamingHttpResponse(...)
(call
  function: [(identifier) @_class
             (attribute attribute: (identifier) @_class)]
  (#any-of? @_class "StreamingResponse" "EventSourceResponse" "StreamingHttpResponse")) @match
