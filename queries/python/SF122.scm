; @app.websocket("/ws"), @router.websocket_route(...)
(decorator
  [(call function: (attribute attribute: (identifier) @_route))
   (attribute attribute: (identifier) @_route)]
  (#any-of? @_route "websocket" "websocket_route")) @match

; @sio.event, @sio.on("message"), @socketio.on("message")
(decorator
  [(call function: (attribute object: (identifier) @_server attribute: (identifier) @_method))
   (attribute object: (identifier) @_server attribute: (identifier) @_method)]
  (#any-of? @_server "sio" "socketio" "socket_io")
  (#any-of? @_method "on" "event")) @match

; websockets.serve(handler, host, port), websockets.connect(uri)
(call
  function: (attribute
    object: (identifier) @_module
    attribute: (identifier) @_fn)
  (#eq? @_module "websockets")
  (#any-of? @_fn "serve" "connect" "unix_serve" "broadcast")) @match

; socketio.AsyncServer(), socketio.ASGIApp(...)
(call
  function: (attribute
    object: (identifier) @_module
    attribute: (identifier) @_fn)
  (#eq? @_module "socketio")
  (#any-of? @_fn "AsyncServer" "Server" "AsyncClient" "Client" "ASGIApp" "WSGIApp")) @match

; await websocket.send_text(...), websocket.receive_json()
(call
  function: (attribute
    attribute: (identifier) @_fn)
  (#any-of? @_fn "send_text" "receive_text" "send_json" "receive_json" "send_bytes" "receive_bytes" "iter_text" "iter_json")) @match

; class Chat(AsyncWebsocketConsumer), class Echo(tornado.websocket.WebSocketHandler)
(class_definition
  superclasses: (argument_list
    [(identifier) @_base
     (attribute attribute: (identifier) @_base)])
  (#any-of? @_base "AsyncWebsocketConsumer" "WebsocketConsumer" "AsyncJsonWebsocketConsumer" "JsonWebsocketConsumer" "WebSocketHandler" "WebSocketEndpoint" "WebSocketServerProtocol" "WebSocketClientProtocol")) @match
