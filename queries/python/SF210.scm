; Threads and thread pools handed a function to run. `@_callee` is resolved through the file's
; imports and checked against the rule's `calls`; `@_target` is the function the thread runs.

; threading.Thread(target=f), multiprocessing.dummy.Process(target=f)
(call
  function: [
    (identifier) @_fn
    (attribute attribute: (identifier) @_fn)
  ] @_callee
  (#any-of? @_fn "Thread" "Process")
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @_kw
      (#eq? @_kw "target")
      value: (_) @_target))) @match

; executor.submit(f, ...), executor.map(f, items), pool.apply_async(f, args), pool.starmap(f, ...)
(call
  function: (attribute
    attribute: (identifier) @_fn) @_callee
  (#any-of? @_fn "submit" "map" "imap" "imap_unordered" "starmap" "apply" "apply_async" "map_async" "starmap_async")
  arguments: (argument_list
    .
    (_) @_target)) @match
