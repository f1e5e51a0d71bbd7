; uvicorn.run(app), web.run_app(app), grpc.server(executor)
(call
  function: (attribute
    object: (identifier) @_module
    attribute: (identifier) @_fn)
  (#any-of? @_module "uvicorn" "web" "grpc" "hypercorn")
  (#any-of? @_fn "run" "run_app" "server" "serve")) @match
