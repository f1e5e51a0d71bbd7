; return EventSourceResponse(gen()): server-sent events, always a pushed event stream
(call
  function: [(identifier) @_class
             (attribute attribute: (identifier) @_class)]
  (#eq? @_class "EventSourceResponse")) @match

; StreamingResponse(gen(), media_type="text/event-stream"); not a CSV download
(call
  function: [(identifier) @_class
             (attribute attribute: (identifier) @_class)]
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @_key
      value: (string) @_type))
  (#any-of? @_class "StreamingResponse" "StreamingHttpResponse")
  (#any-of? @_key "media_type" "content_type")
  (#match? @_type "event-stream")) @match
