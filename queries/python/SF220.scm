; Calls that may block, by their last name; the rule's `calls`/`free_calls` decide, after the
; callee is resolved through the file's imports, which of them really are the blocking APIs.
(call
  function: [
    (identifier) @_fn
    (attribute attribute: (identifier) @_fn)
  ] @_callee
  (#any-of? @_fn
    "sleep" "get" "post" "put" "patch" "delete" "head" "options" "request" "stream"
    "urlopen" "urlretrieve" "open"
    "run" "call" "check_call" "check_output" "getoutput" "getstatusoutput" "communicate" "wait" "system"
    "recv" "recv_into" "recvfrom" "accept" "connect" "sendall" "create_connection"
    "read" "readline" "readlines" "write" "writelines"
    "read_text" "read_bytes" "write_text" "write_bytes")) @match
