; http.createServer(handler), net.createServer(...)
(call_expression
  function: (member_expression
    object: (identifier) @_module
    property: (property_identifier) @_fn)
  (#any-of? @_module "http" "https" "http2" "net" "tls")
  (#any-of? @_fn "createServer" "createSecureServer")) @match

; const app = express(); fastify({ logger: true })
(call_expression
  function: (identifier) @_fn
  (#any-of? @_fn "express" "fastify" "polka" "restify")) @match

; new Koa(), new Hono(), new Worker("./job.js")
(new_expression
  constructor: (identifier) @_class
  (#any-of? @_class "Koa" "Hono" "Worker")) @match

; app.listen(3000) / server.listen(port) / app.listen(process.env.PORT || 3000)
(call_expression
  function: (member_expression
    property: (property_identifier) @_fn)
  (#eq? @_fn "listen")
  arguments: (arguments
    .
    [(number) (identifier) (member_expression) (binary_expression)])) @match

; fastify.listen({ port: 3000 }) / server.listen({ port, host })
(call_expression
  function: (member_expression
    property: (property_identifier) @_fn)
  (#eq? @_fn "listen")
  arguments: (arguments
    .
    (object
      [(pair key: (property_identifier) @_key)
       (shorthand_property_identifier) @_key])
    (#eq? @_key "port"))) @match

; cluster.fork()
(call_expression
  function: (member_expression
    object: (identifier) @_cluster
    property: (property_identifier) @_fn)
  (#eq? @_cluster "cluster")
  (#eq? @_fn "fork")) @match
