; asyncio.run(main()), trio.run(...), asyncio.gather(...), ...
(call
  function: (attribute
    object: (identifier) @_module
    attribute: (identifier) @_fn)
  (#any-of? @_module "asyncio" "trio" "anyio" "uvloop" "curio")
  (#any-of? @_fn "run" "get_event_loop" "new_event_loop" "install" "start_server" "gather" "create_task" "open_nursery" "create_task_group")) @match

; loop.run_forever() / loop.run_until_complete(...)
(call
  function: (attribute
    attribute: (identifier) @_fn)
  (#any-of? @_fn "run_forever" "run_until_complete")) @match

; Twisted: reactor.run()
(call
  function: (attribute
    object: (identifier) @_reactor
    attribute: (identifier) @_fn)
  (#eq? @_reactor "reactor")
  (#eq? @_fn "run")) @match

; Tornado: IOLoop.current().start()
(call
  function: (attribute
    object: (call
      function: (attribute
        object: (identifier) @_ioloop
        attribute: (identifier) @_current))
    attribute: (identifier) @_start)
  (#eq? @_ioloop "IOLoop")
  (#eq? @_current "current")
  (#eq? @_start "start")) @match
