; new WebSocket(url), new WebSocketServer({...}), new EventSource(url), new RTCPeerConnection()
(new_expression
  constructor: [(identifier) @_class
                (member_expression property: (property_identifier) @_class)]
  (#any-of? @_class "WebSocket" "WebSocketServer" "EventSource" "RTCPeerConnection" "SimplePeer" "Peer")) @match

; new WebSocket.Server({ port }) (ws before v8), new ws.Server(...)
(new_expression
  constructor: (member_expression
    object: (identifier) @_ws
    property: (property_identifier) @_server)
  (#any-of? @_ws "WebSocket" "ws" "WS")
  (#eq? @_server "Server")) @match

; server.on("connection", ...) / server.on("upgrade", ...)
(call_expression
  function: (member_expression
    property: (property_identifier) @_method)
  (#any-of? @_method "on" "once")
  arguments: (arguments
    .
    (string (string_fragment) @_event)
    (#any-of? @_event "connection" "upgrade"))) @match

; res.writeHead(200, { "Content-Type": "text/event-stream" })
((string_fragment) @match
  (#eq? @match "text/event-stream"))
